"""The guide page with the page cache off: parts kept rendered, correct after every change.

Each test first renders the page (filling the fragments), makes one change through the code
path production uses, and expects the very next GET to show it. Counters are real (the page
cache's file store in a temporary folder); Django's cache is the test settings' memory cache.
"""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from asih.comments import services as comment_services
from asih.comments.models import Comment, CommentSettings
from asih.core.models import ClinicSettings
from asih.pagecache import store as store_module
from asih.search import services as search_services
from asih.search.models import RelatedGuide
from asih.sharing.services import share_record
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def counters(settings, tmp_path):
    """A fresh file store for the page cache's counters, as production has without Redis."""
    settings.ASIH_PAGE_CACHE = False
    settings.ASIH_PAGE_CACHE_DIR = tmp_path / "pagecache"
    settings.REDIS_URL = ""
    store_module.reset_store()
    yield store_module.get_store()
    store_module.reset_store()


@pytest.fixture
def guide(oxytocin):
    return oxytocin["id"]


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def comments_section(html: str) -> str:
    return html.split('<section class="comments"', 1)[1].split("</section>", 1)[0]


def related_section(html: str) -> str:
    return html.split('<section class="related"', 1)[1].split("</section>", 1)[0]


def test_warm_render_is_the_same_bytes_as_the_first_and_for_every_visitor(client, guide):
    CommentFactory.create_batch(3, page=guide)
    first = client.get(guide.url).content
    again = client.get(guide.url).content
    other = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="theme=dark; utm=x")
    stranger = other.get(guide.url).content
    assert first == again == stranger
    assert b"Pertanyaan nomor" in first


def test_fragments_are_really_served_from_the_cache(client, guide):
    html_of(client, guide.url)
    # A change behind the counters' back (no signal) stays unseen: the parts are kept.
    Comment.objects.filter(page=guide).delete()
    CommentFactory(page=guide, body="Komentar tanpa sinyal apa pun di sini.")
    assert "tanpa sinyal" not in html_of(client, guide.url)


def test_approved_comment_shows_on_the_next_render(
    client, guide, django_capture_on_commit_callbacks
):
    pending = CommentFactory(page=guide, status="pending", body="Apakah boleh pagi dan malam?")
    assert "pagi dan malam" not in comments_section(html_of(client, guide.url))
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_approve(comment=pending)
    html = html_of(client, guide.url)
    assert "pagi dan malam" in comments_section(html)
    # Every comment page and notice variant follows the same counter.
    assert "pagi dan malam" in html_of(client, guide.url + "?terkirim=1")


def test_rejected_comment_leaves_on_the_next_render(
    client, guide, django_capture_on_commit_callbacks
):
    shown = CommentFactory(page=guide, body="Komentar yang nanti ditolak moderator.")
    assert "nanti ditolak" in html_of(client, guide.url)
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_reject(comment=shown)
    assert "nanti ditolak" not in html_of(client, guide.url)


def test_a_new_published_revision_shows_on_the_next_render(client, guide):
    assert "Ringkasan yang baru saja diterbitkan" not in html_of(client, guide.url)
    guide.summary = "Ringkasan yang baru saja diterbitkan."
    guide.save_revision().publish()
    html = html_of(client, guide.url)
    assert html.count("Ringkasan yang baru saja diterbitkan") >= 2  # article and meta tags


def test_unpublished_guide_leaves_the_related_list_of_others(client, guide):
    cards = list(RelatedGuide.objects.filter(from_page_id=guide.pk).select_related("to_page"))
    assert cards, "the loaded guides have related lists"
    leaving = cards[0].to_page.specific
    assert leaving.title in related_section(html_of(client, guide.url))
    leaving.unpublish()
    assert leaving.title not in related_section(html_of(client, guide.url))


def test_recomputed_related_list_shows_on_the_next_render(client, guide):
    # A guide whose stored list is empty renders no related section, and keeps that part …
    RelatedGuide.objects.filter(from_page_id=guide.pk).delete()
    assert '<section class="related"' not in html_of(client, guide.url)
    # … until a recomputation announces a new list (here the one run on a publish's upkeep).
    search_services.guide_published(page=guide)
    rows = list(RelatedGuide.objects.filter(from_page_id=guide.pk).select_related("to_page"))
    assert rows
    after = related_section(html_of(client, guide.url))
    assert all(row.to_page.title in after for row in rows)


