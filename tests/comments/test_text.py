"""Comment text as HTML: escaped, http(s) links only with nofollow, and the XSS corpus inert."""

import re
from html.parser import HTMLParser

import pytest

from asih.comments.text import LINK_REL, comment_html
from tests.xss.corpus import payloads


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parsed(html):
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_plain_text_escaped_and_line_breaks_kept():
    html = comment_html("Baris <b>satu</b> & dua\nbaris dua\n\nparagraf baru")
    assert html == (
        "<p>Baris &lt;b&gt;satu&lt;/b&gt; &amp; dua<br>baris dua</p><p>paragraf baru</p>"
    )


def test_urls_become_nofollow_links_without_trailing_punctuation():
    html = comment_html("Baca https://contoh.test/a?b=1&c=2. Juga (http://x.test/y).")
    tags = parsed(html)
    links = [attrs for tag, attrs in tags if tag == "a"]
    assert links == [
        {"href": "https://contoh.test/a?b=1&c=2", "rel": LINK_REL},
        {"href": "http://x.test/y", "rel": LINK_REL},
    ]
    assert html.endswith(").</p>")


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "ftp://files.test/x",
        "data:text/html,hi",
        "www.contoh.test",
        "http://",
    ],
)
def test_only_http_and_https_addresses_are_linked(text):
    assert "<a" not in comment_html(text)


def test_invisible_direction_characters_end_a_link():
    html = comment_html("https://bank.test\u202egpj.exe")
    assert parsed(html)[1] == ("a", {"href": "https://bank.test", "rel": LINK_REL})


def test_long_links_are_shortened_for_display_only():
    url = "https://contoh.test/" + "a" * 100
    html = comment_html(url)
    assert f'href="{url}"' in html and "…</a>" in html


def test_corpus_has_at_least_50_payloads():
    assert len(payloads()) >= 50


@pytest.mark.parametrize("payload", payloads())
def test_xss_payload_renders_inert(payload):
    html = comment_html(payload)
    for tag, attrs in parsed(html):
        assert tag in {"p", "br", "a"}, (tag, payload)
        if tag == "a":
            assert set(attrs) == {"href", "rel"}
            assert attrs["href"].startswith(("http://", "https://"))
            assert attrs["rel"] == LINK_REL
            assert not any(ch in attrs["href"] for ch in "<>\"' ")
    assert "xss-marker" not in "".join(str(a) for _, a in parsed(html))


@pytest.mark.parametrize(
    "text",
    [
        "Lihat (https://a.test/b).",
        "[https://a.test/b]!",
        "(https://a.test/b)), ya",
        "https://a.test;",
    ],
)
def test_no_typed_character_is_lost_around_a_link(text):
    # Django 5.2's urlize alone drops the full stop of "(https://a.test/b)."
    shown = re.sub(r"<[^>]+>", "", str(comment_html(text)))
    assert shown == text
