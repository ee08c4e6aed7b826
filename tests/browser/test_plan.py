"""The plan in a real browser: the form on the guide, the plan page and the calendar download."""

from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse
from zoneinfo import ZoneInfo

import icalendar

GUIDES = {
    "id": "/id/setelah-melahirkan/pijat-oksitosin/",
    "en": "/en/after-birth/oxytocin-massage/",
}
PLANS = {"id": GUIDES["id"] + "rencana/", "en": GUIDES["en"] + "plan/"}
PHONE = {"width": 360, "height": 800}
SEE_PLAN = ".plan-form button[type=submit]:not([formaction])"
DOWNLOAD = ".plan-form button[formaction]"


def jakarta_today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def read_events(download) -> list:
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    return calendar.walk("VEVENT")


def record_requests(page) -> list[str]:
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    return requested


def assert_phone_page_is_sound(page, site_url, requested):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # Every request went to the site itself: no fonts, scripts or trackers from elsewhere.
    host = urlparse(site_url).netloc
    assert requested and [url for url in requested if urlparse(url).netloc != host] == []


def test_plan_form_on_the_guide_without_javascript(browser, site_url, screenshot_dir):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="id")
    page = context.new_page()
    requested = record_requests(page)
    page.goto(site_url + GUIDES["id"])
    birth = jakarta_today() - timedelta(days=1)

    form = page.locator("form.plan-form")
    form.scroll_into_view_if_needed()
    assert form.locator("input[name=birth_date]").input_value() == ""  # empty means today
    form.locator("input[name=birth_date]").fill(birth.isoformat())
    form.locator("select[name=time_zone]").select_option("Asia/Jayapura")
    page.screenshot(path=str(screenshot_dir / "plan-form-on-guide-id-phone.png"))
    page.locator(SEE_PLAN).click()
    page.wait_for_load_state()

    assert urlparse(page.url).path == PLANS["id"]
    assert parse_qs(urlparse(page.url).query) == {
        "birth_date": [birth.isoformat()],
        "time_zone": ["Asia/Jayapura"],
    }
    days = page.locator("ol.plan-days > li")
    assert days.count() == 14
    assert days.first.get_attribute("data-date") == (birth + timedelta(days=1)).isoformat()
    focus = page.locator("ol.plan-days > li.plan-day--focus")
    assert [focus.nth(i).get_attribute("data-date") for i in range(focus.count())] == [
        (birth + timedelta(days=n)).isoformat() for n in (1, 2, 3)
    ]
    # The focus days look different: a highlighted background, not only a class.
    plain = days.nth(5).evaluate("e => getComputedStyle(e).backgroundColor")
    highlighted = focus.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert plain != highlighted
    assert page.locator("#id_time_zone").input_value() == "Asia/Jayapura"
    assert_phone_page_is_sound(page, site_url, requested)
    page.screenshot(path=str(screenshot_dir / "plan-id-phone.png"), full_page=True)

    # The calendar link carries the same date and zone (fetched as the browser would; the
    # form's own download button is exercised in the next test).
    link = page.locator(".plan-result__download a")
    assert link.get_attribute("download") is not None
    response = page.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert 'filename="pijat-oksitosin.ics"' in response.headers["content-disposition"]
    events = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")
    assert len(events) == 14
    for number, event in enumerate(events, start=1):
        start = event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == "Asia/Jayapura"
        assert start.date() == birth + timedelta(days=number)
        assert (start.hour, start.minute) == (9, 0)
        assert start.utcoffset() == timedelta(hours=9)
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(minutes=-10)
    assert context.cookies() == []
    context.close()


def test_calendar_button_on_the_guide_downloads_without_javascript(browser, site_url):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + GUIDES["en"])
    birth = jakarta_today()
    page.locator("form.plan-form input[name=birth_date]").fill(birth.isoformat())
    with page.expect_download() as info:
        page.locator(DOWNLOAD).click()
    download = info.value
    assert download.suggested_filename == "oxytocin-massage.ics"
    events = read_events(download)
    assert [event.decoded("DTSTART").date() for event in events] == [
        birth + timedelta(days=n) for n in range(1, 15)
    ]
    assert all(event["DTSTART"].params["TZID"] == "Asia/Jakarta" for event in events)
    assert all(len(event.walk("VALARM")) == 1 for event in events)
    context.close()


def test_bad_date_shows_the_message_by_the_field(browser, site_url, screenshot_dir):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="en")
    page = context.new_page()
    far_future = (jakarta_today() + timedelta(days=400)).isoformat()
    response = page.goto(site_url + PLANS["en"] + f"?birth_date={far_future}")
    assert response.status == 200
    error = page.locator("#id_birth_date_error")
    assert "cannot be in the future" in error.inner_text()
    assert page.locator("#id_birth_date").input_value() == far_future  # what was typed stays
    assert page.locator("ol.plan-days").count() == 0
    page.screenshot(path=str(screenshot_dir / "plan-error-en-phone.png"), full_page=True)
    context.close()


def test_javascript_preselects_the_local_zone_and_date_and_marks_today(
    browser, site_url, screenshot_dir
):
    context = browser.new_context(viewport=PHONE, timezone_id="Asia/Makassar", locale="id")
    page = context.new_page()
    requested = record_requests(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + GUIDES["id"], wait_until="networkidle")
    form = page.locator("form.plan-form")
    local_today = page.evaluate("new Date().toLocaleDateString('sv')")  # YYYY-MM-DD
    assert form.locator("input[name=birth_date]").input_value() == local_today
    assert form.locator("select[name=time_zone]").input_value() == "Asia/Makassar"

    # A day after the birth, today is day 1 and is marked as today.
    birth = date.fromisoformat(local_today) - timedelta(days=1)
    page.goto(
        site_url + PLANS["id"] + f"?birth_date={birth.isoformat()}&time_zone=Asia/Makassar",
        wait_until="networkidle",
    )
    today = page.locator("li.plan-day--today")
    assert today.count() == 1
    assert today.get_attribute("data-date") == local_today
    assert today.get_attribute("aria-current") == "date"
    assert page.locator("#id_time_zone").input_value() == "Asia/Makassar"  # not overwritten
    assert_phone_page_is_sound(page, site_url, requested)
    page.screenshot(path=str(screenshot_dir / "plan-today-id-phone.png"), full_page=True)
    assert errors == []
    context.close()


def test_javascript_adds_a_zone_outside_indonesia(browser, site_url):
    context = browser.new_context(viewport=PHONE, timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.goto(site_url + GUIDES["en"], wait_until="networkidle")
    select = page.locator("form.plan-form select[name=time_zone]")
    assert select.input_value() == "Europe/Amsterdam"
    page.locator(SEE_PLAN).click()
    page.wait_for_load_state()
    assert parse_qs(urlparse(page.url).query)["time_zone"] == ["Europe/Amsterdam"]
    assert page.locator("ol.plan-days > li").count() == 14
    context.close()
