"""Wrong HTTP methods on every public endpoint: refused or answered like a GET, never a 500,
never a stored row."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from .budget import examples
from .conftest import HOSTILE
from .strategies import raw_body

pytestmark = pytest.mark.django_db

METHODS = ["PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "CONNECT", "PROPFIND", "GÉT"]
# Endpoints that only take POST must refuse every other method outright.
POST_ONLY = {"/{lang}/{comment_send}/{guide_id}/"}
# Reads a count with GET or HEAD (a 400 names what is missing), records a share with POST.
GET_OR_POST = {"/api/share/"}
ENDPOINTS = [
    "/api/share/",
    "/api/form-token/",
    "/{lang}/{comment_send}/{guide_id}/",
    "/{lang}/{signup}/",
    "/{lang}/{consultation}/",
    "/{lang}/{privacy}/",
    "/{lang}/{search}/",
    "{guide}",
    "{guide}{plan}/",
    "/{lang}/",
    "/sitemap.xml",
    "/robots.txt",
    "/feeds/{lang}.xml",
    "/sw.js",
    "/manifest.webmanifest",
    "/offline/",
    "/{lang}/{unsubscribe}/x/",
    "/{lang}/{signup}/x/",
]
SLUGS = {
    "id": {
        "signup": "daftar",
        "consultation": "konsultasi",
        "privacy": "privasi",
        "search": "cari",
        "plan": "rencana",
        "comment_send": "komentar/kirim",
        "unsubscribe": "komentar/berhenti-langganan",
    },
    "en": {
        "signup": "sign-up",
        "consultation": "consultation",
        "privacy": "privacy",
        "search": "search",
        "plan": "plan",
        "comment_send": "comment/send",
        "unsubscribe": "comment/unsubscribe",
    },
}


@hsettings(HOSTILE, max_examples=examples(1400))
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    method=st.sampled_from(METHODS),
    language=st.sampled_from(["id", "en"]),
    body=raw_body(),
    same_origin=st.booleans(),
)
def test_wrong_methods(send, oxytocin, endpoint, method, language, body, same_origin):
    guide = oxytocin[language]
    path = endpoint.format(lang=language, guide=guide.url, guide_id=guide.pk, **SLUGS[language])
    sent = send(
        "wrong methods",
        method,
        path,
        body=body,
        same_origin=same_origin,
        content_type="application/x-www-form-urlencoded",
    )
    if endpoint in POST_ONLY:
        assert sent.status in (403, 405), sent.status
    elif endpoint in GET_OR_POST:
        assert sent.status in ((200, 400) if method == "HEAD" else (403, 405)), sent.status
    else:
        assert sent.status in (200, 301, 302, 400, 403, 404, 405, 410), sent.status
