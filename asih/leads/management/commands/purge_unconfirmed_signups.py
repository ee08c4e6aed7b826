"""Delete sign-ups never confirmed and consultation requests past their keeping time, then
everything else past its keeping time (kept for older timers; `purge_expired_data` is the
documented daily command)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from asih.core.privacy import purge_expired
from asih.leads.services import (
    PURGE_CONSULTATIONS_DAYS,
    PURGE_UNCONFIRMED_DAYS,
    consultations_purge,
    signups_purge_unconfirmed,
)


class Command(BaseCommand):
    help = (
        f"Delete sign-ups not confirmed within --days days (default {PURGE_UNCONFIRMED_DAYS}) "
        f"and consultation requests older than --consultation-days "
        f"(default {PURGE_CONSULTATIONS_DAYS})."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=PURGE_UNCONFIRMED_DAYS)
        parser.add_argument("--consultation-days", type=int, default=PURGE_CONSULTATIONS_DAYS)

    def handle(self, *args, days: int, consultation_days: int, **options):
        if days < 1 or consultation_days < 1:
            raise CommandError("--days and --consultation-days must be at least 1")
        deleted = signups_purge_unconfirmed(older_than=timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} unconfirmed sign-up(s) older than {days} day(s).")
        old = consultations_purge(older_than=timedelta(days=consultation_days))
        self.stdout.write(
            f"Deleted {old} consultation request(s) older than {consultation_days} day(s)."
        )
        # A cron line written for this command keeps every other retention promise too.
        skip = ("unconfirmed sign-ups", "consultation requests")
        for name, deleted in purge_expired(now=timezone.now(), skip=skip).items():
            self.stdout.write(f"{name}: {deleted} deleted")
