"""Searching from the header box on a phone, with and without JavaScript."""

from urllib.parse import urlparse

import pytest

PHONE = {"width": 360, "height": 800}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_search_from_the_header_on_a_phone(browser, site_url, screenshot_dir, javascript):
    context = browser.new_context(viewport=PHONE, locale="id", java_script_enabled=javascript)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + "/id/setelah-melahirkan/pijat-oksitosin/")

    box = page.get_by_role("searchbox", name="Cari panduan")
    assert box.is_visible()
    width = box.bounding_box()["width"]
    assert width >= 200  # a thumb-sized box, not a crumb
    box.fill("pemijatan")
    box.press("Enter")
    page.wait_for_url("**/id/cari/?q=pemijatan")

    results = page.locator("ol.search-results > li")
    assert results.count() == 2
    marks = page.locator(".search-results mark")
    assert marks.count() >= 2
    assert {text.lower() for text in marks.all_inner_texts()} >= {"pijat", "pijatan"}
    assert page.locator("meta[name=robots]").get_attribute("content") == "noindex"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    site_host = urlparse(site_url).netloc
    assert [url for url in requested if urlparse(url).netloc != site_host] == []
    if javascript:
        page.screenshot(path=str(screenshot_dir / "search-id-phone.png"), full_page=True)

    # The first result opens the guide, which lists other useful articles.
    results.first.locator("a").first.click()
    related = page.locator("section.related")
    assert related.locator("h2").inner_text() == "Artikel bermanfaat lainnya"
    assert 3 <= related.locator("li").count() <= 6
    if javascript:
        related.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / "related-id-phone.png"))
    assert context.cookies() == []
    context.close()


def test_empty_search_suggests_stages_on_a_phone(browser, site_url, screenshot_dir):
    context = browser.new_context(viewport=PHONE, locale="en")
    page = context.new_page()
    page.goto(site_url + "/en/search/?q=%22qzxw*%27%3B--")
    assert page.locator("h1").inner_text() == "Search the guides"
    assert page.locator(".search-empty__stages a").count() == 3
    assert page.locator(".search-empty__guides a").count() >= 3
    page.screenshot(path=str(screenshot_dir / "search-en-empty-phone.png"), full_page=True)
    page.locator(".search-empty__stages a").first.click()
    assert page.locator("h1").inner_text() == "Before Pregnancy"
    context.close()
