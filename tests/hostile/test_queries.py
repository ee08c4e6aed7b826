"""Every public GET with hostile query parameters (and odd paths): never a 500, the page in the
language of its URL, and nothing stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from asih.search.forms import STAGE_UNKNOWN

from .budget import examples
from .conftest import HOSTILE
from .strategies import NASTY_WORDS, hostile_text, raw_query

pytestmark = pytest.mark.django_db

NUMBERS = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.sampled_from(["1", "2", "0", "-1", "1.5", "１", "٣", "9" * 5000, "1e9", " 2 "]),
)
DATES = st.sampled_from(["2025-01-01", "31/12/2024", "2024-02-30", "0000-00-00", "99999-01-01"])
CHARSETS = st.sampled_from(
    [
        None,
        None,
        None,
        "text/plain; charset=unicode_escape",
        "text/plain; charset=base64",
        "text/plain; charset=utf-7",
        "text/plain; charset=nope",
        "application/json; charset=utf-16",
    ]
)


@dataclass(frozen=True)
class Target:
    name: str
    path: str  # {guide} {stage} {home} are filled from the oxytocin guide of the language
    params: dict = field(default_factory=dict)
    examples: int = 100
    html: bool = True


def _any(valid):
    return st.one_of(valid, hostile_text(), st.sampled_from(NASTY_WORDS))


TARGETS = [
    Target(
        "search ?q&stage&category&page",
        "/{lang}/{search}/",
        {
            "q": _any(st.sampled_from(["pijat", "massage", "ASI", ""])),
            "stage": _any(NUMBERS),
            "category": _any(NUMBERS),
            "page": _any(NUMBERS),
        },
        300,
    ),
    Target("stage page ?page", "{stage}", {"page": _any(NUMBERS)}, 120),
    Target(
        "guide page ?balas&komentar&terkirim",
        "{guide}",
        {
            "balas": _any(NUMBERS),
            "komentar": _any(NUMBERS),
            "terkirim": _any(st.sampled_from(["1", "terbit"])),
        },
        60,
    ),
    Target(
        "plan ?birth_date&time_zone&reminder_time",
        "{guide}{plan}/",
        {
            "birth_date": _any(DATES),
            "time_zone": _any(st.sampled_from(["Asia/Jakarta", "UTC"])),
            "reminder_time": _any(st.sampled_from(["09:00", "25:00", "9.30"])),
        },
        25,
    ),
    Target(
        "plan calendar .ics",
        "{guide}{plan_ics}/",
        {
            "birth_date": _any(DATES),
            "time_zone": _any(st.sampled_from(["Asia/Makassar"])),
            "reminder_time": _any(st.sampled_from(["07:00"])),
        },
        25,
    ),
    Target("session page", "{guide}{session}/", {"x": hostile_text()}, 20),
    Target(
        "consultation ?panduan&langkah",
        "/{lang}/{consultation}/",
        {"panduan": _any(NUMBERS), "langkah": _any(NUMBERS)},
        200,
    ),
    Target(
        "sign-up ?tahap",
        "/{lang}/{signup}/",
        {"tahap": _any(st.sampled_from(["pregnant", "born", "planning"]))},
        150,
    ),
    Target("privacy page", "/{lang}/{privacy}/", {"x": hostile_text()}, 80),
    Target("home page", "/{lang}/", {"x": hostile_text()}, 40),
    Target("my sessions", "/{lang}/{my_sessions}/", {"x": hostile_text()}, 30),
    Target(
        "feeds, sitemap, robots, worker, manifest, offline",
        "{static}",
        {"x": hostile_text()},
        150,
        html=False,
    ),
]

SLUGS = {
    "id": {
        "search": "cari",
        "consultation": "konsultasi",
        "signup": "daftar",
        "privacy": "privasi",
        "my_sessions": "sesi-saya",
        "plan": "rencana",
        "plan_ics": "rencana/kalender",
        "session": "sesi",
    },
    "en": {
        "search": "search",
        "consultation": "consultation",
        "signup": "sign-up",
        "privacy": "privacy",
        "my_sessions": "my-sessions",
        "plan": "plan",
        "plan_ics": "plan/calendar",
        "session": "session",
    },
}
STATIC_PATHS = [
    "/feeds/{lang}.xml",
    "/sitemap.xml",
    "/robots.txt",
    "/sw.js",
    "/manifest.webmanifest",
    "/offline/",
]


def _quote(text: str) -> str:
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"))


def build_query(params: dict) -> str:
    pairs = []
    for name, values in params.items():
        for value in values:
            pairs.append(f"{_quote(name)}={_quote(value)}")
    return "&".join(pairs)


@st.composite
def query_for(draw, target: Target):
    """Each parameter missing, once or repeated; sometimes raw bytes instead."""
    if draw(st.integers(0, 5)) == 0:
        return draw(raw_query())
    params = {}
    for name, values in target.params.items():
        params[name] = draw(st.lists(values, max_size=3))
    return build_query(params)


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_query_parameters(send, oxytocin, target):
    @hsettings(HOSTILE, max_examples=examples(target.examples))
    @given(
        language=st.sampled_from(["id", "en"]),
        query=query_for(target),
        content_type=CHARSETS,
        static=st.sampled_from(STATIC_PATHS),
    )
    def run(language, query, content_type, static):
        guide = oxytocin[language]
        path = target.path.format(
            lang=language,
            guide=guide.url,
            stage=guide.get_parent().url,
            static=static.format(lang=language),
            **SLUGS[language],
        )
        sent = send(target.name, "GET", path, query=query, content_type=content_type)
        assert sent.status in (200, 400), (path, query, sent.status)
        if not target.html or not sent.response["Content-Type"].startswith("text/html"):
            return
        assert f'<html lang="{language}"' in sent.text
        if target.name.startswith("search") and content_type is None and sent.status == 200:
            # A stage that does not exist says so in the page's language, and the search runs.
            stage_values = [v for k, v in _pairs(query) if k == "stage"]
            if stage_values and not stage_values[-1].strip().isdigit() and stage_values[-1]:
                with translation.override(language):
                    message = str(STAGE_UNKNOWN).replace("'", "&#x27;")
                assert message in sent.text

    run()


def _pairs(query: str):
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True, errors="replace")


@hsettings(HOSTILE, max_examples=examples(250))
@given(
    language=st.sampled_from(["id", "en"]),
    segments=st.lists(hostile_text(30) | st.binary(max_size=20), min_size=1, max_size=3),
)
def test_unknown_paths(send, language, segments):
    """Made-up paths under the site: a 404 (or a redirect to one), never a 500."""
    parts = [
        quote_from_bytes(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        for part in segments
    ]
    sent = send("unknown paths", "GET", f"/{language}/" + "/".join(parts) + "/")
    assert sent.status in (301, 302, 404)


@hsettings(HOSTILE, max_examples=examples(200))
@given(page_id=NUMBERS, print_=hostile_text(20), language=st.sampled_from(["id", "en"]))
def test_link_preview_card(send, oxytocin, page_id, print_, language):
    """/og/<id>-<print>.png: a card, a redirect to the current card, or a 404."""
    if page_id == "1":
        page_id = str(oxytocin[language].pk)
    fingerprint = quote_from_bytes(print_.encode("utf-8", "surrogatepass"))
    path = f"/og/{quote_from_bytes(page_id.encode())}-{fingerprint}.png"
    sent = send("link preview card", "GET", path)
    assert sent.status in (200, 301, 302, 404)
