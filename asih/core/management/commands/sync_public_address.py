"""Point the Wagtail Site record at ASIH_PUBLIC_URL (migrate and load_guides also do this)."""

from django.core.management.base import BaseCommand, CommandError

from asih.core.public_address import address_problem, public_origin, site_sync


class Command(BaseCommand):
    help = "Point the default Wagtail Site at ASIH_PUBLIC_URL."

    def handle(self, *args, **options):
        problem = address_problem(public_origin())
        if problem:
            raise CommandError(problem)
        changed = site_sync()
        state = "updated" if changed else "already"
        self.stdout.write(f"Site {state} at {public_origin()}")
