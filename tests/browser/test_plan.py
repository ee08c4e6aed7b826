"""The plan in a real browser: the date stays on the phone with JavaScript, and goes only in a
POST answered no-store without it; the calendar file repeats, starts at the next session and
opens the guided session."""

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr
from playwright.sync_api import expect

GUIDES = {
    "id": "/id/setelah-melahirkan/pijat-oksitosin/",
    "en": "/en/after-birth/oxytocin-massage/",
}
PLANS = {"id": GUIDES["id"] + "rencana/", "en": GUIDES["en"] + "plan/"}
SESSIONS = {"id": GUIDES["id"] + "sesi/", "en": GUIDES["en"] + "session/"}
PHONE = {"width": 360, "height": 800}
SEE_PLAN = "form.plan-form button[name=show]"
DOWNLOAD = "form.plan-form button[name=calendar]"
SHORT_TITLE = {"id": "Pijat Oksitosin", "en": "Oxytocin Massage"}
ZONE_WORD = {"id": "WIT", "en": "WIT"}
# 10:00 in Jakarta: today's 09:00 session has passed.
NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)


def jakarta_today() -> date:
    return today_in("Asia/Jakarta")


def today_in(zone: str) -> date:
    return datetime.now(ZoneInfo(zone)).date()


def occurrences(ics: bytes) -> list[tuple[datetime, object]]:
    """Every session a calendar app shows: each event's start, repeated by its RRULE."""
    found = []
    for event in icalendar.Calendar.from_ical(ics).walk("VEVENT"):
        start = event.decoded("DTSTART")
        if "RRULE" in event:
            rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
            found.extend((at, event) for at in rule)
        else:
            found.append((start, event))
    return sorted(found, key=lambda item: item[0])


def watch(page) -> list[tuple[str, str]]:
    """Every request the page makes, with its body."""
    requests = []
    page.on("request", lambda request: requests.append((request.url, request.post_data or "")))
    return requests


def no_overflow(page):
    """Nothing of the plan reaches past the screen's edge (the site header is measured by its
    own tests)."""
    overflow = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.plan, .plan *')]"
        ".map((e) => e.getBoundingClientRect().right)) - innerWidth"
    )
    assert overflow <= 0


# -- without JavaScript: a POST, answered no-store ---------------------------------------------


@pytest.mark.parametrize("code", ["id", "en"])
def test_without_javascript_the_date_goes_only_in_a_post(browser, site_url, screenshot_dir, code):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    requests = watch(page)
    page.goto(site_url + GUIDES[code])
    # "Today" is the day in the zone chosen below (WIT, UTC+9): from 15:00 to 17:00 UTC it is
    # already the next day there while Jakarta (UTC+7) is still on the day before.
    birth = today_in("Asia/Jayapura") - timedelta(days=1)
    form = page.locator("form.plan-form")
    form.scroll_into_view_if_needed()
    assert form.locator("input[name=birth_date]").input_value() == ""  # empty means today
    form.locator("input[name=birth_date]").fill(birth.isoformat())
    form.locator("select[name=time_zone]").select_option("Asia/Jayapura")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator(SEE_PLAN).click()
    response = answer.value
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]
    page.wait_for_load_state()
    # The address carries no date; only the POST body did.
    assert birth.isoformat() not in page.url and "?" not in page.url
    assert [url for url, _body in requests if birth.isoformat() in url] == []
    assert any(birth.isoformat() in body for _url, body in requests)

    days = page.locator("ol.plan-days > li")
    expect(days).to_have_count(42)  # the first 6 weeks after birth
    # Born yesterday: today is day 1.
    expect(days.first).to_have_attribute("data-date", (birth + timedelta(days=1)).isoformat())
    expect(page.locator(".plan-result__facts")).to_contain_text(ZONE_WORD[code])
    expect(page.locator(".plan__bound")).to_contain_text("42")
    no_overflow(page)
    page.screenshot(path=str(screenshot_dir / f"plan-nojs-{code}-360.png"), full_page=True)

    # "Add to calendar" posts again and downloads the file.
    with page.expect_download() as info:
        page.locator(".plan-result__download button").click()
    assert info.value.suggested_filename.endswith(".ics")
    sessions = occurrences(Path(info.value.path()).read_bytes())
    assert sessions[-1][0].date() == birth + timedelta(days=42)
    assert all(event["DTSTART"].params["TZID"] == "Asia/Jayapura" for _at, event in sessions)
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
    sessions = occurrences(Path(download.path()).read_bytes())
    assert [at.date() for at, _event in sessions] == [
        birth + timedelta(days=n) for n in range(1, 43)
    ]
    for _at, event in sessions:
        assert str(event["SUMMARY"]) == SHORT_TITLE["en"]
        # The site's own address (its root URL), the session's path.
        assert urlparse(str(event["URL"])).path == SESSIONS["en"]
        assert len(event.walk("VALARM")) == 1
    context.close()


