"""Comment text as HTML: all escaped, http(s) addresses as nofollow links, line breaks kept."""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

LINK_REL = "nofollow ugc noopener"
# Only http and https; a URL stops at whitespace, quotes, angle brackets and the invisible
# direction/zero-width characters that could make a link read differently from where it goes.
_URL_RE = re.compile(r"https?://[^\s<>\"'`\u200b-\u200f\u202a-\u202e\u2066-\u2069]+", re.I)
# Punctuation that ends a sentence rather than the address.
_TRAILING = ".,;:!?)]}"
_MAX_LINK_TEXT = 60


def _link(url: str) -> str:
    shown = url if len(url) <= _MAX_LINK_TEXT else url[: _MAX_LINK_TEXT - 1] + "…"
    return f'<a href="{escape(url)}" rel="{LINK_REL}">{escape(shown)}</a>'


def _linkify_line(line: str) -> str:
    parts: list[str] = []
    position = 0
    for match in _URL_RE.finditer(line):
        url = match.group(0)
        trimmed = url.rstrip(_TRAILING)
        # Keep a closing bracket that belongs to the URL, as in Wikipedia's "(disambiguation)".
        while (
            trimmed != url and url[len(trimmed)] == ")" and trimmed.count("(") > trimmed.count(")")
        ):
            trimmed += ")"
        parts.append(escape(line[position : match.start()]))
        if trimmed.lower() in ("http://", "https://"):
            parts.append(escape(trimmed))
        else:
            parts.append(_link(trimmed))
        position = match.start() + len(trimmed)
    parts.append(escape(line[position:]))
    return "".join(parts)


def comment_html(text: str) -> SafeString:
    """Plain text as typed → paragraphs of escaped text with links; nh3 as the last guard."""
    paragraphs = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    html = "".join(
        "<p>"
        + "<br>".join(_linkify_line(line) for line in paragraph.strip("\n").split("\n"))
        + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )
    # Defence in depth: whatever the code above produced, only these tags and attributes pass.
    cleaned = nh3.clean(
        html,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 (escaped above and cleaned by nh3)
