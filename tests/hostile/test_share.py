"""The JSON endpoints: /api/share/ and /api/form-token/ answer every body with JSON below 500."""

from __future__ import annotations

import itertools
import json
from urllib.parse import quote_from_bytes

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from asih.core.protection import started_at
from asih.sharing.models import NETWORK_CODES, ShareCount
from asih.sharing.services import SHARE_NOT_A_GUIDE, SHARE_UNKNOWN_NETWORK
from asih.sharing.views import SHARE_BAD_BODY

from .budget import examples
from .conftest import HOSTILE
from .strategies import CONTENT_TYPES, JSON_VALUES, hostile_text, raw_body, urlencode_raw

SHARE_MESSAGES = (SHARE_BAD_BODY, SHARE_NOT_A_GUIDE, SHARE_UNKNOWN_NETWORK)

pytestmark = pytest.mark.django_db

PAGE_VALUES = st.one_of(
    st.sampled_from(["GUIDE", "GUIDE", "HOME"]),
    st.integers(-(10**20), 10**20),
    st.sampled_from(["1e3", "0x10", " 21", "21 ", "２１", "-1", "", "999999999", "9999999999"]),
    JSON_VALUES,
)
NETWORKS = st.one_of(st.sampled_from(NETWORK_CODES), hostile_text(), JSON_VALUES)


def _fill(value, guide, home):
    if not isinstance(value, str):
        return value
    return {"GUIDE": guide.pk, "HOME": home.pk}.get(value, value)


@st.composite
def share_bodies(draw):
    """A share as JSON (sometimes valid), as a form, or as bytes with any Content-Type."""
    kind = draw(st.sampled_from(["json", "json", "form", "raw"]))
    fields = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "page": PAGE_VALUES,
                "network": NETWORKS,
                "extra": JSON_VALUES,
            },
        )
    )
    return kind, fields, draw(raw_body()), draw(st.sampled_from(CONTENT_TYPES))


# Each example from a network of its own: one network's count is capped (issue 15).
_networks = (f"10.{n >> 8 & 255}.{n & 255}.7" for n in itertools.count(1))


@hsettings(HOSTILE, max_examples=examples(3000))
@given(language=st.sampled_from(["id", "en"]), share=share_bodies())
def test_share_endpoint(send, oxytocin, language, share):
    kind, fields, raw, raw_type = share
    guide = oxytocin[language]
    home = guide.get_parent().get_parent()
    fields = {name: _fill(value, guide, home) for name, value in fields.items()}
    if kind == "json":
        body = json.dumps(fields).encode()  # ensure_ascii: lone surrogates go as \\ud800
        content_type = "application/json"
    elif kind == "form":
        text = {
            name: value if isinstance(value, str) else json.dumps(value)
            for name, value in fields.items()
        }
        body, content_type = urlencode_raw(text), "application/x-www-form-urlencoded"
    else:
        body, content_type = raw, raw_type
    before = ShareCount.objects.filter(page=guide).values_list("total", flat=True).first() or 0
    sent = send(
        "share JSON POST",
        "POST",
        "/api/share/",
        body=body,
        content_type=content_type,
        may_store=("sharecount", "sharemark"),
        HTTP_ACCEPT_LANGUAGE=language,
        REMOTE_ADDR=next(_networks),
    )
    assert sent.response["Content-Type"] == "application/json"
    answer = json.loads(sent.response.content)
    valid = (
        kind in ("json", "form")
        and fields.get("page") == guide.pk
        and fields.get("network") in NETWORK_CODES
    )
    if valid:
        assert sent.status == 200, answer
        assert answer == {"counted": True, "total": before + 1}
        assert sent.stored.get("sharemark") == 1
    else:
        assert sent.status == 400, answer
        assert not sent.stored
        # One of the share messages, in the visitor's language (Accept-Language: no prefix here).
        with translation.override(language):
            known = {str(message) for message in SHARE_MESSAGES}
        assert set(answer) == {"error"} and answer["error"] in known, answer


@hsettings(HOSTILE, max_examples=examples(1500))
@given(query=st.one_of(st.just(""), hostile_text(40)))
def test_form_token_endpoint(send, query):
    sent = send(
        "form-token GET",
        "GET",
        "/api/form-token/",
        query=quote_from_bytes(query.encode("utf-8", "surrogatepass")),
    )
    assert sent.status == 200
    assert isinstance(started_at(json.loads(sent.response.content)["started"]), int)
    assert "no-cache" in sent.response["Cache-Control"]
