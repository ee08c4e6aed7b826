"""The XSS watch itself: it flags the corpus when it is NOT escaped, and nothing when it is.

Without this, "0 executions" elsewhere could mean a detector that never fires.
"""

import html

from tests.xss.chromium import injected, new_context, not_shown, settle, shown_text
from tests.xss.corpus import payloads

PAGE = "<!doctype html><html><head><title>t</title></head><body><main>{}</main></body></html>"


def _flags(page, watch, content: str, expected: str) -> list[str]:
    """Every sign the watch gives for one document holding one payload."""
    before = len(watch.executions) + len(watch.dialogs)
    page.set_content(PAGE.format(content))
    settle(page, 30)
    signs = injected(page)
    if len(watch.executions) + len(watch.dialogs) > before:
        signs.append("executed")
    if not_shown([expected], shown_text(page)):
        signs.append("not literal")
    return signs


def test_the_watch_flags_raw_markup_and_passes_escaped_text(browser):
    context, watch = new_context(browser)
    page = context.new_page()
    missed, false_alarms = [], []
    for payload in payloads():
        # Rendered raw, every payload with markup or an entity in it must be caught somehow…
        raw = _flags(page, watch, payload.replace("\n", "<br>"), payload)
        if any(mark in payload for mark in "<&") and not raw:
            missed.append(payload)
        # …and the same text escaped must give no sign at all.
        escaped = _flags(page, watch, html.escape(payload).replace("\n", "<br>"), payload)
        if escaped:
            false_alarms.append((payload, escaped))
    context.close()
    assert missed == []
    assert false_alarms == []
    # The raw corpus really ran in this browser: the sentinel and dialogs both reported.
    assert len(set(watch.executions)) >= 20  # 26 distinct payloads ran in Chromium 156
    assert watch.dialogs != []
