"""The comment form under hostile posts: 303 and one stored comment, or the guide again with
the form, its messages in the guide's language, and nothing stored."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from asih.comments import spam
from asih.comments.models import Comment
from asih.core.localized_urls import reverse_in
from asih.core.textbox import normalise_line_breaks

from .budget import examples
from .checks import LANGUAGES, assert_rejected_in_language, clean_text
from .conftest import HOSTILE
from .strategies import as_server_reads, encode_form, mutated_form
from .test_leads import EMAILS, NAMES, STARTED, TEXT, is_spam

pytestmark = pytest.mark.django_db


@st.composite
def comment_fields(draw) -> dict:
    return {
        "name": draw(NAMES),
        "email": draw(EMAILS),
        "body": draw(TEXT),
        "follow_replies": draw(FOLLOW),
        "parent": "",
        "website": "",
        "started": draw(STARTED),
    }


FOLLOW = st.sampled_from(["", "on"])


def _read(data: dict, name: str) -> str:
    value = as_server_reads(data.get(name)) or ""
    if name == "body":
        # A text box: every line break (CR LF, a lone CR) is kept as one LF (asih.core.textbox).
        value = normalise_line_breaks(value)
    return value.strip()


@hsettings(HOSTILE, max_examples=examples(200))
@given(
    language=st.sampled_from(LANGUAGES),
    form=mutated_form(comment_fields()),
    multipart=st.booleans(),
)
def test_comment_post(send, oxytocin, language, form, multipart):
    data, hostile = form
    guide = oxytocin[language]
    body, content_type = encode_form(data, multipart=multipart)
    sent = send(
        "comment POST",
        "POST",
        reverse_in(language, "comments:submit", page_id=guide.pk),
        body=body,
        content_type=content_type,
        may_store=("comment",),
    )
    assert sent.status in (303, 400)
    if sent.status == 400:
        assert not sent.stored
        assert_rejected_in_language(sent, language, form_marker='class="comment-form__form"')
        if not hostile:  # a valid comment is refused only as a repeat of an earlier one
            with translation.override(language):
                assert str(spam.DUPLICATE_MESSAGE) in sent.text.replace("&#x27;", "'")
        return
    assert sent.stored == {"comment": 1}
    comment = Comment.objects.latest("pk")
    # Published at once: back to the guide at the comment; waiting: the sender's own page.
    location = sent.response["Location"]
    if comment.status == Comment.Status.APPROVED:
        assert location.startswith(guide.url + "?terkirim=")
    else:
        # The language's own address for "sent" (/id/komentar/terkirim/, /en/comment/sent/).
        sent_prefix = reverse_in(language, "comments:sent", token="x").removesuffix("x/")
        assert location.startswith(sent_prefix)
    assert comment.page_id == guide.pk and comment.language == language
    for field in ("name", "body"):
        stored = getattr(comment, field)
        assert clean_text(stored) and stored == _read(data, field)
    assert len(comment.name) <= 80 and 3 <= len(comment.body) <= 3000
    assert comment.email == _read(data, "email").lower()
    expected_status = (
        {Comment.Status.SPAM}
        if is_spam(data)
        else {
            Comment.Status.PENDING,
            Comment.Status.SPAM,  # no timing token: held, never dropped
        }
    )
    assert comment.status in expected_status
