"""Delete sign-ups never confirmed (run daily, e.g. from cron)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from asih.leads.services import PURGE_UNCONFIRMED_DAYS, signups_purge_unconfirmed


class Command(BaseCommand):
    help = f"Delete sign-ups not confirmed within --days days (default {PURGE_UNCONFIRMED_DAYS})."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=PURGE_UNCONFIRMED_DAYS)

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        deleted = signups_purge_unconfirmed(older_than=timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} unconfirmed sign-up(s) older than {days} day(s).")
        return None
