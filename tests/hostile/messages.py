"""The error messages a rejected form may show, as the catalogue translates them per language.

A rejection passes when every message on the page is one of these in the page's language, so a
message in the wrong language, an untranslated new message or a raw exception text fails.
"""

from __future__ import annotations

import html
import re
from functools import cache

from django.core.validators import ProhibitNullCharactersValidator
from django.forms import BooleanField, CharField, DateField, EmailField, IntegerField
from django.utils import translation
from django.utils.functional import Promise

# Where the templates put messages: the leads forms' summary box and the comment form.
_LEADS_SUMMARY = re.compile(r'<div class="form-errors".*?<ul[^>]*>(.*?)</ul>', re.S)
_COMMENT_ERRORS = re.compile(
    r'<p class="field__error"[^>]*>(.*?)</p>|<ul class="comment-form__errors"[^>]*>(.*?)</ul>', re.S
)
_ITEM = re.compile(r"<li>(?:<a [^>]*>)?(.*?)(?:</a>)?</li>", re.S)


def _module_messages(*modules) -> list:
    return [
        value
        for module in modules
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, Promise)
    ]


def _django_messages() -> list:
    messages = [ProhibitNullCharactersValidator.message]
    for field in (CharField, EmailField, DateField, IntegerField, BooleanField):
        messages += list(field().error_messages.values())
    messages += [validator.message for validator in EmailField().validators]
    return messages


def _pattern(text: str) -> str:
    # "%(limit)s" and similar placeholders stand for any value.
    escaped = re.escape(text)
    return re.sub(r"%\\\(\w+\\\)[sd]", ".+?", escaped)


_LENGTH_MESSAGES = [
    (
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    ),
    (
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    ),
]


@cache
def _texts(language: str) -> frozenset[str]:
    from asih.comments import services as comment_services
    from asih.comments import spam
    from asih.core import protection
    from asih.leads import forms as lead_forms
    from asih.leads import models as lead_models
    from asih.leads import phone

    lazies = _module_messages(lead_forms, lead_models, phone, comment_services, spam, protection)
    with translation.override(language):
        texts = {str(message) for message in lazies + _django_messages()}
        texts |= {
            translation.ngettext(singular, plural, count)
            for singular, plural in _LENGTH_MESSAGES
            for count in (1, 2)
        }
    return frozenset(texts)


@cache
def message_patterns(language: str) -> tuple[re.Pattern, ...]:
    texts = _texts(language)
    if language != "en":
        # A message the catalogue leaves in English is not "in the page's language".
        texts -= _texts("en")
    return tuple(re.compile(f"^{_pattern(text)}$", re.S) for text in texts)


def _clean(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def shown_errors(page: str) -> list[str]:
    """The messages a re-rendered form shows (leads summary box or comment form)."""
    found = []
    for block in _LEADS_SUMMARY.findall(page):
        found += [_clean(item) for item in _ITEM.findall(block)]
    for paragraph, listing in _COMMENT_ERRORS.findall(page):
        if paragraph:
            found.append(_clean(paragraph))
        if listing:
            found += [_clean(item) for item in _ITEM.findall(listing)]
    return [message for message in found if message]


def unknown_messages(page: str, language: str) -> list[str]:
    """Shown messages that are not a known message in `language` (should be empty)."""
    patterns = message_patterns(language)
    unknown = []
    for message in shown_errors(page):
        # The comment form joins a field's messages with spaces: each sentence must match.
        if any(pattern.match(message) for pattern in patterns):
            continue
        if not all(
            any(pattern.match(part) for pattern in patterns) for part in _split_joined(message)
        ):
            unknown.append(message)
    return unknown


def _split_joined(message: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+(?=\S)", message) if part]
