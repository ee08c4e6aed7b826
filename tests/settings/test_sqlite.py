"""SQLite in the embedded mode: WAL, synchronous=FULL, a busy timeout and BEGIN IMMEDIATE, so that
several app-server processes write without "database is locked" and without losing a commit."""

import runpy
import threading
import time
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler

import asih.settings.base

BASE_SETTINGS = Path(asih.settings.base.__file__)


@pytest.fixture
def sqlite_database(tmp_path, monkeypatch, django_db_blocker):
    """A ConnectionHandler for a fresh SQLite file configured exactly as settings/base.py does
    when DATABASE_URL is unset or names SQLite (whatever database this test run uses)."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'embedded.sqlite3'}")
    databases = runpy.run_path(str(BASE_SETTINGS))["DATABASES"]
    handler = ConnectionHandler({"default": databases["default"]})
    with django_db_blocker.unblock():
        yield handler
        handler.close_all()


def pragma(connection, name: str):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_a_new_connection_has_the_durability_and_locking_settings(sqlite_database):
    connection = sqlite_database["default"]

    assert pragma(connection, "journal_mode") == "wal"
    assert pragma(connection, "synchronous") == 2  # FULL
    assert pragma(connection, "busy_timeout") == 20000
    assert connection.transaction_mode == "IMMEDIATE"


def test_postgresql_gets_no_sqlite_options(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/asih_unused")
    databases = runpy.run_path(str(BASE_SETTINGS))["DATABASES"]

    # Only its own connect timeout (see tests/core/test_timeouts.py), nothing of SQLite's.
    assert databases["default"].get("OPTIONS", {}) == {"connect_timeout": 5}


def test_a_second_writer_waits_for_the_first_instead_of_failing(sqlite_database):
    """Two transactions that read, then write (as a comment submission does): with deferred
    transactions the second cannot wait for the lock once it has read, and fails with
    "database is locked"; with BEGIN IMMEDIATE it queues behind the first and succeeds."""
    connection = sqlite_database["default"]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE comment (id INTEGER PRIMARY KEY, body TEXT)")
    first_has_lock = threading.Event()
    errors, order = [], []

    def writer(name: str, hold: float, after: threading.Event | None) -> None:
        if after is not None:
            after.wait(5)
        own = sqlite_database["default"]  # this thread's own connection
        try:
            # How atomic() opens a transaction on SQLite (BEGIN, in the configured mode).
            own.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with own.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM comment")
                if after is None:
                    first_has_lock.set()
                time.sleep(hold)
                cursor.execute("INSERT INTO comment (body) VALUES (%s)", [name])
            own.commit()
            order.append(name)
        except Exception as error:  # noqa: BLE001 — the error is what the test reports
            errors.append(f"{name}: {error}")
        finally:
            own.close()

    threads = [
        threading.Thread(target=writer, args=("first", 0.5, None)),
        threading.Thread(target=writer, args=("second", 0, first_has_lock)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert order == ["first", "second"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM comment ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
