"""Email for every feature: queued by reference after the commit, built and sent by a task.

Delivery is a django-tasks task enqueued after the transaction commits, so a slow or failing
SMTP server never breaks or delays what the visitor did. By default tasks run in-process
(Django's immediate backend); with `ASIH_TASKS=database` they wait in the database for
`manage.py db_worker`, and a task row is kept after it ran. So an email about a reader is
queued as a *kind* and ids (`send_email_later`): the task looks the record up and builds the
message, its one-time links included, when it runs. The queue then never holds an address, a
question or a usable token, erasure needs to reach only the records, and an email whose record
was erased or purged before the worker got to it is simply not sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django_tasks import task

logger = logging.getLogger(__name__)


def render_email(*, template_prefix: str, context: Mapping, language: str) -> tuple[str, str, str]:
    """(subject, text, html) from `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html`."""
    with translation.override(language):
        subject = _render_plain(f"{template_prefix}_subject.txt", context)
        text = _render_plain(f"{template_prefix}.txt", context)
        html = render_to_string(f"{template_prefix}.html", context)
    # A subject is one line: template whitespace and newlines must not reach the header.
    return " ".join(subject.split()), text, html


def _render_plain(name: str, context: Mapping) -> str:
    # Plain text is not HTML: a name like "Sari <3" must not arrive as "Sari &lt;3".
    return get_template(name).template.render(Context(dict(context), autoescape=False))


@dataclass
class Email:
    """What a builder returns: one email, rendered by the task in `language`."""

    to: list[str]
    template_prefix: str
    context: Mapping = field(default_factory=dict)
    language: str = "id"
    unsubscribe_url: str | None = None


# kind → builder(**params) -> Email | None; filled as the feature apps import their modules.
_builders: dict[str, Callable[..., Email | None]] = {}


def email_builder(kind: str):
    """Register the function that builds emails of `kind` from ids when the task runs."""

    def register(builder):
        _builders[kind] = builder
        return builder

    return register


def send_email_later(*, kind: str, **params) -> None:
    """Queue an email by reference, after the commit: `params` are ids and settings only
    (record ids, the site's URL, a language), never what a reader typed or a token."""
    if kind not in _builders:
        raise LookupError(f"No email builder for {kind!r}")
    transaction.on_commit(lambda: deliver_email_by_reference.enqueue(kind=kind, params=params))


@task()
def deliver_email_by_reference(*, kind: str, params: dict) -> int:
    email = _builders[kind](**params)
    if email is None:  # the record is gone (erased, purged) or the link was replaced
        return 0
    subject, text, html = render_email(
        template_prefix=email.template_prefix, context=email.context, language=email.language
    )
    return _send(
        to=email.to,
        subject=subject,
        text=text,
        html=html,
        headers=_unsubscribe_headers(email.unsubscribe_url),
    )


def email_tasks_forget(*, kind: str, key: str, ids) -> int:
    """Delete queued and finished email tasks of `kind` whose `params[key]` is one of `ids`.

    Erasure calls it for the records it removes: a failed task's traceback can quote the
    address the mail server refused. With the immediate backend there are no rows.
    """
    from django_tasks_db.models import DBTaskResult

    ids = list(ids)
    if not ids:
        return 0
    deleted, _detail = DBTaskResult.objects.filter(
        task_path__endswith=".deliver_email_by_reference",
        args_kwargs__kwargs__kind=kind,
        **{f"args_kwargs__kwargs__params__{key}__in": ids},
    ).delete()
    return deleted


def _unsubscribe_headers(unsubscribe_url: str | None) -> dict:
    if not unsubscribe_url:
        return {}
    # RFC 8058 one-click unsubscribe: mail clients show their own "unsubscribe" button.
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_templated_email(
    *,
    to: list[str],
    template_prefix: str,
    context: Mapping,
    language: str,
    unsubscribe_url: str | None = None,
) -> None:
    """Render now, deliver after commit through the task backend.

    The rendered text goes into the task: only for emails that carry no reader's data (an
    email about a reader goes through `send_email_later`).
    """
    subject, text, html = render_email(
        template_prefix=template_prefix, context=context, language=language
    )
    headers = _unsubscribe_headers(unsubscribe_url)
    transaction.on_commit(
        lambda: deliver_email.enqueue(
            to=list(to), subject=subject, text=text, html=html, headers=headers
        )
    )


@task()
def deliver_email(*, to: list[str], subject: str, text: str, html: str, headers: dict) -> int:
    return _send(to=to, subject=subject, text=text, html=html, headers=headers)


def _send(*, to: list[str], subject: str, text: str, html: str, headers: dict) -> int:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    try:
        return message.send()
    except OSError:
        # The visitor's action is already stored; a mail server that is down is logged, and the
        # database task backend retries by running the worker again.
        logger.exception("Could not deliver an email (subject %r)", subject)
        if getattr(settings, "ASIH_TASKS", "immediate") != "immediate":
            raise
        return 0
