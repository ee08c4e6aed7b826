"""Assertions shared by the hostile tests: a rejection speaks the page's language."""

from __future__ import annotations

import html as html_lib
import re

from django.utils import translation
from django.utils.html import escape

from asih.leads.templatetags.leads_tags import error_title_prefix

from .messages import shown_errors, summary_by_field, unknown_messages

UNREADABLE_TITLE = "What was sent could not be read"
LANGUAGES = ("id", "en")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def unreadable_title(language: str) -> str:
    with translation.override(language):
        return escape(translation.gettext(UNREADABLE_TITLE))


def error_prefix(language: str) -> str:
    """ "Galat:" / "Error:": the words the templates put before an erroneous form's title (and,
    hidden, before a message at its field), from the tag that writes them."""
    with translation.override(language):
        return error_title_prefix(rate_limited=True).strip()


def assert_rejected_in_language(sent, language: str, *, form_marker: str) -> None:
    """A 4xx page: the form again with known messages in `language`, or the 400 page."""
    html = sent.text
    assert f'<html lang="{language}"' in html, html[:300]
    if form_marker in html:
        assert_form_errors_in_language(html, language)
    else:
        assert unreadable_title(language) in html, html[:2000]


def assert_form_errors_in_language(html: str, language: str) -> None:
    """The error summary lists each message once, every message known in `language`; each field
    it links to shows exactly those messages, and no field shows one the summary leaves out."""
    shown = shown_errors(html)
    assert shown.summaries == 1, f"{shown.summaries} error summaries"
    assert shown.summary, "a rejected form shows no message"
    assert len(set(shown.summary)) == len(shown.summary), ("said twice", shown.summary)
    unknown = unknown_messages(shown.messages, language)
    assert not unknown, (language, unknown)
    at_fields = {
        field_id: " ".join(messages) for field_id, (_, messages) in shown.at_fields.items()
    }
    in_summary = {
        field_id: " ".join(messages) for field_id, messages in summary_by_field(shown).items()
    }
    assert at_fields == in_summary, (at_fields, in_summary)
    # The words only a screen reader hears before a field's message, and the title's prefix,
    # are the page's language too.
    prefix = error_prefix(language)
    hidden = {before for before, _ in shown.at_fields.values()}
    assert hidden <= {"", prefix}, (language, hidden)
    title = _TITLE.search(html)
    assert title and html_lib.unescape(title[1]).strip().startswith(f"{prefix} "), (
        language,
        title and title[1],
    )


def clean_text(value: str) -> bool:
    """Stored text has no NUL and nothing that cannot be encoded (lone surrogates)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
