"""One-time and signed links with made-up tokens, by GET and POST: a page that says the link
does not work, in the language of its URL, and nothing stored or changed."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from django.core import signing
from django.utils import translation
from django.utils.html import escape
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from asih.comments.unsubscribe import BAD_LINK_MESSAGE
from asih.leads.services import LINK_INVALID

from .budget import examples
from .conftest import HOSTILE
from .strategies import JSON_VALUES, hostile_text

pytestmark = pytest.mark.django_db

LINKS = {
    "sign-up confirmation": (
        {"id": "/id/daftar/konfirmasi/", "en": "/en/sign-up/confirm/"},
        LINK_INVALID,
    ),
    "privacy confirmation": (
        {"id": "/id/privasi/konfirmasi/", "en": "/en/privacy/confirm/"},
        LINK_INVALID,
    ),
    "guidance unsubscribe": ({"id": "/id/berhenti/", "en": "/en/unsubscribe/"}, LINK_INVALID),
    "reply-email unsubscribe": (
        {"id": "/id/komentar/berhenti-langganan/", "en": "/en/comment/unsubscribe/"},
        BAD_LINK_MESSAGE,
    ),
    "guidebook download": (
        {"id": "/id/panduan-lengkap/unduh/", "en": "/en/complete-guide/download/"},
        None,
    ),
}
TOKENS = st.one_of(
    hostile_text(80),
    st.text(
        st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:"),
        min_size=1,
        max_size=120,
    ),
    # Really signed, but with a salt of another feature or a payload of the wrong shape.
    st.tuples(
        JSON_VALUES,
        st.sampled_from(["asih.leads.unsubscribe", "asih.comments.unsubscribe", "other"]),
    ).map(lambda pair: signing.dumps(pair[0], salt=pair[1], compress=True)),
)


@pytest.mark.parametrize("link", list(LINKS), ids=list(LINKS))
def test_links_with_made_up_tokens(send, link):
    paths, message = LINKS[link]

    @hsettings(HOSTILE, max_examples=examples(240))
    @given(
        language=st.sampled_from(["id", "en"]),
        token=TOKENS,
        method=st.sampled_from(["GET", "GET", "POST", "HEAD"]),
    )
    def run(language, token, method):
        quoted = quote_from_bytes(token.encode("utf-8", "surrogatepass"), safe="") or "-"
        sent = send(link, method, f"{paths[language]}{quoted}/")
        # Tokens signed for another feature may decode to a real-looking payload: still refused.
        assert sent.status in (400, 404, 410), sent.status
        if method == "HEAD":
            return
        assert f'<html lang="{language}"' in sent.text
        if message is not None and "/" not in token:  # a "/" makes it another (404) path
            with translation.override(language):
                assert escape(str(message)) in sent.text

    run()