def test_a_share_leaves_the_page_alone_and_the_count_endpoint_follows_it(
    client, guide, django_capture_on_commit_callbacks
):
    """The count is read by share.js from /api/share/: a share retires nothing cached, and
    the page's bytes do not depend on the count at all."""
    before = client.get(guide.url).content
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        share_record(page=guide, network="whatsapp", visitor="v1")
    assert callbacks == []  # nothing announced after the commit
    assert client.get(guide.url).content == before
    assert client.get(f"/api/share/?page={guide.pk}").json()["total"] == 1


def test_saved_clinic_settings_show_on_the_next_render(client, guide):
    html_of(client, guide.url)
    clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    clinic.name = "Klinik Contoh Sesudah Disimpan"
    clinic.save()
    html = html_of(client, guide.url)
    assert "Klinik Contoh Sesudah Disimpan" in html.split("<title>", 1)[1].split("</title>")[0]
    assert "Klinik Contoh Sesudah Disimpan" in html.split("<footer", 1)[1]
    assert "Klinik Contoh Sesudah Disimpan" in html.split('<header class="site-header"', 1)[1]


def test_closing_comments_removes_the_form_on_the_next_render(client, guide):
    assert '<form method="post"' in comments_section(html_of(client, guide.url))
    settings_row = CommentSettings.for_site(guide.get_site())
    settings_row.comments_open = False
    settings_row.save()
    assert '<form method="post"' not in comments_section(html_of(client, guide.url))


def test_a_preview_never_uses_or_fills_the_kept_parts(client, guide):
    html_of(client, guide.url)
    guide.summary = "Draf ringkasan yang belum terbit."
    guide.save_revision()  # a draft: not published
    preview = guide.make_preview_request()
    assert "Draf ringkasan yang belum terbit" in preview.content.decode()
    assert "Draf ringkasan yang belum terbit" not in html_of(client, guide.url)


def test_a_reply_link_or_form_errors_render_afresh(client, guide):
    parent = CommentFactory(page=guide, name="Ibu Wulan")
    html_of(client, guide.url)
    html = html_of(client, f"{guide.url}?balas={parent.pk}")
    assert "Ibu Wulan" in html.split('class="comment-form__replying-text"', 1)[1][:200]


def test_queries_stay_few_and_flat_for_5_or_5000_comments(client, guide):
    CommentFactory.create_batch(5, page=guide)
    cold = queries_of(client, guide.url)
    few = queries_of(client, guide.url)
    Comment.objects.bulk_create(
        Comment(page=guide, language="id", name=f"P{i}", body="Isi " * 5, status="approved")
        for i in range(5000)
    )
    comment_services.public_content_changed.send(sender=Comment, pages=[guide])
    queries_of(client, guide.url)  # the comments block is rendered again once
    many = queries_of(client, guide.url)
    print(f"guide page queries: cold {cold}, warm {few} (5 comments), {many} (5005)")
    assert few == many <= 15


def test_queries_stay_flat_for_few_or_many_guides(client, guide, publish_many_guides):
    queries_of(client, guide.url)
    few = queries_of(client, guide.url)
    publish_many_guides(60)
    queries_of(client, guide.url)  # every publish retired the kept parts: rendered once more
    many = queries_of(client, guide.url)
    assert few == many <= 15


@pytest.fixture
def publish_many_guides(guide):
    from asih.guides.models import GuidePage

    def publish(count):
        stage = guide.get_parent()
        for number in range(count):
            page = GuidePage(
                title=f"Panduan tambahan {number}",
                slug=f"tambahan-{number}",
                summary="Ringkasan.",
                body=[],
            )
            stage.add_child(instance=page)
            page.save_revision().publish()

    return publish


VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _Balance(HTMLParser):
    """Whether a piece of HTML closes every element it opens, and only those."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.stray: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.stray.append(tag)


def test_every_fragment_holds_whole_elements(client, guide, monkeypatch):
    """A fragment that opens an element it does not close (or closes one it did not open) ties
    the page's structure to the cache; djhtml could not indent those templates either."""
    from asih.pagecache import fragments

    stored = {}

    class Recording:
        def get(self, key):
            return None

        def set(self, key, value, timeout=None):
            stored[key] = value

    CommentFactory.create_batch(2, page=guide)
    monkeypatch.setattr(fragments, "cache", Recording())
    html_of(client, guide.url)
    assert len(stored) >= 6  # head, title, header, article, related, comments, footer
    for html in stored.values():
        parser = _Balance()
        parser.feed(html)
        parser.close()
        assert parser.open == [] and parser.stray == [], html[:200]