@pytest.mark.parametrize("code", ["id", "en"])
def test_bad_date_without_javascript_shows_the_message_by_the_field(
    browser, site_url, screenshot_dir, code
):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + PLANS[code])
    far_future = (jakarta_today() + timedelta(days=400)).isoformat()
    page.locator("#id_birth_date").fill(far_future)
    page.locator(SEE_PLAN).click()
    page.wait_for_load_state()
    error = page.locator("#id_birth_date_error")
    expect(error).to_be_visible()
    assert page.title().startswith("Galat:" if code == "id" else "Error:")
    assert page.locator("#id_birth_date").input_value() == far_future  # what was typed stays
    assert page.locator("ol.plan-days").count() == 0
    page.screenshot(path=str(screenshot_dir / f"plan-error-nojs-{code}-360.png"), full_page=True)
    context.close()


# -- with JavaScript: made on the phone, nothing sent ------------------------------------------


def open_with_clock(context, url, now=NOW):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.clock.install(time=now)
    page.goto(url, wait_until="networkidle")
    return page


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("code", ["id", "en"])
def test_with_javascript_the_plan_is_made_on_the_phone(
    browser, site_url, screenshot_dir, code, width
):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, timezone_id="Asia/Makassar"
    )
    page = open_with_clock(context, site_url + GUIDES[code])
    requests = watch(page)
    form = page.locator("form.plan-form")
    assert form.locator("input[name=birth_date]").input_value() == "2026-05-10"
    assert form.locator("select[name=time_zone]").input_value() == "Asia/Makassar"
    birth = date(2026, 5, 9)
    form.locator("input[name=birth_date]").fill(birth.isoformat())
    page.locator(SEE_PLAN).click()
    page.wait_for_url("**" + PLANS[code])
    result = page.locator(".plan-result")
    expect(result).to_be_visible()
    expect(result).to_be_focused()
    # The handed-over values are gone from the address, and no request ever carried them.
    assert "#" not in page.url and "2026-05-09" not in page.url
    assert [r for r in requests if "2026-05-09" in r[0] or "2026-05-09" in r[1]] == []
    assert [r for r in requests if r[1]] == []  # nothing posted
    days = page.locator("ol.plan-days > li")
    expect(days).to_have_count(42)
    expect(days.first).to_have_attribute("data-date", "2026-05-10")
    today = page.locator("li.plan-day--today")
    expect(today).to_have_attribute("data-date", "2026-05-10")
    expect(today).to_have_attribute("aria-current", "date")
    expect(page.locator("li.plan-day--focus")).to_have_count(3)
    expect(page.locator(".plan-result__facts")).to_contain_text("WITA")
    no_overflow(page)
    page.screenshot(path=str(screenshot_dir / f"plan-js-{code}-{width}.png"), full_page=True)
    assert page.errors == []
    context.close()


def calendar_from_the_page(page) -> bytes:
    with page.expect_download() as info:
        page.locator("[data-action='calendar']").click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.parametrize("code", ["id", "en"])
