"""`make serve` as a real process on a loopback port (issue 15, findings 9 and 12).

One served site (granian, 2 workers, production settings, a fresh SQLite database) for the
module: slow uploads must not stall it, and rate limits must hold across its two workers.
"""

import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from deploy.local import free_port, manage, stop, wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    var = tmp_path_factory.mktemp("served-var")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "MAKEFLAGS"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "asih.settings.production",
            "ASIH_HTTPS": "false",
            "SECRET_KEY": "served-test-key-0123456789-0123456789-0123456789",
            "ASIH_VAR_DIR": str(var),
            "ASIH_BODY_TIMEOUT": "10",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    port = free_port()
    log = (var / "serve.log").open("w")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}", "WORKERS=2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/robots.txt", timeout=180)  # a busy shared machine
        yield base, port
    finally:
        stop([process])
        log.close()


def slow_upload(port: int, stop_event: threading.Event, answers: list):
    """A POST that declares 100 bytes and sends one a second, as the audit did."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        sock.sendall(
            b"POST /api/share/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nSec-Fetch-Site: same-origin\r\n"
            b"Content-Length: 100\r\n\r\n"
        )
        try:
            while not stop_event.is_set():
                sock.sendall(b" ")
                stop_event.wait(1)
        except OSError:
            pass  # the server stopped reading: its answer is waiting
        sock.settimeout(10)
        try:
            answers.append(sock.recv(200) or b"closed")
        except OSError as error:
            answers.append(repr(error).encode())
    finally:
        sock.close()


def test_slow_uploads_do_not_stall_the_site(served):
    base, port = served
    stop_event, answers = threading.Event(), []
    uploads = [
        threading.Thread(target=slow_upload, args=(port, stop_event, answers)) for _ in range(8)
    ]
    started = time.monotonic()
    for upload in uploads:
        upload.start()
    time.sleep(1.5)  # every upload has started, and would be holding a thread
    try:
        timings = []
        for _ in range(3):
            before = time.monotonic()
            with urllib.request.urlopen(f"{base}/api/form-token/", timeout=5) as response:
                assert response.status == 200
            timings.append(time.monotonic() - before)
        # Answered while all eight uploads were still sending (none has had an answer yet).
        assert answers == [] and time.monotonic() - started < 10
        assert max(timings) < 3, timings
    finally:
        # Past ASIH_BODY_TIMEOUT (10 s): the server cuts the slow uploads off.
        time.sleep(max(0, started + 11.5 - time.monotonic()))
        stop_event.set()
        for upload in uploads:
            upload.join(timeout=15)
    # Each slow upload was cut off at the body timeout (a 408, or the connection closed on it).
    assert len(answers) == 8
    assert all(b" 408 " in a or b"Error" in a or a == b"closed" for a in answers), answers


def test_a_body_that_stops_coming_gets_408(served):
    _, port = served
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            b"POST /api/share/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        started = time.monotonic()
        answer = sock.recv(200)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert 9 < time.monotonic() - started < 25  # ASIH_BODY_TIMEOUT is 10 s here


def test_a_declared_body_over_the_cap_is_refused_before_it_is_read(served):
    _, port = served
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500000000\r\n\r\n"
        )
        assert b" 413 " in sock.recv(200)


def test_rate_limits_hold_across_both_workers(served):
    """/api/share/ takes 30 posts an hour per address (docs/reliability.md); each post here is
    a new connection, so granian spreads them over its two worker processes."""
    base, _ = served
    statuses = []
    for _ in range(40):
        request = urllib.request.Request(
            f"{base}/api/share/",
            data=json.dumps({}).encode(),
            headers={"Content-Type": "application/json", "Sec-Fetch-Site": "same-origin"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    assert statuses.count(429) == 10, statuses  # 30 accepted (refused as bad bodies), then 429
    assert set(statuses[:30]) == {400}
