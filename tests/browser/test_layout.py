"""Phone layout with the fonts phones use: no sideways scroll at 320 and 360 px on any public page.

Android renders with Noto Sans / Roboto, which set text wider than DejaVu: with DejaVu alone an
overflow real phones show can pass. `make browser` installs fonts-noto-core and fonts-roboto and
the first test proves the pages are really measured in one of them. Contexts are created without
`is_mobile`, which would zoom out to fit wide content and hide the overflow.
"""

import pytest

from tests.browser.public_pages import PAGE_CASES, PAGE_IDS, PUBLIC_PAGES

PHONE_WIDTHS = [320, 360]
PHONE_FONTS = {"Noto Sans", "Roboto"}

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# What sticks out of the viewport on the right: what to look at when the overflow test fails.
WIDE_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.getClientRects().length
      && getComputedStyle(el).position !== 'absolute')
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className} `
      + `${Math.round(el.getBoundingClientRect().right)}px`);
}"""


def test_pages_are_measured_with_a_phone_font(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(site_url + PUBLIC_PAGES["guide"]["en"])
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    used = set()
    for selector in ("h1", ".lead", ".site-search__button"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        used |= {font["familyName"] for font in fonts}
    context.close()
    assert used and used <= PHONE_FONTS, (
        f"text is laid out in {used}, not a phone font: run `make browser` (fonts-noto-core)"
    )


@pytest.mark.parametrize(("name", "language"), PAGE_CASES, ids=PAGE_IDS)
def test_no_sideways_scroll_on_a_phone(browser, site_url, screenshot_dir, name, language):
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale=language)
    page = context.new_page()
    page.goto(site_url + PUBLIC_PAGES[name][language])
    for width in PHONE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        overflow = page.evaluate(OVERFLOW)
        wide = page.evaluate(WIDE_ELEMENTS) if overflow > 0 else []
        assert overflow <= 0, f"{name} ({language}) is {overflow}px wider than {width}px: {wide}"
        # Navigation that does not fit wraps: every stage link and the search button whole.
        for element in page.locator(".stage-nav a, .site-search__button, .lang-switch a").all():
            box = element.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (
                f"{element.inner_text()!r} is cut at {width}px on {name} ({language})"
            )
        nav_hidden = page.evaluate(
            "[...document.querySelectorAll('.stage-nav ul')]"
            ".map(ul => ul.scrollWidth - ul.clientWidth)"
        )
        assert all(hidden <= 0 for hidden in nav_hidden)
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path=str(screenshot_dir / f"layout-{name}-{language}-320.png"))
    context.close()


REVIEWED = """
from datetime import date, timedelta
from asih.core.models import Clinician
from asih.guides.models import GuidePage
today = date.today()
due = today + timedelta(days=365) if "{state}" == "done" else today - timedelta(days=1)
slugs = ["tanda-bahaya-kehamilan", "danger-signs-in-pregnancy"]
for page in GuidePage.objects.filter(slug__in=slugs):
    clinician, _ = Clinician.objects.get_or_create(
        name="dr. Kartika Wulandari Setyaningrum", locale=page.locale,
        defaults={{"credentials": "Sp.OG, Konsultan Fetomaternal"}},
    )
    page.reviewer = clinician
    page.last_reviewed = due - timedelta(days=365)
    page.next_review_due = due
    page.save_revision().publish()
"""


@pytest.mark.parametrize("state", ["done", "overdue"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_review_line_wraps_on_a_phone(
    browser, site_url, site_manage, screenshot_dir, state, language
):
    """The review line of a reviewed guide, with a long name and two long dates, wraps within
    320 px (its words were flex items in one row: 68 px too wide in Indonesian)."""
    site_manage("shell", "--no-imports", "-c", REVIEWED.format(state=state))
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale=language)
    page = context.new_page()
    page.goto(site_url + PUBLIC_PAGES["guide-without-steps"][language])
    line = page.locator(f".review--{state}")
    assert "Kartika" in line.inner_text()
    for width in PHONE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        overflow = page.evaluate(OVERFLOW)
        assert overflow <= 0, f"{overflow}px too wide at {width}: {page.evaluate(WIDE_ELEMENTS)}"
        box = line.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    line.screenshot(path=str(screenshot_dir / f"layout-review-{state}-{language}-320.png"))
    context.close()
