"""manage.py restore_site ARCHIVE --yes: put a backup back, replacing the database and media."""

from django.core.management.base import BaseCommand, CommandError

from asih.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by backup_site, replacing the database and media."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--yes", action="store_true", help="confirm that the current data is to be replaced"
        )

    def handle(self, *args, archive, yes=False, **options):
        if not yes:
            raise CommandError(
                "Restoring replaces the current database and media. Run again with --yes."
            )
        try:
            summary = restore_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(summary.tables.values())
        self.stdout.write(
            f"restored {archive}: {len(summary.tables)} tables, {rows} rows, "
            f"{summary.media_files} media files — verified against the backup's manifest"
        )
