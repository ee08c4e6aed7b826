"""`make bench`: the guide page served four ways, measured side by side in one run with wrk.

(a) nginx serving the guide page's exact bytes as a precompressed static file — the limit;
(b) the app alone (granian, 2 workers) with the page cache warm;
(c) nginx in front of the app (a short proxy cache, as in docs/operations.md);
(d) the app with the page cache off.
Writes a Markdown table to bench/results/ with req/s, p50, p99 and the ratio to (a), the guide
page's transferred bytes and its SQL query count. These are benchmark figures, not tests: the
machine is noisy, so compare the rows of one run with each other, not runs with runs.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRANIAN = str(ROOT / ".venv" / "bin" / "granian")
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages (deploy, bench) by name

from deploy.local import free_port, manage, nginx_locations, stop, wait_for  # noqa: E402


def fetch(url: str, *, gzip_ok: bool = True):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers, response.read()


def parse_wrk(output: str) -> dict:
    def duration_ms(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = duration_ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1))
    p99 = duration_ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
    }


def run_wrk(url: str, seconds: int, connections: int) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        "-H",
        "Accept-Encoding: gzip",
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return parse_wrk(output)


NGINX_CONF = """
worker_processes 2;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    include asih-http.conf;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    default_type text/html;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    proxy_cache_path {work}/nginx-cache levels=1:2 keys_zone=asih:10m max_size=256m
                     inactive=10m use_temp_path=off;
    upstream asih {{ server 127.0.0.1:{app_port}; keepalive 64; }}

    # (a) the guide page's bytes as a static file, precompressed
    server {{
        listen 127.0.0.1:{static_port};
        root {work}/static-site;
        gzip_static on;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}

    # (c) nginx in front of the app: the recipe's proxy cache
{proxy_server}
}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--guides", type=int, default=10000, help="generated guides to add")
    parser.add_argument("--comments", type=int, default=5000, help="comments on one guide")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--keep", action="store_true", help="reuse the dataset of a previous run")
    parser.add_argument(
        "--only",
        default="abcd",
        help="the setups to measure, e.g. `d` or `ad` (default: all four)",
    )
    args = parser.parse_args()
    only = set(args.only.lower())
    if not only or only - set("abcd"):
        parser.error("--only takes letters among a, b, c and d")

    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: `make bench` installs it with apt-get")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"

    work = Path(args.workdir)
    if work.exists() and not args.keep:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asih.settings.production",
        "ASIH_HTTPS": "false",
        "SECRET_KEY": "bench-only-not-secret",
        "DATABASE_URL": database_url,
        "ASIH_VAR_DIR": str(work),
        "MEDIA_ROOT": str(work / "media"),
        "ASIH_PAGE_CACHE_DIR": str(work / "pagecache"),
        "ASIH_PAGE_CACHE_STATE_HEADER": "on",  # the report shows whether the app hit its cache
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)

    started = time.monotonic()
    if not (args.keep and (work / "dataset-ready").exists()):
        print("== building the dataset", flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_guides")
        manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            f"from bench.dataset import build; build(guides={args.guides}, "
            f"comments={args.comments})",
        )
        manage(env, "collectstatic", "--noinput", "-v", "0")
        (work / "dataset-ready").touch()
    print(f"   dataset ready in {time.monotonic() - started:.0f}s", flush=True)

    guide_path = manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from bench.dataset import flagship_path; print(flagship_path())",
    ).strip()
    queries = manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        f"from bench.dataset import count_queries; print(count_queries({guide_path!r}))",
    ).strip()

    app_port, nocache_port = free_port(), free_port()
    static_port, proxy_port = free_port(), free_port()
    processes = []

    def serve(port: int, extra: dict) -> None:
        command = [GRANIAN, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", "2", "--blocking-threads", "4", "--no-ws"]
        command += ["--log-level", "warning", "asih.wsgi:application"]
        processes.append(
            subprocess.Popen(command, env={**env, **extra}, cwd=ROOT, start_new_session=True)
        )

    try:
        serve(app_port, {"ASIH_PAGE_CACHE": "on"})
        serve(nocache_port, {"ASIH_PAGE_CACHE": "off"})
        for port in (app_port, nocache_port):
            wait_for(f"http://127.0.0.1:{port}{guide_path}")

        # The exact bytes the app sends, as nginx's static file.
        status, headers, body = fetch(f"http://127.0.0.1:{app_port}{guide_path}")
        html = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
        site = work / "static-site" / guide_path.strip("/")
        site.mkdir(parents=True, exist_ok=True)
        (site / "index.html").write_bytes(html)
        (site / "index.html.gz").write_bytes(gzip.compress(html, compresslevel=9, mtime=0))

        proxy_server = (
            f"    server {{\n        listen 127.0.0.1:{proxy_port};\n"
            f"        root {work}/var-static-unused;\n{nginx_locations(work)}\n    }}"
        )
        conf = NGINX_CONF.format(
            work=work, app_port=app_port, static_port=static_port, proxy_server=proxy_server
        )
        (work / "nginx.conf").write_text(conf)
        processes.append(
            subprocess.Popen(
                [nginx, "-c", str(work / "nginx.conf"), "-p", str(work)], start_new_session=True
            )
        )
        for port in (static_port, proxy_port):
            wait_for(f"http://127.0.0.1:{port}{guide_path}")

        transfer = page_weight(f"http://127.0.0.1:{app_port}", guide_path, html)
        proxied = f"http://127.0.0.1:{proxy_port}{guide_path}"
        fetch(proxied)
        proxy_status = fetch(proxied)[1].get("X-Proxy-Cache", "?")
        app_status = fetch(f"http://127.0.0.1:{app_port}{guide_path}")[1].get("X-Page-Cache", "?")
        print(f"   nginx cache: {proxy_status}; app page cache: {app_status}", flush=True)

        rows = []
        runs = [
            ("(a) nginx, precompressed static file", static_port),
            ("(b) app alone, page cache warm", app_port),
            ("(c) nginx in front of the app", proxy_port),
            ("(d) app, page cache off", nocache_port),
        ]
        for label, port in runs:
            if label[1] not in only:
                continue
            url = f"http://127.0.0.1:{port}{guide_path}"
            fetch(url)  # warm
            print(f"== {label}", flush=True)
            result = run_wrk(url, args.seconds, args.connections)
            print(f"   {result['rps']:.0f} req/s, p50 {result['p50']:.2f} ms", flush=True)
            rows.append((label, result))
    finally:
        stop(processes)

    report = render_report(rows, transfer, queries, guide_path, args, database_url)
    report += f"Second request: nginx cache {proxy_status}, app page cache {app_status}.\n"
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    if only == set("abcd"):
        (results / f"pages-{stamp}.md").write_text(report)
        (results / "pages-latest.md").write_text(report)
    else:  # a partial run is for iterating: kept beside its dataset, not with the full runs
        (work / f"pages-{stamp}-only-{''.join(sorted(only))}.md").write_text(report)
    print(report)


def page_weight(base: str, path: str, html: bytes) -> dict:
    """Compressed bytes of the page and the CSS, JS and fonts it loads."""
    _, _, page_gz = fetch(base + path)
    weight = {"html": len(page_gz), "css": 0, "js": 0, "fonts": 0}
    text = html.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', text)
    for kind, urls in (("css", assets), ("js", scripts)):
        for url in urls:
            _, _, data = fetch(base + url)
            weight[kind] += len(data)
    # Modules imported by app.js for this page's components load too.
    for module in sorted(set(re.findall(r'data-module="asih-([a-z-]+)"', text))):
        _, _, data = fetch(f"{base}/static/asih/js/{module}.js")
        weight["js"] += len(data)
    return weight


def render_report(rows, transfer, queries, path, args, database_url) -> str:
    # The ratio is to (a), the static file; a run without (a) has no ratio.
    limit = rows[0][1]["rps"] if rows and rows[0][0].startswith("(a)") else None
    lines = [
        f"# Guide page benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"wrk -t2 -c{args.connections} -d{args.seconds}s --timeout 30s, Accept-Encoding: gzip; "
        f"page `{path}`; database `{database_url.split(':')[0]}`; dataset: the guides + "
        f"{args.guides} generated guides + {args.comments} comments on one guide.",
        "",
        "| setup | req/s | p50 ms | p99 ms | ratio to (a) | non-2xx | socket errors |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, result in rows:
        ratio = f"{result['rps'] / limit:.0%}" if limit else "-"
        lines.append(
            f"| {label} | {result['rps']:.0f} | {result['p50']:.2f} | {result['p99']:.2f} | "
            f"{ratio} | {result['non_2xx']} | "
            f"{result['socket_errors'] or '-'} |"
        )
    total = sum(transfer.values())
    lines += [
        "",
        f"Transferred (gzip): HTML {transfer['html'] / 1024:.1f} KB, CSS "
        f"{transfer['css'] / 1024:.1f} KB, JS {transfer['js'] / 1024:.1f} KB, fonts "
        f"{transfer['fonts'] / 1024:.1f} KB — {total / 1024:.1f} KB in all (budget 60 KB).",
        f"SQL queries for one uncached rendering of the guide page: {queries}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
