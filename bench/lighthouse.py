"""`make lighthouse`: Lighthouse (mobile) on the home, a stage and the oxytocin guide page.

Seeds a fresh SQLite database under var/lighthouse/, collects the static files and serves the
site exactly as `make run` does (granian, production settings, page cache on), then runs the
Lighthouse npm package on Debian's Chromium for each page. Prints the four category scores,
writes them to bench/results/lighthouse-<date>.md and lists every audit that keeps a category
below 100. Exits non-zero when a score is below 100.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRANIAN = str(ROOT / ".venv" / "bin" / "granian")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages (deploy) by name

from deploy.local import free_port, manage, stop, wait_for  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "/id/",
    "stage": "/id/setelah-melahirkan/",
    "guide": "/id/setelah-melahirkan/pijat-oksitosin/",
}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
ATTEMPTS = 3


def run_lighthouse(url: str, report: Path, chrome: str) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    for attempt in range(1, ATTEMPTS + 1):
        # Lighthouse now and then loses the trace on a busy machine (NO_NAVSTART): try again.
        done = subprocess.run(command, env={**os.environ, "CHROME_PATH": chrome})
        if done.returncode == 0:
            return json.loads(report.read_text())
        print(f"   lighthouse failed (attempt {attempt} of {ATTEMPTS})", flush=True)
    raise SystemExit(f"Lighthouse failed {ATTEMPTS} times on {url}")


def scores_of(result: dict) -> dict:
    return {name: round((result["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def failing_audits(result: dict) -> list[str]:
    """Every scored audit below a full score in a category below 100, with its main detail."""
    lines = []
    for name in CATEGORIES:
        category = result["categories"][name]
        if (category["score"] or 0) >= 1:
            continue
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref.get("weight", 0) == 0 or audit.get("score") is None or audit["score"] >= 1:
                continue
            shown = audit.get("displayValue") or ""
            lines.append(f"- {name}: `{ref['id']}` {audit['score']:.2f} — {audit['title']} {shown}")
            for item in (audit.get("details") or {}).get("items", [])[:5]:
                node = item.get("node") or {}
                where = node.get("snippet") or item.get("url") or item.get("source") or ""
                if where:
                    lines.append(f"    - {str(where)[:160]}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default=str(ROOT / "var" / "lighthouse"))
    parser.add_argument(
        "--page",
        action="append",
        metavar="NAME=PATH",
        help="pages to audit instead of the home, stage and guide (e.g. guide-en=/en/...)",
    )
    args = parser.parse_args()

    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: `make lighthouse` installs it with `npm ci`")
    if not Path(chrome).exists():
        raise SystemExit(f"{chrome} is missing: `make browser` installs Debian's Chromium")
    pages = dict(page.split("=", 1) for page in args.page) if args.page else PAGES

    work = Path(args.workdir)
    if work.exists():
        shutil.rmtree(work)
    (work / "reports").mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asih.settings.production",
        "ASIH_HTTPS": "false",
        "SECRET_KEY": "lighthouse-only-not-secret",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "ASIH_VAR_DIR": str(work),
        "MEDIA_ROOT": str(work / "media"),
        "ASIH_PAGE_CACHE": "on",
        "ASIH_PAGE_CACHE_DIR": str(work / "pagecache"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    print("== seeding var/lighthouse and collecting static files", flush=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_guides")
    manage(env, "collectstatic", "--noinput", "-v", "0")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [GRANIAN, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "2", "--no-ws", "--log-level", "warning", "asih.wsgi:application"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    results = {}
    try:
        for path in pages.values():
            wait_for(base + path)
        for name, path in pages.items():
            print(f"== lighthouse {path}", flush=True)
            results[name] = run_lighthouse(base + path, work / "reports" / f"{name}.json", chrome)
    finally:
        stop([server])

    version = next(iter(results.values()))["lighthouseVersion"]
    browser = next(iter(results.values()))["environment"]["hostUserAgent"]
    lines = [
        f"# Lighthouse (mobile) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Lighthouse {version}, default mobile profile (simulated throttling), "
        f"Chromium `{chrome}` {CHROME_FLAGS}; `make run` setup: granian 2 workers, production "
        "settings, page cache on, fresh SQLite with the guides in content/.",
        f"Browser: {browser}",
        "",
        "| page | path | " + " | ".join(CATEGORIES) + " |",
        "|---|---|" + "---:|" * len(CATEGORIES),
    ]
    below = []
    for name, result in results.items():
        scores = scores_of(result)
        cells = " | ".join(str(scores[category]) for category in CATEGORIES)
        lines.append(f"| {name} | `{pages[name]}` | {cells} |")
        failing = failing_audits(result)
        if failing:
            below += ["", f"### {name} (`{pages[name]}`)", *failing]
    if below:
        lines += ["", "## Audits keeping a score below 100", *below]
    report = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"lighthouse-{datetime.now(UTC):%Y%m%d-%H%M}.md").write_text(report)
    print(report)
    print(f"Full JSON reports: {work / 'reports'}")
    if any(min(scores_of(result).values()) < 100 for result in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
