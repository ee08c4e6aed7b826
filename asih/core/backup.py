"""Consistent backups of the whole site (database + uploaded media) and their restore.

One archive (`.tar.gz`) holds a manifest, the database and the media files. The database part
is taken consistently while the site runs: SQLite through its online-backup API (a snapshot
even while other processes write), PostgreSQL with `pg_dump`, which reads one snapshot. The
manifest records each table's row count and each media file's SHA-256, so a restore checks
what it put back before it reports success.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT_VERSION = 1
# Archives hold every reader's data: readable by the site's user only, and only so many kept.
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
BACKUPS_KEPT = 14
ARCHIVE_PATTERN = "asih-*.tar.gz"


class BackupError(Exception):
    pass


@dataclass
class BackupSummary:
    path: Path
    tables: dict[str, int]
    media_files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def table_counts(alias: str = "default") -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        quote = connection.ops.quote_name
        counts = {}
        for name in sorted(names):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def _pg_env(database: dict) -> dict[str, str]:
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def create_backup(destination: Path, *, alias: str = "default") -> BackupSummary:
    """Write a backup archive to `destination` (a file path)."""
    database = settings.DATABASES[alias]
    vendor = connections[alias].vendor
    media_root = Path(settings.MEDIA_ROOT)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)

    with tempfile.TemporaryDirectory(prefix="asih-backup-") as work:
        work = Path(work)
        if vendor == "sqlite":
            db_file = work / "database.sqlite3"
            source = sqlite3.connect(str(database["NAME"]))
            target = sqlite3.connect(str(db_file))
            try:
                source.backup(target)  # a consistent snapshot, even while others write
            finally:
                target.close()
                source.close()
            counts = _sqlite_counts(db_file)
        elif vendor == "postgresql":
            db_file = work / "database.pgdump"
            # One pg_dump reads one snapshot: the dump is consistent while the site runs.
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", db_file]
                + [database["NAME"]],
                env=_pg_env(database),
                capture_output=True,
                text=True,
                timeout=3600,
            )
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
            counts = table_counts(alias)
        else:
            raise BackupError(f"backups of {vendor} databases are not supported")

        media = _media_files(media_root)
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(),
            "database": {"vendor": vendor, "file": db_file.name, "sha256": _sha256(db_file)},
            "tables": counts,
            "media": media,
        }
        partial = destination.with_name(destination.name + ".partial")
        # Created 0600 before a byte is written: no moment when another user could read it.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        os.fchmod(descriptor, PRIVATE_FILE_MODE)  # an existing partial file keeps its old mode
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(db_file, arcname=f"database/{db_file.name}")
            for relative in media:
                archive.add(media_root / relative, arcname=f"media/{relative}")
        os.replace(partial, destination)  # never a half-written archive under the real name
    return BackupSummary(path=destination, tables=counts, media_files=len(media))


def backups_rotate(directory: Path, *, keep: int = BACKUPS_KEPT) -> list[Path]:
    """Delete all but the newest `keep` archives made by backup_site in `directory`."""
    archives = sorted(
        Path(directory).glob(ARCHIVE_PATTERN), key=lambda p: (p.stat().st_mtime, p.name)
    )
    old = archives[: max(len(archives) - keep, 0)]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def secure_database_files(sender=None, connection=None, **kwargs) -> None:
    """Make an SQLite database file (and its journal files) readable by its owner only.

    Connected to `connection_created`: SQLite creates the file with the process's umask
    (usually 0644, world-readable). PostgreSQL keeps its own files private.
    """
    if connection is None or connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (Path(name), Path(name + "-wal"), Path(name + "-shm"), Path(name + "-journal")):
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(PRIVATE_FILE_MODE)
        except OSError:  # not there (yet), or not ours to change
            continue


def _sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(str(path))
    try:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in sorted(names)
        }
    finally:
        db.close()


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"unsafe path in archive: {member.name}")
        members.append(member)
    return members


def restore_backup(source: Path, *, alias: str = "default") -> BackupSummary:
    """Replace the database and media with the archive's, then verify them against it."""
    database = settings.DATABASES[alias]
    vendor = connections[alias].vendor
    media_root = Path(settings.MEDIA_ROOT)

    with tempfile.TemporaryDirectory(prefix="asih-restore-") as work:
        work = Path(work)
        try:
            with tarfile.open(source, "r:gz") as archive:
                archive.extractall(work, members=_safe_members(archive), filter="data")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"cannot read the backup: {error}") from error
        try:
            manifest = json.loads((work / "manifest.json").read_text())
        except (OSError, ValueError) as error:
            raise BackupError("the backup has no readable manifest") from error
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError("the backup was made by an incompatible version")
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"the backup holds a {manifest['database']['vendor']} database; "
                f"this site uses {vendor}"
            )
        db_file = work / "database" / manifest["database"]["file"]
        if _sha256(db_file) != manifest["database"]["sha256"]:
            raise BackupError("the database file in the backup is damaged")
        for relative, digest in manifest["media"].items():
            if _sha256(work / "media" / relative) != digest:
                raise BackupError(f"the media file {relative} in the backup is damaged")

        connections[alias].close()
        if vendor == "sqlite":
            restored = sqlite3.connect(str(db_file))
            target = sqlite3.connect(str(database["NAME"]))
            try:
                restored.backup(target)  # replaces every page of the live file, atomically
            finally:
                target.close()
                restored.close()
        else:
            result = subprocess.run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
                + ["--single-transaction", "-d", database["NAME"], str(db_file)],
                env=_pg_env(database),
                capture_output=True,
                text=True,
                timeout=3600,
            )
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")

        if media_root.exists():
            shutil.rmtree(media_root)
        if (work / "media").exists():
            shutil.copytree(work / "media", media_root)
        else:
            media_root.mkdir(parents=True, exist_ok=True)

    counts = table_counts(alias)
    expected = manifest["tables"]
    if {k: v for k, v in counts.items() if k in expected} != expected:
        raise BackupError("the restored database does not match the backup's row counts")
    if _media_files(media_root) != manifest["media"]:
        raise BackupError("the restored media files do not match the backup")
    return BackupSummary(path=Path(source), tables=counts, media_files=len(manifest["media"]))
