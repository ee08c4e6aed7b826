"""Retire every cached page, e.g. after deploying new code or templates."""

from django.core.management.base import BaseCommand

from asih.pagecache.store import get_store


class Command(BaseCommand):
    help = "Retire every page in the page cache (run after deploying new code or templates)."

    def handle(self, *args, **options):
        get_store().clear()
        self.stdout.write("Page cache cleared: every page is rendered afresh on its next request.")
