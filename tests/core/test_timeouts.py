"""Outbound connections give up: a Redis or PostgreSQL that accepts and never answers costs a
request a few seconds, never a hung worker."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import time
import django
django.setup()
from django.core.cache import cache
from django.db import connection
for name, call in (("redis", lambda: cache.get("x")), ("postgres", connection.ensure_connection)):
    started = time.monotonic()
    try:
        call()
        print(name, "answered")
    except Exception as error:
        print(name, type(error).__name__, round(time.monotonic() - started, 1))
"""


def test_a_silent_redis_and_postgresql_time_out(tmp_path):
    with socket.socket() as silent:  # listens, never accepts or answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "asih.settings.dev",
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
            "DATABASE_URL": f"postgres://asih@127.0.0.1:{port}/asih",
            "ASIH_VAR_DIR": str(tmp_path),
        }
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", PROBE],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=90,  # without the timeouts this would hang: fail instead
        )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    redis_error, redis_seconds = lines["redis"].split()
    postgres_error, postgres_seconds = lines["postgres"].split()
    assert redis_error in ("TimeoutError", "ConnectionError")
    assert float(redis_seconds) <= 4.5
    assert postgres_error == "OperationalError"
    assert float(postgres_seconds) <= 12
    assert time.monotonic() - started < 30
