"""Browser tests drive Debian's Chromium against a real server started from a fresh database."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in this thread, and Django refuses database calls
# from a thread with a running loop. The browser tests (and whatever shares their process) may
# make them; the served site and `make serve` never get this flag.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        # Never skip: a browser test that does not run is a defect. `make test` installs it.
        pytest.fail(
            f"Chromium not found at {executable}; run `make browser` (apt-get install chromium)"
        )
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_FLAGS}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def site_env(tmp_path_factory):
    """Environment of the served site: its own SQLite file, media folder and port.

    Under xdist each worker has its own temporary folder and free port, so its own site.
    """
    workdir = tmp_path_factory.mktemp("browser-site")
    port = _free_port()
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "asih.settings.test",
        "DATABASE_URL": f"sqlite:///{workdir / 'site.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        # The served site and the manage.py commands a test runs share the page cache's
        # counters, so what a command changes retires the server's kept page parts.
        "ASIH_PAGE_CACHE_DIR": str(workdir / "pagecache"),
        "ASIH_WORKDIR": str(workdir),
        # The served site's one public address (links in pages, emails and downloads).
        "ASIH_TEST_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }


@pytest.fixture(scope="session")
def site_manage(site_env):
    """Run a manage.py command against the served site's database; returns its stdout."""

    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=site_env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    return run


@pytest.fixture(scope="session")
def site_url(site_env, site_manage):
    """Migrate a fresh SQLite database, load the guides and serve them like `make run` does."""
    env = site_env
    workdir = Path(env["ASIH_WORKDIR"])
    manage = [sys.executable, str(ROOT / "manage.py")]
    site_manage("migrate", "--noinput", "-v0")
    site_manage("load_guides")
    url = env["ASIH_TEST_PUBLIC_URL"]
    port = url.rsplit(":", 1)[1]
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(
        manage + ["runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/id/", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError((workdir / "server.log").read_text()) from None
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def screenshot_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
