"""`manage.py purge_expired_data`: delete what is past its keeping time (daily, from a timer)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from asih.core.privacy import purge_expired


class Command(BaseCommand):
    help = (
        "Run every retention rule the apps registered (unconfirmed sign-ups, old consultation "
        "requests, unpublished comments, finished tasks, staff sign-in records, …)."
    )

    def handle(self, *args, **options):
        for name, deleted in purge_expired(now=timezone.now()).items():
            self.stdout.write(f"{name}: {deleted} deleted")
