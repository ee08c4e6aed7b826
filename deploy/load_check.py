"""`make load-check`: no post lost under load, none lost when the app server is killed.

On loopback, with a fresh database (a SQLite file under var/load/, or the PostgreSQL database
given by --database-url) and granian as production runs it (2 workers, production settings):
1. load: wrk keeps 200 connections busy on the guide pages while poster threads send comments
   and sign-ups, each with a unique marker; afterwards wrk must report no error (socket errors,
   timeouts, non-2xx/3xx) and every post answered 303 must be in the database;
2. crash: a burst of posts from several threads; once about half are acknowledged the whole
   granian process group gets SIGKILL; granian restarts on the same database and every
   acknowledged post must be there.
Prints a Markdown summary, writes it to bench/results/ and exits non-zero when either fails.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GRANIAN = str(ROOT / ".venv" / "bin" / "granian")
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages by name

from deploy import local  # noqa: E402
from deploy.local import free_port, stop, wait_for  # noqa: E402

ACKNOWLEDGED = 303  # both the comment form and the sign-up answer "see other" on success
FLAGSHIP_SLUG = "pijat-oksitosin"
SIGNUP_PATH = "/id/daftar/"
# The same server flags as the production unit (deploy/systemd/asih-app@.service); the
# blocking threads (each with its own database connection) are a command-line choice.
GRANIAN_FLAGS = ["--interface", "wsgi", "--workers", "2", "--no-ws"]


# --- What the posters record and what the database holds --------------------------------------


@dataclass
class PostResult:
    """One post: its kind ("comment" or "signup"), unique marker and the answer it got."""

    kind: str
    marker: str
    status: int | None  # None: no HTTP answer (connection refused, reset, timeout)
    error: str = ""
    answered_at: float = 0.0

    @property
    def acknowledged(self) -> bool:
        return self.status == ACKNOWLEDGED

    @property
    def outcome(self) -> str:
        return str(self.status) if self.status is not None else f"no answer ({self.error})"


def marker_email(marker: str) -> str:
    """Comments and sign-ups keep the address as typed (lower-cased): it carries the marker."""
    return f"{marker}@example.test"


def find_stored(markers: dict[str, list[str]]) -> dict[str, set[str]]:
    """The markers of each kind that have a row in the database (run inside Django)."""
    from asih.comments.models import Comment
    from asih.leads.models import SignUp

    models = {"comment": Comment, "signup": SignUp}
    found: dict[str, set[str]] = {}
    for kind, wanted in markers.items():
        emails = [marker_email(marker) for marker in wanted]
        rows: set[str] = set()
        for start in range(0, len(emails), 500):  # stay far below SQLite's variable limit
            chunk = emails[start : start + 500]
            rows.update(
                models[kind].objects.filter(email__in=chunk).values_list("email", flat=True)
            )
        found[kind] = {email.removesuffix("@example.test") for email in rows}
    return found


@dataclass
class Tally:
    """What the posters were told compared with what the database holds."""

    sent: int
    acknowledged: int
    acknowledged_stored: int
    lost: list[str]  # acknowledged but not in the database: must stay empty
    failed: Counter  # answers other than 303, by status or error
    stored_unacknowledged: int  # no 303 seen, yet stored (e.g. killed after the commit)
    by_kind: dict[str, int] = field(default_factory=dict)


def tally(results: list[PostResult], stored: dict[str, set[str]]) -> Tally:
    acknowledged = [r for r in results if r.acknowledged]
    lost = [r.marker for r in acknowledged if r.marker not in stored.get(r.kind, set())]
    failed = Counter(r.outcome for r in results if not r.acknowledged)
    stored_unacknowledged = sum(
        1 for r in results if not r.acknowledged and r.marker in stored.get(r.kind, set())
    )
    return Tally(
        sent=len(results),
        acknowledged=len(acknowledged),
        acknowledged_stored=len(acknowledged) - len(lost),
        lost=lost,
        failed=failed,
        stored_unacknowledged=stored_unacknowledged,
        by_kind=dict(Counter(r.kind for r in acknowledged)),
    )


# --- The poster client -----------------------------------------------------------------------


class Poster:
    """Posts comments and sign-ups as browsers behind nginx would: same-origin headers, each
    post from its own address (X-Forwarded-For, so per-address rate limits are not what is
    measured) and the form timing token a person's browser fetches."""

    def __init__(self, base: str, comment_path: str, run: str):
        self.base = base
        self.host = urllib.parse.urlsplit(base).netloc
        self.comment_path = comment_path
        self.run = run
        self.numbers = itertools.count(1)
        self.started = ""

    def fetch_form_token(self) -> None:
        status, body = self._request("GET", "/api/form-token/", None, {})
        if status != 200:
            raise SystemExit(f"/api/form-token/ answered {status}")
        self.started = json.loads(body)["started"]

    def form(self, kind: str) -> tuple[str, str, dict, dict]:
        """The next post of this kind: (marker, path, form fields, headers)."""
        number = next(self.numbers)
        marker = f"load-{self.run}-{kind}-{number:06d}"
        address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        if kind == "comment":
            path = self.comment_path
            fields = {
                "name": f"Pembaca Uji {number}",
                "email": marker_email(marker),
                "body": f"Pertanyaan uji beban {marker}: berapa menit pijat oksitosin sekali?",
            }
        else:
            path = SIGNUP_PATH
            fields = {
                "name": f"Ibu Uji {number}",
                "email": marker_email(marker),
                "stage": "planning",
                "consent": "on",
            }
        fields.update(website="", started=self.started)
        headers = {
            "Origin": self.base,
            "Sec-Fetch-Site": "same-origin",
            "X-Forwarded-For": address,
        }
        return marker, path, fields, headers

    def post(self, kind: str) -> PostResult:
        marker, path, fields, headers = self.form(kind)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(fields).encode()
        try:
            status, _ = self._request("POST", path, body, headers)
            return PostResult(kind, marker, status, answered_at=time.monotonic())
        except OSError as error:
            return PostResult(
                kind, marker, None, type(error).__name__, answered_at=time.monotonic()
            )

    def _request(self, method, path, body, headers, timeout=30):
        connection = http.client.HTTPConnection(self.host, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


def post_until(poster: Poster, threads: int, done: threading.Event, limit: int | None = None):
    """Post from `threads` threads, alternating comments and sign-ups, until `done` is set
    (or `limit` posts have been sent). Returns every result."""
    results: list[PostResult] = []
    lock = threading.Lock()
    budget = itertools.count()

    def work(index: int) -> None:
        kinds = itertools.cycle(["comment", "signup"] if index % 2 else ["signup", "comment"])
        while not done.is_set():
            if limit is not None and next(budget) >= limit:
                return
            result = poster.post(next(kinds))
            with lock:
                results.append(result)

    workers = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    return workers, results, lock


# --- wrk -------------------------------------------------------------------------------------

WRK_SCRIPT = """
-- The guide pages in turn, one list per wrk thread.
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def parse_wrk(output: str) -> dict:
    def duration_ms(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    def first(pattern: str, default: str = "0") -> str:
        match = re.search(pattern, output)
        return match.group(1) if match else default

    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    connect, read, write, timeout = (int(n) for n in socket.groups()) if socket else (0, 0, 0, 0)
    return {
        "requests": int(first(r"(\d+) requests in")),
        "rps": float(first(r"Requests/sec:\s+([\d.]+)")),
        "p50": duration_ms(first(r"50%\s+([\d.]+\w+)", "0ms")),
        "p99": duration_ms(first(r"99%\s+([\d.]+\w+)", "0ms")),
        "max": duration_ms(first(r"Latency\s+\S+\s+\S+\s+([\d.]+\w+)", "0ms")),
        "non_2xx_3xx": int(first(r"Non-2xx or 3xx responses:\s+(\d+)")),
        "connect": connect,
        "read": read,
        "write": write,
        "timeout": timeout,
    }


def wrk_errors(result: dict) -> int:
    return sum(result[key] for key in ("non_2xx_3xx", "connect", "read", "write", "timeout"))


# --- The run ---------------------------------------------------------------------------------


class Site:
    """A fresh database and granian serving it as production does."""

    def __init__(self, database_url: str, work: Path, blocking_threads: int = 4):
        self.flags = GRANIAN_FLAGS.copy()
        if blocking_threads:  # 0: granian's own default, as `make serve` runs it
            self.flags += ["--blocking-threads", str(blocking_threads)]
        self.database_url = database_url
        self.work = work
        self.backend = "postgresql" if database_url.startswith("postgres") else "sqlite"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "asih.settings.production",
            "ASIH_HTTPS": "false",
            "SECRET_KEY": "load-check-only-not-secret",
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ASIH_VAR_DIR": str(work),
            "MEDIA_ROOT": str(work / "media"),
            "ASIH_TRUSTED_PROXY_COUNT": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
        for name in ("REDIS_URL", "ASIH_FRONTEND_CACHE_URL", "ASIH_TASKS"):
            self.env.pop(name, None)
        self.server: subprocess.Popen | None = None
        self.log = work / "granian.log"

    def manage(self, *args: str) -> str:
        return local.manage(self.env, *args)

    def python(self, code: str) -> str:
        return self.manage("shell", "-v", "0", "-c", code)

    def prepare(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        # Fresh data; the collected static files are kept (collectstatic only adds changes).
        for name in ("pagecache", "media"):
            shutil.rmtree(self.work / name, ignore_errors=True)
        if self.backend == "sqlite":
            for path in self.work.glob("load.sqlite3*"):
                path.unlink()
        else:
            parts = urllib.parse.urlsplit(self.database_url)
            name = parts.path.lstrip("/")
            connect = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
            connect += ["-U", parts.username or "postgres"]
            subprocess.run(["dropdb", *connect, "--if-exists", "--force", name], check=True)
            subprocess.run(["createdb", *connect, name], check=True)
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("load_guides")
        self.manage("collectstatic", "--noinput", "-v", "0")

    def guide_paths(self) -> tuple[list[str], int]:
        """Every live guide page's path, and the flagship's page id (comments go there)."""
        output = self.python(
            "import json;from asih.guides.models import GuidePage;"
            "pages = GuidePage.objects.live().select_related('locale');"
            "print(json.dumps({'paths': [p.get_url(request=None) for p in pages],"
            f"'flagship': pages.filter(slug={FLAGSHIP_SLUG!r}, locale__language_code='id')"
            ".first().pk}))"
        )
        data = json.loads(output.strip().splitlines()[-1])
        return sorted(data["paths"]), data["flagship"]

    def stored(self, results: list[PostResult]) -> dict[str, set[str]]:
        markers: dict[str, list[str]] = {}
        for result in results:
            markers.setdefault(result.kind, []).append(result.marker)
        markers_file = self.work / "markers.json"
        markers_file.write_text(json.dumps(markers))
        output = self.python(
            "import json;from deploy.load_check import find_stored;"
            f"found = find_stored(json.load(open({str(markers_file)!r})));"
            "print(json.dumps({kind: sorted(found[kind]) for kind in found}))"
        )
        return {kind: set(v) for kind, v in json.loads(output.strip().splitlines()[-1]).items()}

    def start(self, paths: list[str]) -> None:
        log = self.log.open("a")
        self.server = subprocess.Popen(
            [GRANIAN, *self.flags, "--host", "127.0.0.1", "--port", str(self.port)]
            + ["--log-level", "warning", "asih.wsgi:application"],
            env=self.env,
            cwd=ROOT,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self.base + paths[0])

    def kill(self) -> None:
        """SIGKILL to granian and its workers at once: no shutdown, no flush, no goodbye."""
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait()

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            stop([self.server])

    def server_errors(self) -> dict[str, int]:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return {
            "tracebacks": text.count("Traceback"),
            "database is locked": text.count("database is locked"),
        }


def warm(base: str, paths: list[str]) -> None:
    for path in paths:
        for _ in range(2):  # the second request is a page-cache hit
            connection = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=60)
            connection.request("GET", path)
            status = connection.getresponse().status
            connection.close()
            if status != 200:
                raise SystemExit(f"{path} answered {status} before the load run")


def load_run(site: Site, paths, flagship_id: int, args) -> dict:
    poster = Poster(site.base, f"/id/komentar/kirim/{flagship_id}/", uuid.uuid4().hex[:8])
    poster.fetch_form_token()
    script = site.work / "guides.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    warm(site.base, paths)
    time.sleep(3.2)  # the timing token is accepted once a person could have typed the form

    done = threading.Event()
    workers, results, _ = post_until(poster, args.post_threads, done)
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s"]
    command += ["--timeout", f"{args.timeout}s", "--latency", "-H", "Accept-Encoding: gzip"]
    command += ["-s", str(script), site.base]
    wrk = subprocess.run(command, capture_output=True, text=True)
    load_average = os.getloadavg()[1]  # over the last 5 minutes: the run and its neighbours
    done.set()
    for worker in workers:
        worker.join(60)
    (site.work / "wrk.txt").write_text(wrk.stdout + wrk.stderr)
    if wrk.returncode:
        raise SystemExit(f"wrk failed:\n{wrk.stdout}{wrk.stderr}")
    site.stop()
    return {
        "wrk": parse_wrk(wrk.stdout),
        "posts": tally(results, site.stored(results)),
        "server": site.server_errors(),
        "posts_per_second": len(results) / args.seconds,
        "load_average": load_average,
    }


def crash_run(site: Site, paths, flagship_id: int, args) -> dict:
    site.log = site.work / "granian-crash.log"
    site.log.write_text("")
    site.start(paths)
    poster = Poster(site.base, f"/id/komentar/kirim/{flagship_id}/", uuid.uuid4().hex[:8])
    poster.fetch_form_token()
    time.sleep(3.2)
    done = threading.Event()
    workers, results, lock = post_until(poster, args.crash_threads, done, limit=args.crash_posts)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with lock:
            acknowledged = sum(r.acknowledged for r in results)
        if acknowledged >= args.crash_posts // 2 or not any(w.is_alive() for w in workers):
            break
        time.sleep(0.005)
    killed_at = time.monotonic()
    site.kill()
    # The posts already under way get their (connection) errors; no new ones start.
    done.set()
    for worker in workers:
        worker.join(60)
    failed_before_kill = Counter(
        r.outcome for r in results if not r.acknowledged and r.answered_at < killed_at
    )

    site.start(paths)
    after = poster.post("comment")
    results_after = [after]
    stored = site.stored(results + results_after)
    site.stop()
    return {
        "posts": tally(results, stored),
        "failed_before_kill": failed_before_kill,
        "after_restart": after.outcome,
        "after_restart_stored": after.marker in stored.get("comment", set()),
        "server": site.server_errors(),
    }


def render_report(site: Site, args, load: dict | None, crash: dict | None) -> str:
    cpu = os.cpu_count()
    lines = [
        f"# Load and crash check, {site.backend} — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.node()}, {cpu} cores shared with other work (figures are noisy), "
        f"Python {sys.version.split()[0]}; granian {' '.join(site.flags)}, production "
        f"settings, page cache on; database `{site.backend}`.",
        "",
    ]
    if load:
        w, p = load["wrk"], load["posts"]
        lines += [
            f"## Load: wrk -t2 -c{args.connections} -d{args.seconds}s --timeout {args.timeout}s "
            f"on the guide pages, {args.post_threads} poster threads",
            "",
            "| requests | req/s | p50 ms | p99 ms | max ms | non-2xx/3xx | connect/read/write "
            "errors | timeouts |",
            "|---:|---:|---:|---:|---:|---:|---|---:|",
            f"| {w['requests']} | {w['rps']:.0f} | {w['p50']:.2f} | {w['p99']:.2f} | "
            f"{w['max']:.0f} | {w['non_2xx_3xx']} | {w['connect']}/{w['read']}/{w['write']} | "
            f"{w['timeout']} |",
            "",
            "| posts sent | acknowledged (303) | of those stored | lost | failed | posts/s |",
            "|---:|---:|---:|---:|---|---:|",
            f"| {p.sent} | {p.acknowledged} ({_kinds(p)}) | {p.acknowledged_stored} | "
            f"{len(p.lost)} | {_failed(p.failed)} | {load['posts_per_second']:.1f} |",
            "",
            f"Server log: {load['server']['tracebacks']} tracebacks, "
            f'{load["server"]["database is locked"]} "database is locked". Load average (5 min) '
            f"at the end of the run: {load['load_average']:.2f} on {cpu} cores.",
            "",
        ]
    if crash:
        p = crash["posts"]
        lines += [
            f"## Crash: {args.crash_posts} posts from {args.crash_threads} threads, SIGKILL to "
            "granian's process group once half are acknowledged, restart on the same database",
            "",
            "| posts sent | acknowledged before the kill | of those stored after restart | lost | "
            "no 303 (in flight or after the kill) | stored without a 303 | first post after "
            "restart |",
            "|---:|---:|---:|---:|---|---:|---|",
            f"| {p.sent} | {p.acknowledged} ({_kinds(p)}) | {p.acknowledged_stored} | "
            f"{len(p.lost)} | {_failed(p.failed)} | {p.stored_unacknowledged} | "
            f"{crash['after_restart']}"
            f"{', stored' if crash['after_restart_stored'] else ', NOT stored'} |",
            "",
            f"Failed answers before the kill: {_failed(crash['failed_before_kill'])}. Server log: "
            f"{crash['server']['tracebacks']} tracebacks, "
            f'{crash["server"]["database is locked"]} "database is locked".',
            "",
        ]
    return "\n".join(lines)


def _kinds(p: Tally) -> str:
    return ", ".join(f"{count} {kind}s" for kind, count in sorted(p.by_kind.items()))


def _failed(failed: Counter) -> str:
    return ", ".join(f"{count}× {outcome}" for outcome, count in failed.most_common()) or "0"


def problems(load: dict | None, crash: dict | None) -> list[str]:
    found = []
    if load:
        if wrk_errors(load["wrk"]):
            found.append(f"wrk saw errors: {load['wrk']}")
        if load["posts"].lost:
            found.append(f"{len(load['posts'].lost)} acknowledged posts missing after the load")
        if load["posts"].failed:
            found.append(f"posts failed under load: {_failed(load['posts'].failed)}")
        if load["server"]["tracebacks"]:
            found.append(f"{load['server']['tracebacks']} tracebacks in the server log")
    if crash:
        if crash["posts"].lost:
            found.append(f"{len(crash['posts'].lost)} acknowledged posts lost in the crash")
        if crash["failed_before_kill"]:
            found.append(f"posts failed before the kill: {_failed(crash['failed_before_kill'])}")
        if not crash["after_restart_stored"]:
            found.append(f"the first post after the restart: {crash['after_restart']}")
        if crash["posts"].acknowledged < 1:
            found.append("no post was acknowledged before the kill")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--seconds", type=int, default=60, help="length of the load run")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--timeout", type=int, default=5, help="wrk's per-request timeout")
    parser.add_argument(
        "--blocking-threads", type=int, default=4, help="per worker; 0: granian's default"
    )
    parser.add_argument("--post-threads", type=int, default=4)
    parser.add_argument("--crash-posts", type=int, default=400)
    parser.add_argument("--crash-threads", type=int, default=8)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-crash", action="store_true")
    parser.add_argument("--results", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make load-check` installs it with apt-get")

    backend = "postgresql" if args.database_url.startswith("postgres") else "sqlite"
    work = ROOT / "var" / "load" / backend
    database_url = args.database_url or f"sqlite:///{work / 'load.sqlite3'}"
    site = Site(database_url, work, args.blocking_threads)
    print(f"== {backend}: fresh database, guides, static files ({work})", flush=True)
    site.prepare()
    paths, flagship_id = site.guide_paths()
    load = crash = None
    try:
        if not args.skip_load:
            site.log = site.work / "granian-load.log"
            site.log.write_text("")
            site.start(paths)
            print(f"== load: {len(paths)} guide pages, {args.seconds}s", flush=True)
            load = load_run(site, paths, flagship_id, args)
        if not args.skip_crash:
            print(f"== crash: {args.crash_posts} posts, SIGKILL half-way", flush=True)
            crash = crash_run(site, paths, flagship_id, args)
    finally:
        site.stop()

    report = render_report(site, args, load, crash)
    print(report, flush=True)
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    (results / f"load-{backend}-{datetime.now(UTC):%Y%m%d-%H%M}.md").write_text(report)
    found = problems(load, crash)
    for problem in found:
        print(f"FAIL {problem}", flush=True)
    if found:
        raise SystemExit(1)
    print("== every acknowledged post is in the database; wrk saw no error", flush=True)


if __name__ == "__main__":
    main()
