"""manage.py load_guides: load content/ into the site (safe to run again)."""

from django.core.management.base import BaseCommand, CommandError

from asih.guides.loader import ContentError, ContentLoader


class Command(BaseCommand):
    help = "Load the guides in content/ (idempotent; never overwrites editors' changes)."

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", help="Folder with site.yaml, guides/ and images/.")

    def handle(self, *args, **options):
        try:
            report = ContentLoader(options.get("content_dir")).load()
        except ContentError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
