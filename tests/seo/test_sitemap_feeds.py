"""sitemap.xml, robots.txt, canonical and hreflang links, and the Atom feeds of new guides."""

import html as html_lib
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.utils import timezone, translation
from wagtail.models import Page, PageViewRestriction, Site

from asih.core.localized_urls import reverse_in
from asih.core.models import ClinicSettings
from asih.guides.models import GuidePage
from asih.seo.views import feed_title

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "atom": "http://www.w3.org/2005/Atom",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LINK_TAG = re.compile(r"<link\b[^>]*>")


def public_pages():
    return Page.objects.live().public().filter(depth__gt=1).select_related("locale")


def sitemap_entries(client, **headers) -> dict[str, dict]:
    response = client.get("/sitemap.xml", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert "Set-Cookie" not in response
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = {
            "lastmod": url.findtext("sm:lastmod", namespaces=NS),
            "alternates": [
                (link.get("hreflang"), link.get("href"), link.get("rel"))
                for link in url.findall("xhtml:link", NS)
            ],
        }
    return entries


def head_links(html: str) -> tuple[list[str], dict[str, str]]:
    """The canonical hrefs and the hreflang → href map of the <link> tags in <head>."""
    head = html.split("</head>", 1)[0]
    canonical, alternates = [], {}
    for tag in LINK_TAG.findall(head):
        href = re.search(r'href="([^"]*)"', tag).group(1)
        if 'rel="canonical"' in tag:
            canonical.append(href)
        lang = re.search(r'hreflang="([^"]*)"', tag)
        if 'rel="alternate"' in tag and lang:
            assert lang.group(1) not in alternates, f"hreflang {lang.group(1)} twice"
            alternates[lang.group(1)] = href
    return canonical, alternates


def feed(client, language, **headers) -> ET.Element:
    response = client.get(f"/feeds/{language}.xml", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Set-Cookie" not in response
    return ET.fromstring(response.content)


# -- sitemap.xml ---------------------------------------------------------------------------------
def app_page_urls() -> set[str]:
    """The form and privacy pages, which Django views answer, in both languages (issue 20.2)."""
    routes = ("leads:consultation", "leads:signup", "leads:privacy")
    return {
        "http://localhost" + reverse_in(code, route) for route in routes for code in ("id", "en")
    }


def test_sitemap_lists_every_live_page_in_both_languages(client):
    entries = sitemap_entries(client)
    pages = list(public_pages())
    assert set(entries) == {page.get_full_url() for page in pages} | app_page_urls()
    codes = [page.locale.language_code for page in pages]
    assert codes.count("id") == codes.count("en") >= 10
    assert all(loc.startswith("http://localhost/") for loc in entries)
    for page in pages:
        lastmod = entries[page.get_full_url()]["lastmod"]
        assert lastmod == timezone.localtime(page.last_published_at).date().isoformat()


def test_sitemap_links_each_page_to_its_translations_and_x_default(client, oxytocin):
    entries = sitemap_entries(client)
    for loc, entry in entries.items():
        assert all(rel == "alternate" for _lang, _href, rel in entry["alternates"])
        links = {lang: href for lang, href, _rel in entry["alternates"]}
        assert [lang for lang, _href, _rel in entry["alternates"]] == ["id", "en", "x-default"]
        assert loc in (links["id"], links["en"]), "a page lists itself among its alternates"
        assert links["x-default"] == links["id"], "x-default is the Indonesian page"
        assert links["id"].startswith("http://localhost/id/")
        assert links["en"].startswith("http://localhost/en/")
        assert set(links.values()) <= set(entries), "alternates point at listed pages"
    english = entries[oxytocin["en"].get_full_url()]
    assert dict((lang, href) for lang, href, _rel in english["alternates"]) == {
        "id": oxytocin["id"].get_full_url(),
        "en": oxytocin["en"].get_full_url(),
        "x-default": oxytocin["id"].get_full_url(),
    }


def test_sitemap_leaves_out_unpublished_and_private_pages(client, oxytocin):
    oxytocin["en"].unpublish()
    stage = oxytocin["id"].get_parent()
    PageViewRestriction.objects.create(
        page=stage.get_parent().get_children().exclude(pk=stage.pk).first(),
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret-words",
    )
    restricted = PageViewRestriction.objects.get().page
    entries = sitemap_entries(client)
    assert oxytocin["en"].get_full_url() not in entries
    for page in restricted.get_descendants(inclusive=True):
        assert page.get_full_url() not in entries
    # The Indonesian guide lost its only translation, so it announces no alternates.
    assert entries[oxytocin["id"].get_full_url()]["alternates"] == []
    assert len(entries) == public_pages().count() + len(app_page_urls())


def test_sitemap_is_the_same_bytes_for_every_visitor(client):
    first = client.get("/sitemap.xml").content
    other = client.get(
        "/sitemap.xml",
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_HOST="other.example",
        REMOTE_ADDR="198.51.100.7",
    ).content
    assert first == other
    assert b"other.example" not in other


def test_sitemap_bad_page_number_is_404_not_500(client):
    assert client.get("/sitemap.xml?p=abc").status_code == 404
    assert client.get("/sitemap.xml?p=99").status_code == 404


# -- robots.txt ----------------------------------------------------------------------------------
def test_robots_disallows_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Set-Cookie" not in response
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines, "the public site stays open to crawlers"
    sitemaps = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap: ")]
    assert sitemaps == ["http://localhost/sitemap.xml"]
    assert client.get("/" + sitemaps[0].split("/", 3)[3]).status_code == 200


# -- canonical and hreflang in <head> ------------------------------------------------------------
@pytest.mark.parametrize("which", ["home", "stage", "guide"])
@pytest.mark.parametrize("code", ["id", "en"])
def test_pages_carry_canonical_and_hreflang_links(client, oxytocin, which, code):
    guides = oxytocin
    pages = {
        "guide": guides,
        "stage": {c: p.get_parent() for c, p in guides.items()},
        "home": {c: p.get_parent().get_parent() for c, p in guides.items()},
    }[which]
    page = pages[code]
    response = client.get(page.url)
    assert response.status_code == 200
    canonical, alternates = head_links(response.content.decode())
    assert canonical == [page.get_full_url()]
    assert canonical[0].startswith("http://localhost/")
    assert alternates == {
        "id": pages["id"].get_full_url(),
        "en": pages["en"].get_full_url(),
        "x-default": pages["id"].get_full_url(),
    }


def test_sub_page_is_its_own_canonical_without_the_guides_json_ld(client, oxytocin):
    page = oxytocin["id"]
    session_url = page.url + "sesi/"
    response = client.get(session_url)
    assert response.status_code == 200
    html = response.content.decode()
    canonical, alternates = head_links(html)
    assert canonical == ["http://localhost" + session_url]
    # Its alternates are the translations' own session pages, not the guides (issue 20.2).
    english = "http://localhost" + oxytocin["en"].url + "session/"
    assert alternates == {
        "id": canonical[0],
        "en": english,
        "x-default": canonical[0],
    }
    assert "application/ld+json" not in html


def test_not_found_page_has_no_canonical(client):
    response = client.get("/id/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert head_links(response.content.decode()) == ([], {})


@pytest.mark.parametrize("code", ["id", "en"])
def test_pages_link_to_the_feed_of_their_language(client, oxytocin, code):
    html = client.get(oxytocin[code].url).content.decode()
    feeds = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', html)
    assert len(feeds) == 1
    assert f'href="http://localhost/feeds/{code}.xml"' in feeds[0]


# -- feeds ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["id", "en"])
def test_feed_lists_the_guides_of_its_language_newest_first(client, code):
    root = feed(client, code, HTTP_ACCEPT_LANGUAGE="en" if code == "id" else "id")
    assert root.tag == f"{{{NS['atom']}}}feed"
    assert root.get(XML_LANG) == code
    clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    with translation.override(code):
        assert root.findtext("atom:title", namespaces=NS) == feed_title(clinic.name)
    self_link = root.find("atom:link[@rel='self']", NS).get("href")
    assert self_link == f"http://localhost/feeds/{code}.xml"
    assert root.find("atom:link[@rel='alternate']", NS).get("href") == f"http://localhost/{code}/"

    guides = list(GuidePage.objects.live().filter(locale__language_code=code))
    entries = root.findall("atom:entry", NS)
    assert len(entries) == len(guides) == 8
    expected = sorted(guides, key=lambda page: page.published_date, reverse=True)
    by_url = {page.get_full_url(): page for page in guides}
    links = [entry.find("atom:link", NS).get("href") for entry in entries]
    assert links == [page.get_full_url() for page in expected]
    published = [entry.findtext("atom:published", namespaces=NS) for entry in entries]
    assert published == sorted(published, reverse=True)
    for entry, link in zip(entries, links, strict=True):
        page = by_url[link]
        assert link.startswith(f"http://localhost/{code}/")
        assert entry.findtext("atom:title", namespaces=NS) == page.title
        summary = entry.find("atom:summary", NS)
        assert html_lib.unescape(summary.text) == page.summary
        assert entry.findtext("atom:id", namespaces=NS) == link
        assert entry.findtext("atom:published", namespaces=NS).startswith(
            page.published_date.isoformat()
        )
        assert entry.findtext("atom:author/atom:name", namespaces=NS) == page.author.name


def test_feed_puts_a_newly_published_guide_first_and_drops_an_unpublished_one(client, oxytocin):
    page = oxytocin["en"]
    page.published_date = date(2026, 6, 30)
    page.save_revision().publish()
    entries = feed(client, "en").findall("atom:entry", NS)
    assert entries[0].find("atom:link", NS).get("href") == page.get_full_url()
    assert entries[0].findtext("atom:published", namespaces=NS).startswith("2026-06-30")

    page.unpublish()
    entries = feed(client, "en").findall("atom:entry", NS)
    links = [entry.find("atom:link", NS).get("href") for entry in entries]
    assert page.get_full_url() not in links and len(links) == 7


def test_feed_summary_with_markup_stays_text(client, oxytocin):
    page = oxytocin["id"]
    page.summary = "Ibu <b>tenang</b> & ASI lancar"
    page.save_revision().publish()
    entries = feed(client, "id").findall("atom:entry", NS)
    (summary,) = [
        e.find("atom:summary", NS)
        for e in entries
        if e.find("atom:link", NS).get("href") == page.get_full_url()
    ]
    assert summary.get("type") == "html"
    assert summary.text == "Ibu &lt;b&gt;tenang&lt;/b&gt; &amp; ASI lancar"
    assert html_lib.unescape(summary.text) == page.summary


def test_feed_is_the_same_bytes_for_every_visitor(client):
    first = client.get("/feeds/id.xml").content
    other = client.get(
        "/feeds/id.xml", HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="other.example"
    ).content
    assert first == other


@pytest.mark.parametrize("language", ["xx", "fr", "ID", "en-us", "id.xml", "%3Cscript%3E"])
def test_unknown_feed_language_is_404_never_500(client, language):
    response = client.get(f"/feeds/{language}.xml")
    assert response.status_code == 404
    assert "Set-Cookie" not in response
