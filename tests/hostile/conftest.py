"""The hostile-input harness: a client that counts every generated input and checks the answer.

Every request goes through `send`: it comes from a fresh address (so per-IP rate limits answer
what the form says, not 429), carries `Sec-Fetch-Site: same-origin` unless told otherwise (so it
reaches validation), must be answered below 500, and may change the stored rows only as the test
allows. The counts per endpoint, summed over every xdist worker, are written to
var/hostile-summary.json at the end of the run.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

from asih.core.charset import clean_environ

from . import budget, tally

# Hypothesis keeps a cache of the source's constants in its home directory: in var/ (ignored by
# git), never a .hypothesis/ folder in the checkout. No example database is kept at all.
set_hypothesis_home_dir(Path(__file__).resolve().parents[2] / "var" / "hypothesis")

# Reproducible in CI (derandomize), nothing written to .hypothesis/ (database=None), and no
# deadline: a re-rendered guide page legitimately takes tens of milliseconds.
HOSTILE = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

SUMMARY = os.environ.get("ASIH_HOSTILE_SUMMARY", "var/hostile-summary.json")
_TABLES = {
    "signup": "leads_signup",
    "consultation": "leads_consultationrequest",
    "privacy": "leads_privacyrequest",
    "comment": "comments_comment",
    "sharecount": "sharing_sharecount",
    "sharemark": "sharing_sharemark",
}
_addresses = itertools.count(1)
_started = time.monotonic()


def row_counts() -> dict[str, int]:
    """Rows of every model a public request can write, in one query."""
    parts = ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(table)})" for table in _TABLES.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return dict(zip(_TABLES, cursor.fetchone(), strict=True))


@dataclass
class Sent:
    response: object
    stored: dict[str, int]  # rows added (or removed) per model

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def text(self) -> str:
        return self.response.content.decode("utf-8")


class _AsDeployed:
    """The test client's handler behind the same environ layer as asih.wsgi.application."""

    def __init__(self, handler):
        self.handler = handler

    def __call__(self, environ):
        return self.handler(clean_environ(environ))

    def __getattr__(self, name):
        return getattr(self.handler, name)


@pytest.fixture
def send(client, db):
    client.handler = _AsDeployed(client.handler)

    def send(
        endpoint: str,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        content_type: str | None = None,
        query: str | None = None,
        same_origin: bool = True,
        may_store: tuple[str, ...] = (),
        **headers,
    ) -> Sent:
        number = next(_addresses)
        extra = {"REMOTE_ADDR": f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"}
        if same_origin:
            extra["HTTP_SEC_FETCH_SITE"] = "same-origin"
        if query is not None:
            extra["QUERY_STRING"] = query
        if content_type is not None:
            extra["CONTENT_TYPE"] = content_type
        extra.update(headers)
        before = row_counts()
        response = client.generic(
            method, path, body, content_type or "application/octet-stream", **extra
        )
        tally.inputs[endpoint] += 1
        assert response.status_code < 500, (endpoint, method, path, response.status_code)
        after = row_counts()
        stored = {name: after[name] - before[name] for name in after if after[name] != before[name]}
        unexpected = {name: delta for name, delta in stored.items() if name not in may_store}
        assert not unexpected, f"{endpoint}: {method} {path} changed {unexpected}"
        assert all(abs(delta) <= 1 for delta in stored.values()), stored
        return Sent(response, stored)

    return send


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


# --- the floor: a whole run of the package under the ci profile sends budget.MINIMUM_INPUTS ---
# No test runs "last" to check it: each process (each xdist worker) reports its own counts, the
# controlling process adds them up when every worker is done and fails the run if they fall short.

_run = {"whole_package": False, "inputs": Counter()}


def _is_hostile(item) -> bool:
    return Path(str(item.path)).parent == Path(__file__).parent


@pytest.hookimpl(hookwrapper=True)
def pytest_collection_modifyitems(config, items):
    collected = {item.nodeid for item in items if _is_hostile(item)}
    yield
    selected = {item.nodeid for item in items if _is_hostile(item)}
    modules = {nodeid.split("::")[0].rsplit("/", 1)[-1] for nodeid in selected}
    on_disk = {path.name for path in Path(__file__).parent.glob("test_*.py")}
    # The floor only means something when nothing in the package was left out.
    _run["whole_package"] = bool(selected) and selected == collected and modules == on_disk


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist, in the controlling process: a worker finished and sent its counts."""
    report = getattr(node, "workeroutput", {}).get("hostile")
    if report:
        _run["whole_package"] = _run["whole_package"] or report["whole_package"]
        _run["inputs"].update(report["inputs"])


def pytest_sessionfinish(session, exitstatus):
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:  # an xdist worker: hand the counts to the controller
        worker_output["hostile"] = {
            "whole_package": _run["whole_package"],
            "inputs": dict(tally.inputs),
        }
        return
    inputs = _run["inputs"] + tally.inputs
    if not inputs:
        return
    total = sum(inputs.values())
    summary = {
        "database": connection.vendor,
        "profile": "ci" if budget.is_ci_profile() else "default",
        "inputs_per_endpoint": dict(sorted(inputs.items())),
        "total_inputs": total,
        "seconds_since_collection": round(time.monotonic() - _started, 1),
    }
    path = Path(session.config.rootpath) / SUMMARY
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    _run["total"] = total
    if _run["whole_package"] and budget.is_ci_profile() and total < budget.MINIMUM_INPUTS:
        _run["short"] = True
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if "total" in _run:
        terminalreporter.write_line(f"hostile inputs: {_run['total']} ({SUMMARY})")
    if _run.get("short"):
        terminalreporter.write_line(
            f"FAILED: the hostile package sent {_run['total']} generated inputs under the ci "
            f"profile, fewer than {budget.MINIMUM_INPUTS}",
            red=True,
        )