def test_the_calendar_made_on_the_phone_matches_the_servers(browser, site_url, site_manage, code):
    context = browser.new_context(viewport=PHONE, timezone_id="Asia/Jakarta")
    page = open_with_clock(context, site_url + PLANS[code])
    requests = watch(page)
    page.locator("#id_birth_date").fill("2026-05-08")
    page.locator(SEE_PLAN).click()
    ics = calendar_from_the_page(page)
    assert [r for r in requests if "2026-05-08" in r[0] or r[1]] == []
    sessions = occurrences(ics)
    # 10:00 WIB on day 2: today's 09:00 has passed, the calendar starts with day 3.
    assert sessions[0][0] == datetime(2026, 5, 11, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert sessions[-1][0].date() == date(2026, 5, 8) + timedelta(days=42)
    assert len(sessions) == 40
    data = json.loads(page.locator("#asih-plan-data").text_content())
    for at, event in sessions:
        assert at.time() == time(9, 0)
        assert str(event["SUMMARY"]) == SHORT_TITLE[code]
        assert str(event["URL"]) == data["eventUrl"]
        assert urlparse(data["eventUrl"]).path == SESSIONS[code]
        assert data["eventUrl"] in str(event["DESCRIPTION"])
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("TRIGGER") == timedelta(minutes=-10)
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    # Day 3 (the last emphasised day) alone, then days 4-42 as one repeating event.
    assert [("RRULE" in e) for e in events] == [False, True]
    assert events[1]["RRULE"]["FREQ"] == ["DAILY"] and events[1]["RRULE"]["COUNT"] == [39]
    assert data["guideKey"] in str(events[0]["UID"])

    # The same inputs on the server (the no-JavaScript path) give the same sessions.
    script = (
        "from datetime import date, datetime, time, timezone; "
        "from asih.guides.models import GuidePage; "
        "from asih.guides.plan import plan_calendar; "
        "from asih.guides.plan.views import guide_short_title; "
        f"page = GuidePage.objects.get(translation_key='{data['guideKey']}', "
        f"locale__language_code='{code}'); "
        "import sys; sys.stdout.buffer.write(plan_calendar("
        "page_title=guide_short_title(page.title), "
        f"session_url='{data['eventUrl']}', guide_key='{data['guideKey']}', "
        "schedule=page.schedule(), birth_date=date(2026, 5, 8), time_zone='Asia/Jakarta', "
        f"reminder_time=time(9, 0), language='{code}', today=date(2026, 5, 10), "
        "session_minutes=5, generated_at=datetime(2026, 5, 10, 3, 0, tzinfo=timezone.utc)))"
    )
    output = site_manage("shell", "--no-imports", "-v", "0", "-c", script)
    server = occurrences(output[output.index("BEGIN:VCALENDAR") :].encode())
    assert [at for at, _e in server] == [at for at, _e in sessions]
    assert [str(e["DESCRIPTION"]) for _at, e in server] == [
        str(e["DESCRIPTION"]) for _at, e in sessions
    ]
    assert page.errors == []
    context.close()


def test_the_calendar_made_on_the_phone_keeps_nine_across_summer_time(browser, site_url):
    context = browser.new_context(viewport=PHONE, timezone_id="Europe/Amsterdam")
    page = open_with_clock(context, site_url + PLANS["en"], datetime(2026, 10, 20, 12, tzinfo=UTC))
    assert page.locator("#id_time_zone").input_value() == "Europe/Amsterdam"
    page.locator("#id_birth_date").fill("2026-10-20")
    page.locator(SEE_PLAN).click()
    ics = calendar_from_the_page(page)
    parsed = icalendar.Calendar.from_ical(ics)
    (vtimezone,) = parsed.walk("VTIMEZONE")
    assert vtimezone.walk("DAYLIGHT") and vtimezone.walk("STANDARD")
    hours = {}
    for at, _event in occurrences(ics):
        assert (at.hour, at.minute) == (9, 0)
        hours[at.date()] = at.astimezone(UTC).hour
    assert hours[date(2026, 10, 24)] == 7 and hours[date(2026, 10, 25)] == 8
    assert page.errors == []
    context.close()


@pytest.mark.parametrize("code", ["id", "en"])
def test_a_bad_date_with_javascript_gets_the_error_summary(browser, site_url, screenshot_dir, code):
    context = browser.new_context(viewport=PHONE, timezone_id="Asia/Jakarta")
    page = open_with_clock(context, site_url + PLANS[code])
    page.locator("#id_birth_date").fill("2027-01-01")
    page.locator(SEE_PLAN).click()
    summary = page.locator(".plan-errors")
    expect(summary).to_be_focused()
    link = summary.locator("a")
    expect(link).to_have_attribute("href", "#id_birth_date")
    expect(page.locator("#id_birth_date")).to_have_attribute("aria-invalid", "true")
    assert re.match(r"^(Galat|Error): ", page.title())
    assert page.locator("ol.plan-days").count() == 0
    page.screenshot(path=str(screenshot_dir / f"plan-error-js-{code}-360.png"), full_page=True)
    # Corrected, the plan appears and the error goes.
    page.locator("#id_birth_date").fill("2026-05-09")
    page.locator(SEE_PLAN).click()
    expect(page.locator(".plan-result")).to_be_visible()
    expect(summary).to_have_count(0)
    assert not re.match(r"^(Galat|Error): ", page.title())
    context.close()
