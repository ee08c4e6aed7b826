"""Sharing a guide on a 360 px phone: WhatsApp first, copy link, the count, nothing foreign."""

import json
import re
from urllib.parse import urlparse

GUIDES = {
    "id": "/id/setelah-melahirkan/pijat-oksitosin/",
    "en": "/en/after-birth/oxytocin-massage/",
}
PHONE = {"width": 360, "height": 800}
TOTALS = (
    "import json; from asih.sharing.models import ShareCount as S; "
    "print(json.dumps({r.page.url_path: [r.total, r.copy, r.whatsapp] "
    "for r in S.objects.select_related('page')}))"
)


def _totals(site_manage) -> dict:
    rows = json.loads(site_manage("shell", "-c", TOTALS).strip().splitlines()[-1])
    return {path.rstrip("/").rsplit("/", 1)[-1]: value for path, value in rows.items()}


def test_share_bar_on_a_phone(browser, site_url, site_manage, screenshot_dir):
    context = browser.new_context(viewport=PHONE, locale="id")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + GUIDES["id"], wait_until="networkidle")

    bar = page.locator("section.share")
    bar.scroll_into_view_if_needed()
    assert bar.is_visible()
    controls = bar.locator("[data-network]:visible")
    assert controls.first.get_attribute("data-network") == "whatsapp"
    # Full width of the bar, first under the thumb.
    list_width = bar.locator(".share__list").bounding_box()["width"]
    assert controls.first.bounding_box()["width"] == list_width
    copy = bar.locator("button[data-network=copy]")
    assert copy.is_visible()  # the script found the clipboard
    assert bar.locator(".share__count:visible").count() == 0  # nobody has shared yet

    with page.expect_request(lambda r: r.url.endswith("/api/share/")) as beacon:
        copy.click()
    assert beacon.value.method == "POST"
    assert "network=copy" in beacon.value.post_data
    status = bar.locator(".share__status")
    status.wait_for(state="visible")
    page.wait_for_function("document.querySelector('.share__status').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()").endswith(GUIDES["id"])
    page.wait_for_load_state("networkidle")
    bar.screenshot(path=str(screenshot_dir / "share-bar-id-phone.png"))

    assert _totals(site_manage)["pijat-oksitosin"] == [1, 1, 0]

    # Every request of the page went to the site itself.
    site_host = urlparse(site_url).netloc
    assert requested and [u for u in requested if urlparse(u).netloc != site_host] == []

    assert context.cookies() == []
    context.close()

    # A later visitor sees the count: the script reads it from /api/share/ (a browser may keep
    # that answer a minute, so a fresh browser profile here); the page's HTML never holds it.
    later = browser.new_context(viewport=PHONE, locale="id")
    page = later.new_page()
    with page.expect_response(lambda r: "/api/share/?page=" in r.url) as counted:
        page.goto(site_url + GUIDES["id"], wait_until="networkidle")
    assert counted.value.request.method == "GET"
    count = page.locator("section.share .share__count")
    count.wait_for(state="visible")
    assert count.inner_text() == "Dibagikan 1 kali"
    page.locator("section.share").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "share-bar-id-phone-page.png"))
    assert later.cookies() == []
    later.close()


def test_whatsapp_link_counts_and_opens_the_app(browser, site_url, site_manage):
    context = browser.new_context(viewport=PHONE, locale="en")
    # The link really goes to wa.me; stop it there so the test never leaves this machine.
    left = []
    context.route(
        re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"),
        lambda route: (left.append(route.request.url), route.abort()),
    )
    page = context.new_page()
    page.goto(site_url + GUIDES["en"], wait_until="networkidle")
    whatsapp = page.locator("section.share a[data-network=whatsapp]")
    with page.expect_request(lambda r: r.url.endswith("/api/share/")):
        with context.expect_page():
            whatsapp.click()
    page.wait_for_timeout(300)
    assert len(left) == 1 and left[0].startswith("https://wa.me/?text=")
    assert _totals(site_manage)["oxytocin-massage"] == [1, 0, 1]
    context.close()


def test_share_links_without_javascript(browser, site_url, screenshot_dir):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + GUIDES["en"])
    bar = page.locator("section.share")
    visible = bar.locator("[data-network]:visible")
    assert [visible.nth(i).get_attribute("data-network") for i in range(visible.count())] == [
        "whatsapp",
        "facebook",
        "x",
        "telegram",
        "email",
    ]
    assert visible.first.get_attribute("href").startswith("https://wa.me/?text=")
    assert bar.locator("button:visible").count() == 0  # copy and share menu need the script
    bar.screenshot(path=str(screenshot_dir / "share-bar-en-phone-nojs.png"))
    context.close()
