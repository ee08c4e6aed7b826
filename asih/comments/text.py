"""Comment text as HTML: all escaped, http(s) addresses as nofollow links, line breaks kept."""

from __future__ import annotations

import re

import nh3
from django.utils.html import Urlizer
from django.utils.safestring import SafeString, mark_safe

LINK_REL = "nofollow ugc noopener"
_MAX_LINK_TEXT = 60


class CommentUrlizer(Urlizer):
    """Django's urlize, narrowed to what a reader's comment may link."""

    # Only addresses typed with http:// or https:// become links: a bare "www.…" or an email
    # address stays text, so nothing is linked that the writer did not spell out.
    simple_url_2_re = re.compile(r"(?!)")
    # An address also ends at a backtick and at the invisible direction and zero-width
    # characters that could make a link read differently from where it goes.
    word_split_re = re.compile(r"""([\s<>"'`\u200b-\u200f\u202a-\u202e\u2066-\u2069]+)""")

    def is_email_simple(self, value):
        return False

    def trim_punctuation(self, word):
        lead, middle, _trail = super().trim_punctuation(word)
        # Django 5.2's trimming keeps only the last piece it cut off, so "(http://x.test/y)."
        # would lose its full stop; the trail is whatever of the word follows the address.
        return lead, middle, word[len(lead) + len(middle) :]


_urlize = CommentUrlizer()


def comment_html(text: str) -> SafeString:
    """Plain text as typed → paragraphs of escaped text with links; nh3 as the last guard."""
    paragraphs = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    html = "".join(
        "<p>"
        + "<br>".join(
            _urlize(line, trim_url_limit=_MAX_LINK_TEXT, nofollow=True, autoescape=True)
            for line in paragraph.strip("\n").split("\n")
        )
        + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )
    # Defence in depth: whatever urlize produced, only these tags and attributes pass, and
    # every link gets the full rel (urlize writes only "nofollow").
    cleaned = nh3.clean(
        html,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 (escaped by urlize and cleaned by nh3)
