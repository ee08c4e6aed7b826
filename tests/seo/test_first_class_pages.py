"""The form, privacy, search and session pages are first-class (issue 20.2): hreflang alternates,
a language switch to the same page in the other language, a place in the sitemap, link previews."""

import re

import pytest

from .test_sitemap_feeds import head_links, sitemap_entries

pytestmark = pytest.mark.django_db

ORIGIN = "http://localhost"
# name → {language: path}: pages Django views (not Wagtail pages) answer, indexable.
APP_PAGES = {
    "consultation": {"id": "/id/konsultasi/", "en": "/en/consultation/"},
    "signup": {"id": "/id/daftar/", "en": "/en/sign-up/"},
    "privacy": {"id": "/id/privasi/", "en": "/en/privacy/"},
}
SESSION = {
    "id": "/id/setelah-melahirkan/pijat-oksitosin/sesi/",
    "en": "/en/after-birth/oxytocin-massage/session/",
}
SEARCH = {"id": "/id/cari/?q=pijat", "en": "/en/search/?q=pijat"}
OTHER = {"id": "en", "en": "id"}
SWITCH = re.compile(r'<a class="lang-switch__link" href="([^"]+)" hreflang="(\w+)"')
META = re.compile(r'<meta (?:property|name)="((?:og|twitter):[\w:]+)" content="([^"]*)">')


def page_cases(pages):
    return [(name, code) for name in pages for code in ("id", "en")]


def metas(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in META.findall(html.split("</head>", 1)[0]):
        found.setdefault(key, []).append(value)
    return found


def switch_link(html: str) -> tuple[str, str]:
    links = SWITCH.findall(html)
    assert len(links) == 1, links
    return links[0]


@pytest.mark.parametrize(("name", "code"), page_cases(APP_PAGES))
def test_app_pages_announce_their_translation(client, name, code):
    paths = APP_PAGES[name]
    html = client.get(paths[code]).content.decode()
    canonical, alternates = head_links(html)
    assert canonical == [ORIGIN + paths[code]]
    assert alternates == {
        "id": ORIGIN + paths["id"],
        "en": ORIGIN + paths["en"],
        "x-default": ORIGIN + paths["id"],
    }


@pytest.mark.parametrize(("name", "code"), page_cases({**APP_PAGES, "session": SESSION}))
def test_the_language_switch_leads_to_the_same_page(client, name, code):
    paths = {**APP_PAGES, "session": SESSION}[name]
    html = client.get(paths[code]).content.decode()
    href, language = switch_link(html)
    assert (href, language) == (paths[OTHER[code]], OTHER[code])
    assert client.get(href).status_code == 200


@pytest.mark.parametrize("code", ["id", "en"])
def test_the_session_page_announces_its_translation(client, code):
    html = client.get(SESSION[code]).content.decode()
    canonical, alternates = head_links(html)
    assert canonical == [ORIGIN + SESSION[code]]
    assert alternates == {
        "id": ORIGIN + SESSION["id"],
        "en": ORIGIN + SESSION["en"],
        "x-default": ORIGIN + SESSION["id"],
    }


@pytest.mark.parametrize("code", ["id", "en"])
def test_the_search_switch_keeps_the_question(client, code):
    html = client.get(SEARCH[code]).content.decode()
    href, _language = switch_link(html)
    assert href.replace("&amp;", "&") == SEARCH[OTHER[code]]


def test_the_sitemap_lists_the_app_pages_with_their_alternates(client):
    entries = sitemap_entries(client)
    for paths in APP_PAGES.values():
        for code in ("id", "en"):
            entry = entries[ORIGIN + paths[code]]
            assert sorted(entry["alternates"]) == sorted(
                [
                    ("id", ORIGIN + paths["id"], "alternate"),
                    ("en", ORIGIN + paths["en"], "alternate"),
                    ("x-default", ORIGIN + paths["id"], "alternate"),
                ]
            )


@pytest.mark.parametrize(("name", "code"), page_cases({**APP_PAGES, "search": SEARCH}))
def test_app_pages_have_a_link_preview(client, name, code):
    path = {**APP_PAGES, "search": SEARCH}[name][code]
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    tags = metas(html)
    title = re.search(r"<title>([^<]+)</title>", html).group(1)
    if name == "search":
        # The question someone searched for is never repeated in a preview of the page.
        assert tags["og:title"] == [{"id": "Cari panduan", "en": "Search the guides"}[code]]
        assert tags["twitter:title"] == tags["og:title"]
    else:
        assert tags["og:title"] == [title.split(" · ")[0]]
    assert tags["twitter:card"] == ["summary_large_image"]
    assert tags["og:locale"] == [{"id": "id_ID", "en": "en_US"}[code]]
    assert tags["og:site_name"][0]
    assert tags["og:url"][0].startswith(ORIGIN + "/" + code + "/")
    image = tags["og:image"][0]
    assert image == tags["twitter:image"][0]
    assert image.startswith(ORIGIN + "/")
    card = client.get(image.removeprefix(ORIGIN))
    assert card.status_code == 200 and card["Content-Type"] == "image/png"
