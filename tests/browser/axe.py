"""axe-core in a Playwright page: fail a test on any WCAG 2.x A/AA violation, with a readable list.

Usage in a browser test::

    from tests.browser.axe import assert_no_axe_violations
    page.goto(url)
    assert_no_axe_violations(page)

axe-core comes from npm (package.json; `make test` runs `npm ci`). Its source is evaluated in
the page through the DevTools protocol, which the site's strict Content Security Policy does not
block (an inline <script> would be), and nothing is fetched from any server.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# The rule sets of WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the project promises.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

_source: str | None = None


def axe_source() -> str:
    global _source
    if _source is None:
        if not AXE_PATH.exists():
            # Never skip: an accessibility check that does not run is a defect.
            pytest.fail(f"axe-core not found at {AXE_PATH}; run `npm ci` (make test does)")
        _source = AXE_PATH.read_text(encoding="utf-8")
    return _source


def axe_violations(
    page, *, context: str | dict | None = None, tags=WCAG_TAGS, timeout: float = 60.0
) -> list[dict]:
    """Run axe-core on the page as it is now; returns its violations (WCAG A/AA rules only).

    axe.run waits on timers. Under Playwright's fake clock paused (the guided-session tests),
    those timers only fire when the test moves the clock, so the run is started, then awaited
    by moving the clock in small steps; with real time it is polled. Either way a run that never
    settles fails after `timeout` seconds instead of holding the test run.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script> element: the site's CSP forbids inline scripts.
        page.evaluate(axe_source())
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    page.evaluate(
        """([context, options]) => {
            window.__asihAxe = null;
            axe.run(context || document, options).then(
                (r) => { window.__asihAxe = {violations: r.violations}; },
                (e) => { window.__asihAxe = {error: String(e)}; },
            );
        }""",
        [context, options],
    )
    deadline = time.monotonic() + timeout
    page_time = page.evaluate("Date.now()")
    while (outcome := page.evaluate("window.__asihAxe")) is None:
        if time.monotonic() > deadline:
            pytest.fail(f"axe-core did not finish within {timeout:.0f} s on {page.url}")
        time.sleep(0.05)
        # The page's time stood still while real time passed: its clock is Playwright's, paused.
        if (now := page.evaluate("Date.now()")) == page_time:
            page.clock.run_for(50)
        page_time = now
    if "error" in outcome:
        pytest.fail(f"axe-core failed on {page.url}: {outcome['error']}")
    return outcome["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary']!r}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_no_axe_violations(page, *, context: str | dict | None = None, label: str = "") -> None:
    """Fail with axe's own explanation when the page (or `context`) breaks a WCAG A/AA rule."""
    violations = axe_violations(page, context=context)
    where = label or page.url
    assert not violations, f"axe-core: WCAG A/AA violations on {where}:\n" + format_violations(
        violations
    )
