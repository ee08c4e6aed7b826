"""Email for every feature: rendered in the reader's language in the request, sent by a task.

Rendering happens where the language and the data are known; delivery is a django-tasks task
enqueued after the transaction commits, so a slow or failing SMTP server never breaks or
delays what the visitor did. By default tasks run in-process (Django's immediate backend); with
`ASIH_TASKS=database` they wait in the database for `manage.py db_worker`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

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


def send_templated_email(
    *,
    to: list[str],
    template_prefix: str,
    context: Mapping,
    language: str,
    unsubscribe_url: str | None = None,
) -> None:
    """Render now, deliver after commit through the task backend."""
    subject, text, html = render_email(
        template_prefix=template_prefix, context=context, language=language
    )
    headers = {}
    if unsubscribe_url:
        # RFC 8058 one-click unsubscribe: mail clients show their own "unsubscribe" button.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    transaction.on_commit(
        lambda: deliver_email.enqueue(
            to=list(to), subject=subject, text=text, html=html, headers=headers
        )
    )


@task()
def deliver_email(*, to: list[str], subject: str, text: str, html: str, headers: dict) -> int:
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
