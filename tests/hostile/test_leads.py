"""Sign-up, consultation and privacy forms under hostile posts: 303 and one row, or 400 and none."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from asih.core.protection import make_started_token, started_at
from asih.core.textbox import normalise_line_breaks
from asih.leads.models import ConsultationRequest, PrivacyRequest, SignUp

from .budget import examples
from .checks import LANGUAGES, assert_rejected_in_language, clean_text
from .conftest import HOSTILE
from .strategies import as_server_reads, encode_form, mutated_form

pytestmark = pytest.mark.django_db

PATHS = {
    "signup": {"id": "/id/daftar/", "en": "/en/sign-up/"},
    "signup_thanks": {"id": "/id/daftar/terima-kasih/", "en": "/en/sign-up/thank-you/"},
    "consultation": {"id": "/id/konsultasi/", "en": "/en/consultation/"},
    "consultation_thanks": {
        "id": "/id/konsultasi/terima-kasih/",
        "en": "/en/consultation/thank-you/",
    },
    "privacy": {"id": "/id/privasi/", "en": "/en/privacy/"},
    "privacy_sent": {"id": "/id/privasi/terkirim/", "en": "/en/privacy/sent/"},
}
PHONE = re.compile(r"\+62[0-9]{7,13}")

# Valid, but not tame: names in any script with combining and bidi marks, odd case and spaces.
NAMES = st.text(
    st.characters(categories=["L", "M", "Nd", "Zs", "Pd", "Cf"], codec="utf-8"),
    min_size=1,
    max_size=40,
).filter(lambda name: name.strip() and not name.strip()[0].isdigit())
EMAILS = st.tuples(
    st.from_regex(
        r"[a-z0-9]{1,12}(\.[a-z0-9]{1,6})?@[a-z]{2,10}\.(test|co\.id|com)", fullmatch=True
    ),
    st.booleans(),
    st.sampled_from(["", " ", "\t"]),
).map(lambda parts: parts[2] + (parts[0].upper() if parts[1] else parts[0]) + parts[2])
# Mobile ranges of Indonesia's numbering plan as phonenumbers knows it (8[1-35-9]…): no mobile
# number starts 084, and a 084… number is refused as not in use.
MOBILES = st.from_regex(
    r"(08|\+62 8|628)[1-35-9][0-9]{2}[ -]?[0-9]{4}[ -]?[0-9]{2,4}", fullmatch=True
)
MOBILES_OR_NONE = MOBILES | st.just("")
PHONES = MOBILES | st.just("021 555 1234")
EMAILS_OR_NONE = EMAILS | st.just("")
PREFERRED_TIMES = st.sampled_from(["any", "morning", "afternoon", "evening"])
GUIDE_IDS = st.sampled_from(["", "21", "999999"])
STEPS = st.sampled_from(["", "1", "7", "99"])
KINDS = st.sampled_from(["export", "erase"])
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
STARTED = st.booleans().map(lambda real: make_started_token(now=0) if real else "")
TEXT = st.text(
    st.characters(categories=["L", "M", "N", "P", "Zs", "So"], codec="utf-8")
    | st.sampled_from("\n\r\t"),
    min_size=5,
    max_size=400,
).filter(lambda text: len(text.strip()) >= 3)


def _date(days: int, fmt: str) -> str:
    return (timezone.localdate() + timedelta(days=days)).strftime(fmt)


@st.composite
def signup_fields(draw) -> dict:
    stage = draw(st.sampled_from(["planning", "pregnant", "born"]))
    due = _date(draw(st.integers(1, 250)), draw(st.sampled_from(DATE_FORMATS)))
    born = _date(-draw(st.integers(1, 1000)), draw(st.sampled_from(DATE_FORMATS)))
    return {
        "name": draw(NAMES),
        "email": draw(EMAILS),
        "whatsapp": draw(MOBILES_OR_NONE),
        "stage": stage,
        "due_date": due if stage == "pregnant" else draw(st.sampled_from(["", due])),
        "birth_date": born if stage == "born" else "",
        "consent": "on",
        "website": "",
        "started": draw(STARTED),
    }


@st.composite
def a_form(draw, fields):
    """(fields sent, names made hostile, body, content type)."""
    data, hostile = draw(mutated_form(fields))
    body, content_type = encode_form(data, multipart=draw(st.booleans()))
    return data, hostile, body, content_type


def _read(data: dict, name: str) -> str:
    # As PublicForm reads every field: line breaks as one LF, then cut, then trimmed.
    return normalise_line_breaks(as_server_reads(data.get(name)) or "")[:2000].strip()


def is_spam(data: dict) -> bool:
    """What the bot traps make of the sent fields (a spam post is answered 303, stored never)."""
    token = _read(data, "started")
    return bool(_read(data, "website")) or bool(token and started_at(token) is None)


def _accepted_text(stored: str, data: dict, name: str) -> None:
    assert clean_text(stored)
    assert stored == _read(data, name)


@hsettings(HOSTILE, max_examples=examples(700))
@given(language=st.sampled_from(LANGUAGES), form=a_form(signup_fields()))
def test_signup_post(send, language, form):
    data, hostile, body, content_type = form
    email = _read(data, "email").lower()
    # (PostgreSQL refuses a NUL even in a query; such an address is never accepted anyway.)
    existed = "\x00" not in email and SignUp.objects.filter(email=email).exists()
    sent = send(
        "signup POST",
        "POST",
        PATHS["signup"][language],
        body=body,
        content_type=content_type,
        may_store=("signup",),
    )
    if not hostile:
        assert sent.status == 303, sent.text[:3000]
    assert sent.status in (303, 400)
    if sent.status == 400:
        assert not sent.stored
        assert_rejected_in_language(sent, language, form_marker='class="leads-form"')
        return
    assert sent.response["Location"] == PATHS["signup_thanks"][language]
    if is_spam(data):
        assert not sent.stored
        return
    assert sent.stored == ({} if existed else {"signup": 1})
    signup = SignUp.objects.get(email=email)
    if existed:
        # A known address: within the resend pause the request changes nothing, so the link
        # already sent applies exactly what it was sent for (issue 15, item 10).
        return
    _accepted_text(signup.name, data, "name")
    assert len(signup.name) <= 80 and signup.email == email
    assert signup.whatsapp == "" or PHONE.fullmatch(signup.whatsapp), signup.whatsapp
    assert signup.stage == _read(data, "stage") and signup.language == language
    assert signup.confirmed_at is None


@st.composite
def consultation_fields(draw) -> dict:
    return {
        "name": draw(NAMES),
        "phone": draw(PHONES),
        "email": draw(EMAILS_OR_NONE),
        "preferred_time": draw(PREFERRED_TIMES),
        "question": draw(TEXT),
        "consent": "on",
        "panduan": draw(GUIDE_IDS),
        "langkah": draw(STEPS),
        "website": "",
        "started": draw(STARTED),
    }


@hsettings(HOSTILE, max_examples=examples(400))
@given(language=st.sampled_from(LANGUAGES), form=a_form(consultation_fields()))
def test_consultation_post(send, language, form):
    data, hostile, body, content_type = form
    sent = send(
        "consultation POST",
        "POST",
        PATHS["consultation"][language],
        body=body,
        content_type=content_type,
        may_store=("consultation",),
    )
    if not hostile:
        assert sent.status == 303, sent.text[:3000]
    assert sent.status in (303, 400)
    if sent.status == 400:
        assert not sent.stored
        assert_rejected_in_language(sent, language, form_marker='class="leads-form"')
        return
    assert sent.response["Location"] == PATHS["consultation_thanks"][language]
    if is_spam(data):
        assert not sent.stored
        return
    assert sent.stored == {"consultation": 1}
    request = ConsultationRequest.objects.order_by("-pk").first()
    _accepted_text(request.name, data, "name")
    _accepted_text(request.question, data, "question")
    assert len(request.question) <= 1500
    assert PHONE.fullmatch(request.phone), request.phone
    assert request.email == _read(data, "email").lower()
    assert request.preferred_time == _read(data, "preferred_time") and request.language == language
    assert request.step is None or 1 <= request.step <= 99


@st.composite
def privacy_fields(draw) -> dict:
    return {
        "email": draw(EMAILS),
        "kind": draw(KINDS),
        "website": "",
        "started": draw(STARTED),
    }


@hsettings(HOSTILE, max_examples=examples(400))
@given(language=st.sampled_from(LANGUAGES), form=a_form(privacy_fields()))
def test_privacy_request_post(send, language, form):
    data, hostile, body, content_type = form
    email = _read(data, "email").lower()
    kind = _read(data, "kind")
    recent = (
        "\x00" not in email + kind
        and PrivacyRequest.objects.filter(email=email, kind=kind, used_at__isnull=True).exists()
    )
    sent = send(
        "privacy request POST",
        "POST",
        PATHS["privacy"][language],
        body=body,
        content_type=content_type,
        may_store=("privacy",),
    )
    if not hostile:
        assert sent.status == 303, sent.text[:3000]
    assert sent.status in (303, 400)
    if sent.status == 400:
        assert not sent.stored
        assert_rejected_in_language(sent, language, form_marker='class="leads-form"')
        return
    assert sent.response["Location"] == PATHS["privacy_sent"][language]
    if is_spam(data):
        assert not sent.stored
        return
    # A second request for the same address and kind within minutes reuses the first link.
    assert sent.stored == ({} if recent else {"privacy": 1})
    stored = PrivacyRequest.objects.filter(email=email, kind=kind).latest("pk")
    assert stored.email == email and stored.used_at is None
    if not recent:
        assert stored.language == language
