"""manage.py backup_site: a consistent archive of the database and media."""

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from asih.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded media into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="archive path (default: var/backups/asih-<UTC time>.tar.gz)",
        )

    def handle(self, *args, output=None, **options):
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
