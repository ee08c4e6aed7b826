"""Refresh cached guide pages whose share count changed, and drop old dedupe marks (cron)."""

from django.core.management.base import BaseCommand

from asih.sharing.services import share_counts_announce, share_marks_purge


class Command(BaseCommand):
    help = "Refresh guide pages whose share count changed; purge yesterday's dedupe marks."

    def handle(self, *args, **options):
        announced = share_counts_announce()
        purged = share_marks_purge()
        self.stdout.write(f"{announced} page(s) refreshed, {purged} old mark(s) purged")
