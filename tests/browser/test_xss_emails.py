"""The XSS corpus in every email that carries a reader's text, opened in Chromium.

Each email is produced by the real service (sign-up request and confirmation, consultation to
staff and to the reader, a reply to a follower, the staff digest of waiting comments). Its HTML
part is loaded into Chromium as a document of its own (an iframe's srcdoc, one page per kind of
email) and must run nothing, inject nothing and show the payload as text; its plain-text part
must carry the payload exactly as typed, not HTML-escaped.
"""

import html
import re

import pytest
from django.core import mail
from django.utils import timezone

from asih.comments import notifications
from asih.comments.models import Comment
from asih.leads import services
from tests.xss.chromium import injected, new_context, settle
from tests.xss.corpus import normalise, payloads

SITE = "https://klinik.example.test"
STAFF = "staff@example.test"
NAME_MAX = 80


@pytest.fixture
def outbox(settings, django_capture_on_commit_callbacks):
    """Emails sent by the services (delivery runs after the commit, here at once)."""
    from django.core.cache import cache

    settings.ASIH_STAFF_EMAILS = [STAFF]
    cache.clear()  # rate limits and the digest window
    mail.outbox = []

    def collect(action):
        with django_capture_on_commit_callbacks(execute=True):
            action()
        sent, mail.outbox = list(mail.outbox), []
        return sent

    return collect


@pytest.fixture
def fake_guidebook(monkeypatch):
    """A signed download path without building the PDF (the guidebook tests cover that)."""
    monkeypatch.setattr(
        "asih.leads.services.guidebook_download_path",
        lambda *, stage, language: f"/{language}/complete-guide/download/signed-{stage.pk}/",
    )


def _html(message) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")


def _text_problems(kind, message, typed: list[str]) -> list:
    """The plain text must hold each typed text as it was typed, never its HTML-escaped form."""
    problems = []
    for item in typed:
        if normalise(item) not in normalise(message.body):
            problems.append((kind, "text part lacks", item))
        escaped = html.escape(item)
        if escaped != item and normalise(escaped) in normalise(message.body):
            problems.append((kind, "text part escaped", item))
    return problems


def _open_in_chromium(browser, kind, emails: list[tuple[object, list[str]]]) -> list:
    """Load every HTML part as its own document in one page; what ran, what was injected, and
    which payloads do not show as text."""
    context, watch = new_context(browser)
    page = context.new_page()
    frames = "".join(
        f'<iframe title="{index}" srcdoc="{html.escape(_html(message))}"></iframe>'
        for index, (message, _typed) in enumerate(emails)
    )
    page.set_content(f"<!doctype html><html><body>{frames}</body></html>")
    settle(page, 300)
    problems = [(kind, "injected", item) for item in injected(page)]
    for index, (_message, typed) in enumerate(emails):
        frame = page.locator(f"iframe[title='{index}']").element_handle().content_frame()
        shown = normalise(frame.inner_text("body"))
        problems += [(kind, "not shown", item) for item in typed if normalise(item) not in shown]
    context.close()
    problems += [(kind, "executed", number) for number in watch.executions]
    problems += [(kind, "dialog", text) for text in watch.dialogs]
    problems += [(kind, "request", url) for url in watch.requests]
    return problems


@pytest.mark.django_db
def test_sign_up_emails(browser, outbox, fake_guidebook):
    confirm, download = [], []
    for number, payload in enumerate(payloads()):
        name = payload.strip()[:NAME_MAX]
        email = f"pembaca-{number}@example.test"
        (message,) = outbox(
            lambda: services.signup_request(  # noqa: B023
                name=name,  # noqa: B023
                email=email,  # noqa: B023
                stage="planning",
                language="id",
                site_url=SITE,
            )
        )
        # The address is not confirmed yet: the email carries nothing typed (issue 15, item 14).
        confirm.append((message, []))
        if name.strip() and normalise(name) in normalise(message.body):
            confirm.append((message, [f"typed name in an unconfirmed email: {name}"]))
        token = re.search(r"/konfirmasi/([^/\s]+)/", message.body).group(1)
        (message,) = outbox(lambda: services.signup_confirm(token=token, site_url=SITE))  # noqa: B023
        download.append((message, [name]))
    problems = []
    for kind, emails in (("sign-up confirm", confirm), ("sign-up download", download)):
        for message, typed in emails:
            problems += _text_problems(kind, message, typed)
        problems += _open_in_chromium(browser, kind, emails)
    assert problems == []
    assert len(confirm) == len(download) == len(payloads())


