"""Backup and restore round-trip a populated site: every row and every media file comes back."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Every row of every table, as JSON, ordered: what "the same data" means for this test.
DUMP_ROWS = """
import json
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = [[str(value) for value in row] for row in cursor.fetchall()]
        out[table] = sorted(rows)
print(json.dumps(out))
"""

# Site activity between the backup and the restore: a new revision, a deleted guide.
CHANGE_SITE = """
from asih.guides.models import GuidePage
page = GuidePage.objects.live().order_by("pk").first()
page.title = "Diubah setelah cadangan"
page.save_revision().publish()
GuidePage.objects.live().order_by("-pk").first().delete()
"""


def _database_url(tmp_path) -> tuple[str, str | None]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = f"asih_backup_{uuid.uuid4().hex[:8]}"
        return url.rsplit("/", 1)[0] + "/" + name, name
    return f"sqlite:///{tmp_path / 'site.sqlite3'}", None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One migrated site with the guides for the module (migrating takes ~20 s)."""
    tmp_path = tmp_path_factory.mktemp("backup-site")
    url, pg_name = _database_url(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asih.settings.test",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp_path / "media"),
    }

    def manage(*args, **more_env):
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env={**env, **more_env},
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return result

    if pg_name:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", pg_name], check=True)
    try:
        assert manage("migrate", "--noinput", "-v", "0").returncode == 0
        assert manage("load_guides").returncode == 0
        yield manage, tmp_path
    finally:
        if pg_name:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", pg_name],
                check=False,
            )


def _rows(manage) -> dict:
    result = manage("shell", "-v", "0", "-c", DUMP_ROWS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _media(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_and_restore_round_trip_every_row_and_file(site):
    manage, tmp_path = site
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "leaflet.txt").write_text("Jadwal kontrol nifas\n")
    before_rows, before_media = _rows(manage), _media(media)
    assert sum(len(rows) for rows in before_rows.values()) > 100
    assert before_media  # the loaded guides' images are media too

    archive = tmp_path / "backup.tar.gz"
    made = manage("backup_site", "--output", str(archive))
    assert made.returncode == 0, made.stderr
    assert "media files" in made.stdout

    assert manage("shell", "-v", "0", "-c", CHANGE_SITE).returncode == 0
    (media / "documents" / "leaflet.txt").write_text("changed")
    (media / "stray.txt").write_text("added after the backup")
    assert _rows(manage) != before_rows

    refused = manage("restore_site", str(archive))
    assert refused.returncode != 0 and "--yes" in refused.stderr
    restored = manage("restore_site", str(archive), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "verified" in restored.stdout

    assert _rows(manage) == before_rows
    assert _media(media) == before_media


def test_a_damaged_archive_is_refused_and_changes_nothing(site):
    manage, tmp_path = site
    archive = tmp_path / "backup.tar.gz"
    assert manage("backup_site", "--output", str(archive)).returncode == 0
    before = _rows(manage)
    damaged = tmp_path / "damaged.tar.gz"
    data = archive.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    result = manage("restore_site", str(damaged), "--yes")
    assert result.returncode != 0
    assert "cannot read the backup" in result.stderr
    assert _rows(manage) == before


# --- Issue 15, item 16: private files and rotated backups -----------------------------------


def test_the_database_file_and_the_archives_are_readable_by_their_owner_only(site):
    manage, tmp_path = site
    database = tmp_path / "site.sqlite3"
    if database.exists():  # the SQLite run (PostgreSQL keeps its own files private)
        assert database.stat().st_mode & 0o777 == 0o600
    archive = tmp_path / "private.tar.gz"
    assert manage("backup_site", "--output", str(archive)).returncode == 0
    assert archive.stat().st_mode & 0o777 == 0o600


def test_backup_site_keeps_only_the_newest_archives(site):
    import time

    manage, tmp_path = site
    backups = tmp_path / "var" / "backups"
    backups.mkdir(parents=True)
    for n in range(4):  # older archives, oldest first
        old = backups / f"asih-2026010{n + 1}-000000.tar.gz"
        old.write_bytes(b"old")
        os.utime(old, (time.time() - 86400 * (10 - n),) * 2)
    (backups / "notes.txt").write_text("not an archive: left alone")
    made = manage("backup_site", "--keep", "3", ASIH_VAR_DIR=str(tmp_path / "var"))
    assert made.returncode == 0, made.stderr
    kept = sorted(p.name for p in backups.glob("asih-*.tar.gz"))
    assert len(kept) == 3
    assert kept[:2] == ["asih-20260103-000000.tar.gz", "asih-20260104-000000.tar.gz"]
    assert (backups / "notes.txt").exists()
