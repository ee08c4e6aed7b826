"""manage.py backup_site: a consistent archive of the database and media."""

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from asih.core.backup import BACKUPS_KEPT, BackupError, backups_rotate, create_backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded media into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="archive path (default: var/backups/asih-<UTC time>.tar.gz)",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=BACKUPS_KEPT,
            help=f"keep the newest N archives in var/backups/ (default {BACKUPS_KEPT}; 0: all)",
        )

    def handle(self, *args, output=None, keep=BACKUPS_KEPT, **options):
        if keep < 0:
            raise CommandError("--keep must be 0 (keep all) or more")
        if output:
            path = Path(output)
        else:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            path = Path(settings.VAR_DIR) / "backups" / f"asih-{stamp}.tar.gz"
        try:
            summary = create_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(summary.tables.values())
        self.stdout.write(
            f"{summary.path}: {len(summary.tables)} tables, {rows} rows, "
            f"{summary.media_files} media files"
        )
        if keep and not output:  # rotation only where backup_site files its own archives
            for old in backups_rotate(path.parent, keep=keep):
                self.stdout.write(f"Deleted the old backup {old.name}")
