"""Production settings pass Django's deployment checks with no warning."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_has_no_warnings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asih.settings.production",
        "SECRET_KEY": "a-long-random-production-key-for-the-check-0123456789-abcdefghijkl",
        "ALLOWED_HOSTS": "klinik.example",
    }
    # `make test` allows sync ORM calls from Playwright's event loop; production never does.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "asih.settings.production", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
