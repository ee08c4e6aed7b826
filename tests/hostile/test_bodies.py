"""Raw bodies on the POST forms: wrong or broken Content-Type, charsets Python decodes oddly,
invalid UTF-8, a body over DATA_UPLOAD_MAX_MEMORY_SIZE. A 400 says so in the page's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from asih.core.localized_urls import reverse_in

from .budget import examples
from .checks import assert_rejected_in_language
from .conftest import HOSTILE
from .strategies import CONTENT_TYPES, raw_body

pytestmark = pytest.mark.django_db

FORMS = {
    "signup": ({"id": "/id/daftar/", "en": "/en/sign-up/"}, 'class="leads-form"', "signup"),
    "consultation": (
        {"id": "/id/konsultasi/", "en": "/en/consultation/"},
        'class="leads-form"',
        "consultation",
    ),
    "privacy": ({"id": "/id/privasi/", "en": "/en/privacy/"}, 'class="leads-form"', "privacy"),
    "comment": (None, 'class="comment-form__form"', "comment"),
}


def oversized() -> bytes:
    return b"name=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)


@hsettings(HOSTILE, max_examples=examples(500))
@given(
    form=st.sampled_from(sorted(FORMS)),
    language=st.sampled_from(["id", "en"]),
    body=st.one_of(raw_body(), st.just(b"OVERSIZED"), st.just(b"MANY_FIELDS")),
    content_type=st.sampled_from(CONTENT_TYPES),
)
def test_raw_bodies(send, oxytocin, form, language, body, content_type):
    paths, marker, model = FORMS[form]
    path = (
        paths[language]
        if paths
        else reverse_in(language, "comments:submit", page_id=oxytocin[language].pk)
    )
    if body == b"OVERSIZED":
        body = oversized()
    elif body == b"MANY_FIELDS":
        body = b"&".join(
            b"f%d=1" % number for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5)
        )
    sent = send(
        f"raw bodies: {form}",
        "POST",
        path,
        body=body,
        content_type=content_type,
        may_store=(model,),
    )
    assert sent.status in (303, 400), sent.status
    if sent.status == 400:
        assert not sent.stored
        assert_rejected_in_language(sent, language, form_marker=marker)
