"""`make cluster-check`: two app servers behind nginx with one PostgreSQL and one Redis.

Brings the recipe of docs/operations.md up on loopback ports and shows, with real HTTP:
1. a comment approved in the admin of server A is on the guide page served by server B at
   once (both page caches keep their versions in Redis), and on the page nginx serves (the
   approval sends nginx a PURGE through Wagtail's frontend cache);
2. rate limits count across both servers (the counters live in Redis).
Exits non-zero when either does not hold. Needs PostgreSQL, Redis and nginx (see `make`).
"""

from __future__ import annotations

import html
import http.cookiejar
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GRANIAN = str(ROOT / ".venv" / "bin" / "granian")
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages by name

from deploy import local  # noqa: E402
from deploy.local import free_port, nginx_locations, stop, wait_for  # noqa: E402

DATABASE = "asih_cluster_check"
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/7")
STAFF = ("moderator", "kata-sandi-klaster-2468")
# The moderator's authenticator key (hex): superusers must sign in with a two-step code.
STAFF_TOTP_KEY = "3132333435363738393031323334353637383930"
GUIDE = "/id/setelah-melahirkan/pijat-oksitosin/"


def current_code(hex_key: str) -> str:
    """The authenticator's code now (TOTP, 30 s steps, 6 digits: django-otp's defaults)."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(hex_key)):06d}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser-like client for one origin: cookies, and the Origin header on POSTs."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method)
        if method == "POST":
            request.add_header("Origin", self.base)
            request.add_header("Referer", self.base + path)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, data, **kwargs)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")


def check(condition: bool, message: str) -> None:
    print(("  ok   " if condition else "  FAIL ") + message, flush=True)
    if not condition:
        if os.environ.get("CLUSTER_HOLD"):
            print("holding for inspection", flush=True)
            time.sleep(int(os.environ["CLUSTER_HOLD"]))
        raise SystemExit(1)


def main() -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is missing: `make cluster-check` installs it with apt-get")
    work = Path(tempfile.mkdtemp(prefix="asih-cluster-"))
    work.chmod(0o755)  # nginx workers run as another user when started by root
    port_a, port_b, port_nginx = free_port(), free_port(), free_port()
    nginx_url = f"http://127.0.0.1:{port_nginx}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asih.settings.production",
        "ASIH_HTTPS": "false",
        "SECRET_KEY": "cluster-check-only-not-secret",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ASIH_VAR_DIR": str(work),
        "MEDIA_ROOT": str(work / "media"),
        "ASIH_FRONTEND_CACHE_URL": nginx_url,
        "ASIH_TRUSTED_PROXY_COUNT": "1",
        "ASIH_PAGE_CACHE_STATE_HEADER": "on",  # the checks read X-Page-Cache
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }

    def manage(*args: str) -> str:
        return local.manage(env, *args)

    print(f"== PostgreSQL database {DATABASE}, Redis {REDIS_URL}, work dir {work}", flush=True)
    psql = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *psql, "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", *psql, DATABASE], check=True)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    manage("migrate", "--noinput", "-v", "0")
    manage("load_guides")
    manage("collectstatic", "--noinput", "-v", "0")
    manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.contrib.auth import get_user_model;"
        f"get_user_model().objects.create_superuser('{STAFF[0]}', 'mod@example.test', "
        f"'{STAFF[1]}');"
        "from django_otp.plugins.otp_totp.models import TOTPDevice;"
        f"TOTPDevice.objects.create(user=get_user_model().objects.get(username='{STAFF[0]}'),"
        f" name='phone', key='{STAFF_TOTP_KEY}', confirmed=True);"
        # Pages' absolute URLs (and Wagtail's purges) name the address visitors use: nginx.
        "from wagtail.models import Site;"
        "site = Site.objects.get(is_default_site=True);"
        f"site.hostname, site.port = '127.0.0.1', {port_nginx}; site.save()",
    )

    locations = nginx_locations(work)
    (work / "nginx.conf").write_text(
        f"""
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    include asih-http.conf;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    proxy_cache_path {work}/nginx-cache levels=1:2 keys_zone=asih:10m inactive=10m
                     use_temp_path=off;
    upstream asih {{ server 127.0.0.1:{port_a}; server 127.0.0.1:{port_b}; keepalive 8; }}
    server {{
        listen 127.0.0.1:{port_nginx};
{locations}
    }}
}}
"""
    )

    processes = []
    try:
        for port in (port_a, port_b):
            processes.append(
                subprocess.Popen(
                    [GRANIAN, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
                    + ["--workers", "1", "--blocking-threads", "4", "--no-ws"]
                    + ["--log-level", "warning"]
                    + ["asih.wsgi:application"],
                    env=env,
                    cwd=ROOT,
                    start_new_session=True,
                )
            )
        processes.append(
            subprocess.Popen(
                [nginx, "-c", str(work / "nginx.conf"), "-p", str(work)], start_new_session=True
            )
        )
        server_a = Client(f"http://127.0.0.1:{port_a}")
        server_b = Client(f"http://127.0.0.1:{port_b}")
        front = Client(nginx_url)
        for client in (server_a, server_b, front):
            wait_for(client.base + GUIDE)
        run_checks(server_a, server_b, front, manage)
        print("== all checks passed", flush=True)
    finally:
        stop(processes)
        subprocess.run(["dropdb", *psql, "--if-exists", DATABASE], check=False)
        if os.environ.get("CLUSTER_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)


def comment(number: int) -> dict:
    return {
        "name": f"Ibu Pembaca {number}",
        "email": f"pembaca{number}@example.test",
        "body": f"Pertanyaan nomor {number}: kapan waktu terbaik untuk pijat oksitosin?",
        "website": "",
        "started": "",
    }


def run_checks(server_a: Client, server_b: Client, front: Client, manage) -> None:
    submit = f"/id/komentar/kirim/{page_id(manage)}/"

    print("== a comment approved through server A shows on server B and through nginx")
    for client, header, name in (
        (server_b, "X-Page-Cache", "server B's page cache"),
        (front, "X-Proxy-Cache", "nginx's cache"),
    ):
        client.get(GUIDE)
        status, headers, _ = client.get(GUIDE)
        check(
            status == 200 and headers.get(header) == "HIT",
            f"{name} holds the guide page ({header}: {headers.get(header)}, {status})",
        )

    status, _, _ = server_a.post(submit, comment(1))
    check(status == 303, "a reader's comment is accepted by server A (303)")
    text = comment(1)["body"]
    comment_id = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from asih.comments.models import Comment;print(Comment.objects.latest('pk').pk)",
    ).strip()
    check(text not in html.unescape(server_b.get(GUIDE)[2]), "it waits for moderation (not shown)")

    server_a.get("/admin/login/")
    status, _, _ = server_a.post(
        "/admin/login/",
        {
            "username": STAFF[0],
            "password": STAFF[1],
            "otp_token": current_code(STAFF_TOTP_KEY),
            "csrfmiddlewaretoken": server_a.csrf(),
        },
    )
    check(status == 302, "a moderator signs in on server A (password and two-step code)")
    status, _, _ = server_a.post(
        f"/admin/comments/{comment_id}/approve/", {"csrfmiddlewaretoken": server_a.csrf()}
    )
    check(status in (200, 302), "the moderator approves it on server A")

    status, headers, body = server_b.get(GUIDE)
    check(text in html.unescape(body), "server B's next answer shows the approved comment")
    check(headers.get("X-Page-Cache") == "MISS", "…because its cached copy was retired (Redis)")
    deadline = time.monotonic() + 10
    while True:
        status, headers, body = front.get(GUIDE)
        if text in html.unescape(body) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    check(text in html.unescape(body), "nginx's next answer shows it too (purged and refetched)")

    print("== rate limits count across both servers")
    statuses = []
    for number in range(2, 8):
        client = server_a if number % 2 else server_b
        statuses.append(client.post(submit, comment(number))[0])
    print(f"  statuses of comments 2–7, alternating B/A: {statuses}")
    accepted = statuses.count(303)
    check(accepted == 4, "5 comments in 10 minutes per address in all (1 + 4 accepted)")
    check(statuses[4:] == [429, 429], "the 6th and 7th are refused, whichever server gets them")


def page_id(manage) -> str:
    return manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from asih.guides.models import GuidePage;"
        "print(GuidePage.objects.get(slug='pijat-oksitosin').pk)",
    ).strip()


if __name__ == "__main__":
    sys.exit(main())
