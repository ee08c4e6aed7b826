"""manage.py build_guidebook: build (or reuse) the complete-guide PDFs and print their files."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from asih.guidebook.selectors import GuidebookUnavailable, guidebook_stages
from asih.guidebook.services import guidebook_build


class Command(BaseCommand):
    help = "Build the complete-guide PDF of each stage and language; print paths and sizes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stage", help="stage key (its Indonesian slug), e.g. setelah-melahirkan"
        )
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES])

    def handle(self, *args, stage=None, language=None, **options):
        stages = guidebook_stages()
        if stage:
            stages = [page for page in stages if page.slug == stage]
            if not stages:
                raise CommandError(f"No live stage with the key {stage!r}.")
        languages = [language] if language else [code for code, _name in settings.LANGUAGES]
        for page in stages:
            for code in languages:
                started = time.monotonic()
                try:
                    path = guidebook_build(stage=page, language=code)
                except GuidebookUnavailable:
                    self.stderr.write(f"{page.slug} has no live {code} translation: skipped")
                    continue
                seconds = time.monotonic() - started
                self.stdout.write(f"{path}\t{path.stat().st_size} bytes\t{seconds:.2f} s")
