"""The error messages a rejected form shows, and the ones the catalogue knows per language.

Every public form comes back the same way (GOV.UK's pattern): an error summary at the top that
lists each message once (a field's as a link to the field), and the same message again at the
field it is about. The comment form puts a visually hidden "Error:" before the one at the
field; the leads forms show Django's error list there. `shown_errors` reads both places, so a
check can compare them; a rejection passes when every message is one of the known ones in the
page's language, so a message in the wrong language, an untranslated new message or a raw
exception text fails.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache

from django.core.validators import ProhibitNullCharactersValidator
from django.forms import BooleanField, CharField, DateField, EmailField, IntegerField
from django.utils import translation
from django.utils.functional import Promise

# The summary box (leads/includes/form_errors.html, on every form's page).
_SUMMARY = re.compile(r'<div class="form-errors"[^>]*>.*?<ul[^>]*>(.*?)</ul>', re.S)
_SUMMARY_ITEM = re.compile(r'<li>(?:<a href="#([^"]*)">(.*?)</a>|(.*?))</li>', re.S)
# At the field: the comment form's paragraph, or Django's error list (leads forms, fieldsets).
_AT_FIELD = re.compile(
    r'<p class="field__error" id="([^"]+)-error">(.*?)</p>'
    r'|<ul class="errorlist" id="([^"]+)_error">(.*?)</ul>',
    re.S,
)
_HIDDEN_PREFIX = re.compile(r'^\s*<span class="visually-hidden">(.*?)</span>', re.S)
_ITEM = re.compile(r"<li>(.*?)</li>", re.S)


def _module_messages(*modules) -> list:
    return [
        value
        for module in modules
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, Promise)
    ]


def _django_messages() -> list:
    messages = [ProhibitNullCharactersValidator.message]
    for field_class in (CharField, EmailField, DateField, IntegerField, BooleanField):
        messages += list(field_class().error_messages.values())
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
    from asih.comments import forms as comment_forms
    from asih.comments import services as comment_services
    from asih.comments import spam
    from asih.core import phone, protection
    from asih.leads import forms as lead_forms
    from asih.leads import models as lead_models

    lazies = _module_messages(
        lead_forms, lead_models, phone, comment_forms, comment_services, spam, protection
    )
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


@dataclass
class ShownErrors:
    """What a re-rendered form says is wrong, where it says it."""

    summaries: int = 0  # error summary boxes on the page (one is right)
    # The summary's items in order: (the id its link points at, or "" for the form as a whole,
    # the message).
    summary: list[tuple[str, str]] = field(default_factory=list)
    # Per field id: (the visually hidden words before the message, the messages at the field).
    at_fields: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    @property
    def messages(self) -> list[str]:
        return [message for _, message in self.summary]


def shown_errors(page: str) -> ShownErrors:
    """The messages a re-rendered form shows: in its error summary and at its fields."""
    shown = ShownErrors()
    for block in _SUMMARY.findall(page):
        shown.summaries += 1
        for target, linked, plain in _SUMMARY_ITEM.findall(block):
            shown.summary.append((target, _clean(linked if target else plain)))
    for paragraph_id, paragraph, list_id, listing in _AT_FIELD.findall(page):
        if paragraph_id:
            prefix = _HIDDEN_PREFIX.match(paragraph)
            text = paragraph[prefix.end() :] if prefix else paragraph
            # The comment form joins a field's messages with a space in one paragraph.
            shown.at_fields[paragraph_id] = (_clean(prefix[1]) if prefix else "", [_clean(text)])
        else:
            shown.at_fields[list_id] = ("", [_clean(item) for item in _ITEM.findall(listing)])
    return shown


def summary_by_field(shown: ShownErrors) -> dict[str, list[str]]:
    """The summary's linked messages per field id.

    A link goes to the field's own id, or for a group of radio buttons to its first button
    (`<field id>_0`, see leads_tags.field_anchor).
    """
    by_field: dict[str, list[str]] = {}
    for target, message in shown.summary:
        if not target:
            continue
        field_id = target
        if target not in shown.at_fields and target.endswith("_0"):
            field_id = target.removesuffix("_0")
        by_field.setdefault(field_id, []).append(message)
    return by_field


def unknown_messages(messages: list[str], language: str) -> list[str]:
    """The messages that are not a known message in `language` (should be none)."""
    patterns = message_patterns(language)
    return [
        message for message in messages if not any(pattern.match(message) for pattern in patterns)
    ]
