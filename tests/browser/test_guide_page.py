"""The oxytocin guide in a real browser, on a phone and on a desktop."""

from urllib.parse import urlparse

import pytest

GUIDES = {
    "id": "/id/setelah-melahirkan/pijat-oksitosin/",
    "en": "/en/after-birth/oxytocin-massage/",
}
VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("code", ["id", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_oxytocin_guide(browser, site_url, screenshot_dir, viewport, code):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale=code)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(site_url + GUIDES[code], wait_until="networkidle")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == code

    steps = page.locator("ol.steps > li.step")
    assert steps.count() == 8
    for index in range(8):
        assert (
            steps.nth(index)
            .locator(".step__duration time")
            .get_attribute("datetime")
            .startswith("PT")
        )
    assert "3–5" in page.locator(".total-time__value").inner_text()
    assert "3–5" in page.locator("aside.glance").inner_text()

    # Every request went to the site itself: no fonts, scripts or trackers from elsewhere.
    site_host = urlparse(site_url).netloc
    foreign = [url for url in requested if urlparse(url).netloc != site_host]
    assert requested and foreign == []

    # Nothing sticks out sideways on a 360 px phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    # Every image has loaded (the step illustrations sit below the fold, lazily).
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    broken = page.evaluate(
        "[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == []

    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot_dir / f"guide-{code}-{viewport}.png"), full_page=True)
    assert context.cookies() == []
    context.close()


def test_language_switch_goes_to_the_translation(browser, site_url, screenshot_dir):
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(site_url + GUIDES["id"])
    page.locator(".lang-switch a[hreflang=en]").click()
    page.wait_for_url("**" + GUIDES["en"])
    assert page.locator("h1").inner_text().startswith("Oxytocin")
    page.close()


def test_home_page_with_javascript_off(browser, site_url, screenshot_dir):
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/")
    assert page.url.endswith("/id/")
    stage_links = page.locator(".banner__stages a")
    assert stage_links.count() == 3
    stage_links.last.click()
    assert page.locator("h1").inner_text() == "Setelah Melahirkan"
    page.screenshot(path=str(screenshot_dir / "stage-id-phone.png"), full_page=True)
    page.goto(site_url + "/id/")
    page.screenshot(path=str(screenshot_dir / "home-id-phone.png"), full_page=True)
    context.close()
