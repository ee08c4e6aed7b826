"""The production pieces on loopback ports: shared by `make bench`, `make cluster-check` and
`make load-check`."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

NGINX_DIR = Path(__file__).resolve().parent / "nginx"
ROOT = NGINX_DIR.parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def manage(env: dict, *args: str) -> str:
    """Run a manage.py command with `env`; its output, or exit with the end of its errors."""
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 90) -> None:
    """Until `url` answers at all (an HTTP error is an answer)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout}s")


def stop(processes: list[subprocess.Popen], timeout: float = 15) -> None:
    """Stop process groups started with start_new_session=True: politely, then for sure."""
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def nginx_locations(work: Path) -> str:
    """The recipe's server-block locations for a site whose var/ is `work`; the files they
    include (asih-proxy.conf, asih-http.conf) are copied beside the nginx.conf in `work`."""
    for name in ("asih-proxy.conf", "asih-http.conf"):
        shutil.copy(NGINX_DIR / name, work / name)
    locations = (NGINX_DIR / "asih-locations.conf").read_text()
    locations = locations.replace("$ASIH_STATIC_ROOT", str(work / "static"))
    return locations.replace("$ASIH_MEDIA_ROOT", str(work / "media"))