@pytest.mark.django_db
def test_consultation_emails(browser, outbox, oxytocin):
    staff, reader = [], []
    for number, payload in enumerate(payloads()):
        name = payload.strip()[:NAME_MAX]
        sent = outbox(
            lambda: services.consultation_submit(  # noqa: B023
                name=name,  # noqa: B023
                phone="0812 3456 7890",
                email=f"tanya-{number}@example.test",  # noqa: B023
                question=payload,  # noqa: B023
                guide=oxytocin["id"],
                step=2,
                language="id",
                site_url=SITE,
            )
        )
        by_address = {message.to[0]: message for message in sent}
        staff.append((by_address[STAFF], [name, payload]))
        # The reader's address is not confirmed: the receipt carries nothing typed (item 14).
        receipt = by_address[f"tanya-{number}@example.test"]
        reader.append((receipt, []))
        if payload.strip() and normalise(payload) in normalise(receipt.body):
            reader.append((receipt, [f"typed question in an unconfirmed email: {payload}"]))
        # The staff subject names the reader as typed (one line, no escaping).
        if normalise(name) not in by_address[STAFF].subject:
            staff.append((by_address[STAFF], [f"subject: {by_address[STAFF].subject}"]))
    problems = []
    for kind, emails in (("consultation staff", staff), ("consultation reader", reader)):
        for message, typed in emails:
            problems += _text_problems(kind, message, typed)
        problems += _open_in_chromium(browser, kind, emails)
    assert problems == []


@pytest.mark.django_db
def test_comment_reply_and_staff_digest_emails(browser, outbox, oxytocin, monkeypatch):
    page = oxytocin["id"]
    corpus = payloads()
    replies = []
    for number, payload in enumerate(corpus):
        name = payload.strip()[:NAME_MAX]
        question = Comment.objects.create(
            page=page, language="id", name=name, email=f"ikut-{number}@example.test",
            body=payload, status="approved", follow_replies=True,
            follow_confirmed_at=timezone.now(),
        )  # fmt: skip
        reply = Comment.objects.create(
            page=page, language="id", name=name, email=f"balas-{number}@example.test",
            body=payload, status="approved", parent=question,
        )  # fmt: skip
        (message,) = outbox(lambda: notifications.comment_notify_followers(comment=reply))  # noqa: B023
        # Hello <follower>, <replier> wrote: <body> — all three are the payload here.
        replies.append((message, [name, payload]))
    Comment.objects.all().delete()
    for number, payload in enumerate(corpus):
        Comment.objects.create(
            page=page, language="id", name=payload.strip()[:NAME_MAX], body=payload,
            email=f"antre-{number}@example.test", status="pending",
        )  # fmt: skip
    # The digest lists the newest few; list them all so one email carries the whole corpus.
    monkeypatch.setattr(notifications, "DIGEST_LISTED", len(corpus))
    (digest,) = outbox(lambda: notifications.comment_notify_staff_pending(force=True))
    typed = [payload.strip()[:NAME_MAX] for payload in corpus] + corpus
    problems = []
    for message, texts in replies:
        problems += _text_problems("comment reply", message, texts)
    problems += _text_problems("staff digest", digest, typed)
    problems += _open_in_chromium(browser, "comment reply", replies)
    problems += _open_in_chromium(browser, "staff digest", [(digest, typed)])
    assert problems == []
