"""Issue 15, findings 4, 5 and 15, in the real nginx recipe (deploy/nginx) before a fake app.

Runs nginx when it is installed (`make bench-tools`; CI installs it before the PostgreSQL pass).
"""

import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from deploy.local import free_port, nginx_locations

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")


class FakeApp(BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):  # noqa: N802 (http.server's API)
        FakeApp.seen.append((self.path, self.headers.get("Cookie")))
        if self.path.startswith("/media/original_images/"):
            body, status = b'<svg xmlns="http://www.w3.org/2000/svg"/>', 200
            headers = {"Content-Type": "image/svg+xml", "Content-Security-Policy": "default-src *"}
        elif self.path.startswith("/media/"):
            body, status, headers = b"not here", 404, {"Content-Type": "text/plain"}
        else:
            body, status = b"<p>page</p>", 200
            headers = {
                "Content-Type": "text/html",
                "Cache-Control": "public, max-age=0, must-revalidate, s-maxage=300",
            }
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx(tmp_path):
    app = ThreadingHTTPServer(("127.0.0.1", 0), FakeApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    FakeApp.seen = []
    port = free_port()
    (tmp_path / "media" / "documents").mkdir(parents=True)
    (tmp_path / "media" / "documents" / "secret.txt").write_text("private notes")
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"""
{user}
worker_processes 1;
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    include asih-http.conf;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    proxy_cache_path {tmp_path}/cache levels=1:2 keys_zone=asih:1m use_temp_path=off;
    upstream asih {{ server 127.0.0.1:{app.server_port}; }}
    server {{
        listen 127.0.0.1:{port};
{nginx_locations(tmp_path)}
    }}
}}
"""
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)
    app.shutdown()


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def app_requests(path):
    return [seen for seen in FakeApp.seen if seen[0] == path]


# nginx's own $cookie_sessionid skips spaces before "=", not tabs; Django strips both.
@pytest.mark.parametrize("cookie", ["sessionid =editor", "sessionid\t=editor", "a=1;sessionid=x"])
def test_a_session_cookie_is_never_answered_from_or_into_the_cache(nginx, cookie):
    for _ in range(2):
        assert fetch(f"{nginx}/id/page/", Cookie=cookie)[0] == 200
    assert len(app_requests("/id/page/")) == 2  # the editor always reaches the app
    fetch(f"{nginx}/id/page/"), fetch(f"{nginx}/id/page/")
    assert len(app_requests("/id/page/")) == 3  # the editor's copy was never stored


def test_uploads_are_never_read_from_the_folder_and_carry_a_sandbox(nginx):
    status, _, body = fetch(f"{nginx}/media/documents/secret.txt")
    assert status == 404 and b"private notes" not in body
    assert app_requests("/media/documents/secret.txt")  # the app decided
    status, headers, _ = fetch(f"{nginx}/media/original_images/drawing.svg")
    assert status == 200
    assert headers.get_all("Content-Security-Policy") == [
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
    ]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert fetch(f"{nginx}/media/documents/secret.txt")[1]["X-Content-Type-Options"] == "nosniff"
