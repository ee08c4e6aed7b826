"""axe-core over every public page type, both languages, at 320, 360 and 1366 px: no WCAG A/AA
violation. Form error states and the session's running states are checked by their own tests
with the same helper (tests/browser/axe.py)."""

import pytest

from tests.browser.axe import axe_violations, format_violations
from tests.browser.public_pages import PAGE_CASES, PAGE_IDS, PUBLIC_PAGES

WIDTHS = [320, 360, 1366]


@pytest.mark.parametrize(("name", "language"), PAGE_CASES, ids=PAGE_IDS)
def test_no_wcag_violation_at_phone_and_desktop_widths(browser, site_url, name, language):
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 800}, locale=language)
    page = context.new_page()
    page.goto(site_url + PUBLIC_PAGES[name][language])
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800 if width < 1000 else 900})
        violations = axe_violations(page)
        if violations:
            found.append(f"at {width}px:\n{format_violations(violations)}")
    context.close()
    assert not found, f"axe-core on {name} ({language}):\n" + "\n".join(found)


@pytest.mark.parametrize("language", ["id", "en"])
def test_links_beside_text_do_not_differ_by_colour_alone(browser, site_url, language):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(site_url + PUBLIC_PAGES["guide"][language])
    decoration = page.locator(".guide__kicker a").evaluate(
        "a => getComputedStyle(a).textDecorationLine"
    )
    assert "underline" in decoration
    page.close()


def test_a_date_field_keeps_the_focus_ring_on_its_calendar_button(browser, site_url):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(site_url + PUBLIC_PAGES["plan"]["en"])
    field = page.locator("input[type=date]")
    field.focus()
    # Tab through day, month and year to the calendar button inside the field.
    for _ in range(3):
        page.keyboard.press("Tab")
    state = field.evaluate(
        "el => [document.activeElement === el, getComputedStyle(el).outlineStyle,"
        " getComputedStyle(el).outlineWidth]"
    )
    assert state == [True, "solid", "3px"]
    page.close()
