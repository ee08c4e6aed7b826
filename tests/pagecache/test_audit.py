"""Issue 15's page-cache findings: private pages, session cookies, HEAD, the header, search."""

import pytest
from wagtail.models import PageViewRestriction

from asih.pagecache.wsgi import PageCache

from .test_django import get, guide_path, site  # noqa: F401  (the fixture)
from .test_wsgi import FakeApp, request, store  # noqa: F401  (the fixture)

# -- 15: the session cookie is found the way Django finds it --------------------------------


@pytest.mark.parametrize(
    "cookie",
    ["sessionid =abc", "asih_language=id;sessionid = abc", "a=b;  sessionid\t=abc"],
)
def test_a_session_cookie_written_with_spaces_still_bypasses_the_cache(store, cookie):  # noqa: F811
    app = FakeApp()
    cache = PageCache(app, store)
    request(cache, cookie=cookie), request(cache, cookie=cookie)
    assert app.calls == 2


def test_a_cookie_that_only_contains_the_name_is_not_a_session(store):  # noqa: F811
    app = FakeApp()
    cache = PageCache(app, store)
    request(cache, cookie="not_sessionid=1"), request(cache, cookie="not_sessionid=1")
    assert app.calls == 1


# -- 11: nothing tells a visitor what others asked for --------------------------------------


def test_the_cache_state_header_is_off_unless_asked_for(store):  # noqa: F811
    app = FakeApp()
    cache = PageCache(app, store)
    first, second = request(cache), request(cache)
    assert app.calls == 1
    assert "X-Page-Cache" not in first["headers"] and "X-Page-Cache" not in second["headers"]
    shown = PageCache(app, store, state_header=True)
    assert request(shown)["headers"]["X-Page-Cache"] == "HIT"


def test_head_is_answered_like_get_on_a_miss_too(store):  # noqa: F811
    app = FakeApp()
    cache = PageCache(app, store)
    head = request(cache, method="HEAD")
    get_answer = request(cache)
    assert head["body"] == b""
    assert head["status"] == get_answer["status"]
    assert head["headers"] == get_answer["headers"]
    assert app.calls == 1  # the HEAD rendered and kept the page, as a GET would have


@pytest.mark.django_db
def test_search_results_are_never_kept_nor_written_to_disk(site, oxytocin, settings):  # noqa: F811
    first = get(site, "/id/cari/", query="q=pijat+oksitosin")
    second = get(site, "/id/cari/", query="q=pijat+oksitosin")
    assert second["headers"].get("X-Page-Cache") != "HIT"
    assert "no-store" in second["headers"]["Cache-Control"]
    assert first["body"] == second["body"]
    stored = [p for p in settings.ASIH_PAGE_CACHE_DIR.rglob("*") if p.is_file()]
    assert not any(b"oksitosin" in p.read_bytes() for p in stored if p.name != "counters")


# -- 2: a page made private leaves the cache at once ----------------------------------------


@pytest.mark.django_db
def test_a_page_made_private_is_no_longer_served_from_the_cache(site, oxytocin):  # noqa: F811
    guide = oxytocin["id"]
    path = guide_path(guide)
    assert get(site, path)["headers"]["X-Page-Cache"] == "MISS"
    assert get(site, path)["headers"]["X-Page-Cache"] == "HIT"
    # The restriction sits on the stage: the guide below it is private too.
    restriction = PageViewRestriction.objects.create(
        page=guide.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    answer = request(site, path=path)
    assert answer["status"].startswith("302")
    assert guide.title.encode() not in answer["body"]
    restriction.delete()
    assert get(site, path)["headers"]["X-Page-Cache"] == "MISS"


@pytest.mark.django_db
def test_a_password_protected_page_is_never_kept(site, oxytocin):  # noqa: F811
    guide = oxytocin["id"]
    PageViewRestriction.objects.create(
        page=guide, restriction_type=PageViewRestriction.PASSWORD, password="rahasia-klinik"
    )
    path = guide_path(guide)
    first, second = request(site, path=path), request(site, path=path)
    assert second["headers"].get("X-Page-Cache") != "HIT"
    assert "no-store" in second["headers"]["Cache-Control"]
    assert first["status"] == second["status"]


@pytest.mark.django_db
def test_setting_a_restriction_purges_the_page_and_its_descendants_upstream(
    oxytocin, settings, tmp_path
):
    from wagtail.contrib.frontend_cache.backends import BaseBackend

    purged = []

    class Recorder(BaseBackend):
        def purge(self, url):
            purged.append(url)

    import sys

    sys.modules[__name__].Recorder = Recorder
    settings.WAGTAILFRONTENDCACHE = {"r": {"BACKEND": f"{__name__}.Recorder"}}
    settings.WAGTAILFRONTENDCACHE_LANGUAGES = []
    stage = oxytocin["id"].get_parent()
    PageViewRestriction.objects.create(page=stage, restriction_type=PageViewRestriction.LOGIN)
    paths = {url.split("://", 1)[1].split("/", 1)[1] for url in purged}
    assert guide_path(stage).lstrip("/") in paths
    assert guide_path(oxytocin["id"]).lstrip("/") in paths
