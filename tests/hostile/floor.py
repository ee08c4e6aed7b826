"""The hostile package's floor: a whole run under the ci profile sends budget.MINIMUM_INPUTS.

A plugin (tests/conftest.py loads it) rather than hooks in tests/hostile/conftest.py: under
xdist the controlling process never collects, so it never loads that conftest. No test runs
"last" to check the floor: each process (each xdist worker) reports its own counts, the
controlling process adds them up when every worker is done, writes them to
var/hostile-summary.json and fails the run if they fall short.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from . import budget, tally

SUMMARY = os.environ.get("ASIH_HOSTILE_SUMMARY", "var/hostile-summary.json")
PACKAGE = Path(__file__).resolve().parent
_started = time.monotonic()


_run = {"whole_package": False, "inputs": Counter()}


def _is_hostile(item) -> bool:
    return Path(str(item.path)).parent == PACKAGE


@pytest.hookimpl(hookwrapper=True)
def pytest_collection_modifyitems(config, items):
    collected = {item.nodeid for item in items if _is_hostile(item)}
    yield
    selected = {item.nodeid for item in items if _is_hostile(item)}
    modules = {nodeid.split("::")[0].rsplit("/", 1)[-1] for nodeid in selected}
    on_disk = {path.name for path in PACKAGE.glob("test_*.py")}
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
