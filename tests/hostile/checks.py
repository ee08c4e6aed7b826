"""Assertions shared by the hostile tests: a rejection speaks the page's language."""

from __future__ import annotations

from django.utils import translation
from django.utils.html import escape

from .messages import shown_errors, unknown_messages

UNREADABLE_TITLE = "What was sent could not be read"
LANGUAGES = ("id", "en")


def unreadable_title(language: str) -> str:
    with translation.override(language):
        return escape(translation.gettext(UNREADABLE_TITLE))


def assert_rejected_in_language(sent, language: str, *, form_marker: str) -> None:
    """A 4xx page: the form again with known messages in `language`, or the 400 page."""
    html = sent.text
    assert f'<html lang="{language}"' in html, html[:300]
    if form_marker in html:
        shown = shown_errors(html)
        assert shown, "a rejected form shows no message"
        assert not unknown_messages(html, language), (language, unknown_messages(html, language))
    else:
        assert unreadable_title(language) in html, html[:2000]


def clean_text(value: str) -> bool:
    """Stored text has no NUL and nothing that cannot be encoded (lone surrogates)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
