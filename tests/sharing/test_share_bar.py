"""The share bar on the guide page: plain links without JavaScript, the count left to the
script (never in the page), same bytes."""

from html.parser import HTMLParser

import pytest

from asih.sharing.links import share_links
from asih.sharing.services import share_record


class _Bar(HTMLParser):
    """Collects the share bar's links, hidden items and count paragraph."""

    def __init__(self):
        super().__init__()
        self.links, self.hidden_needs, self.count, self._in_count = [], [], "", False
        self.bar = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("data-module") == "asih-share":
            self.bar = attrs
        if tag == "a" and "data-network" in attrs:
            self.links.append((attrs["data-network"], attrs["href"]))
        if tag == "li" and "hidden" in attrs:
            self.hidden_needs.append(attrs.get("data-share-needs"))
        if tag == "p" and attrs.get("class") == "share__count":
            self._in_count = True

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_count = False

    def handle_data(self, data):
        if self._in_count:
            self.count += data


def bar_of(response) -> _Bar:
    parser = _Bar()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def guide(oxytocin):
    return oxytocin["en"]


def test_plain_links_work_without_javascript(client, guide):
    bar = bar_of(client.get(guide.url))
    assert bar.bar is not None
    url = guide.get_full_url()
    expected = share_links(url=url, title=guide.title, summary=guide.summary)
    assert bar.links == list(expected.items())
    assert bar.links[0][0] == "whatsapp"
    # Copy and the share menu need the browser's help: hidden until the script finds it.
    assert bar.hidden_needs == ["clipboard", "share"]
    assert bar.bar["data-url"] == url and bar.bar["data-page"] == str(guide.pk)


def test_the_count_is_never_in_the_page(client, guide, oxytocin):
    before = client.get(guide.url).content
    for visitor in ("v1", "v2"):
        share_record(page=guide, network="whatsapp", visitor=visitor)
    response = client.get(guide.url)
    assert response.content == before
    # The empty paragraph the script fills, hidden until it has a count.
    assert '<p class="share__count" hidden></p>' in response.content.decode()
    assert bar_of(response).count == ""


def test_the_bar_carries_both_forms_of_the_count_in_its_language(client, oxytocin):
    english = bar_of(client.get(oxytocin["en"].url)).bar
    assert english["data-count-one"] == "Shared {count} time"
    assert english["data-count-other"] == "Shared {count} times"
    indonesian = bar_of(client.get(oxytocin["id"].url)).bar
    assert (
        indonesian["data-count-one"] == indonesian["data-count-other"] == "Dibagikan {count} kali"
    )


def test_page_is_the_same_bytes_for_two_visitors(client, guide):
    share_record(page=guide, network="whatsapp", visitor="v1")
    first = client.get(guide.url, REMOTE_ADDR="203.0.113.1", HTTP_USER_AGENT="phone")
    second = client.get(guide.url, REMOTE_ADDR="198.51.100.2", HTTP_USER_AGENT="laptop")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first.cookies == {} and second.cookies == {}
    html = first.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert "203.0.113.1" not in html


def test_share_bar_adds_no_inline_script_or_style(client, guide):
    html = client.get(guide.url).content.decode()
    section = html[html.index('<section class="share"') :]
    section = section[: section.index("</section>")]
    assert "<script" not in section and "style=" not in section and " on" not in section
    assert "<img" not in section  # icons are inline SVG, no request to another host


def test_shared_title_with_special_characters_is_escaped(client, guide):
    guide.title = 'Ibu & "Bayi" #1'
    guide.save_revision().publish()
    html = client.get(guide.url).content.decode()
    assert 'data-title="Ibu &amp; &quot;Bayi&quot; #1"' in html
    assert "text=Ibu%20%26%20%22Bayi%22%20%231%20" in html
