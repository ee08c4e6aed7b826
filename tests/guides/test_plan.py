"""The plan: a guide's schedule on real dates, its calendar file, the views in both languages."""

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr
from django.utils import timezone, translation
from django.utils.translation import gettext

from asih.guides import plan
from asih.guides.blocks import ScheduleBlock
from asih.guides.plan import (
    BIRTH_DATE_FUTURE,
    BIRTH_DATE_INVALID,
    BIRTH_DATE_TOO_OLD,
    CONCEPTION_DATE_PAST,
    PLAN_ALREADY_OVER,
    REMINDER_TIME_INVALID,
    TIME_ZONE_UNKNOWN,
    PlanForm,
    plan_calendar,
    plan_continues,
    plan_days,
    session_times,
)

OXYTOCIN = {
    "id": "/id/setelah-melahirkan/pijat-oksitosin/",
    "en": "/en/after-birth/oxytocin-massage/",
}
PLAN = {"id": OXYTOCIN["id"] + "rencana/", "en": OXYTOCIN["en"] + "plan/"}
ICS = {"id": OXYTOCIN["id"] + "rencana/kalender/", "en": OXYTOCIN["en"] + "plan/calendar/"}
FILENAME = {"id": "pijat-oksitosin.ics", "en": "oxytocin-massage.ics"}

BIRTH = date(2026, 5, 1)
NOTE = "Once a day is enough, especially on days 1 to 3."
URL = "https://asih.example/en/after-birth/oxytocin-massage/"
TITLE = "Oxytocin Massage"
UTC_ZONE = ZoneInfo("UTC")


def schedule(**overrides):
    """A schedule block value, as the editor would save it (the oxytocin one by default)."""
    raw = {
        "times_per_day": 1,
        "every_n_days": 1,
        "relative_to": "birth",
        "start_day": 1,
        "end_day": None,
        "focus_start_day": 1,
        "focus_end_day": 3,
        "note": NOTE,
    }
    raw.update(overrides)
    return ScheduleBlock().to_python(raw)


SESSION_URL = "https://asih.example/en/after-birth/oxytocin-massage/session/"
# 10:04 WIB on the day of birth: day 1's 09:00 session is tomorrow.
GENERATED = datetime(2026, 5, 1, 3, 4, 5, tzinfo=UTC)


def calendar(**overrides) -> bytes:
    arguments = {
        "page_title": TITLE,
        "session_url": SESSION_URL,
        "guide_key": "guide-key",
        "schedule": schedule(),
        "birth_date": BIRTH,
        "time_zone": "Asia/Jakarta",
        "reminder_time": time(9, 0),
        "language": "en",
        "today": BIRTH,
        "session_minutes": 5,
        "generated_at": GENERATED,
    }
    arguments.update(overrides)
    return plan_calendar(**arguments)


def events_of(ics: bytes) -> list:
    parsed = icalendar.Calendar.from_ical(ics)
    assert parsed.name == "VCALENDAR"
    assert str(parsed["VERSION"]) == "2.0"
    return parsed.walk("VEVENT")


def occurrences(ics: bytes) -> list[tuple[datetime, object]]:
    """Every session the calendar app will show: each event's start, repeated by its RRULE."""
    found = []
    for event in events_of(ics):
        start = event.decoded("DTSTART")
        if "RRULE" in event:
            rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
            found.extend((at, event) for at in rule)
        else:
            found.append((start, event))
    return sorted(found, key=lambda item: item[0])


def jakarta_today() -> date:
    return timezone.now().astimezone(ZoneInfo("Asia/Jakarta")).date()


# -- plan_days ------------------------------------------------------------------------------


def test_open_ended_schedule_is_laid_out_for_the_first_six_weeks_with_days_1_to_3_emphasised():
    days = plan_days(schedule=schedule(), birth_date=BIRTH, today=BIRTH)
    assert plan.OPEN_ENDED_LAST_DAY["birth"] == 42
    assert [day.number for day in days] == list(range(1, 43))
    assert [day.date for day in days] == [BIRTH + timedelta(days=n) for n in range(1, 43)]
    assert [day.number for day in days if day.focus] == [1, 2, 3]
    assert {day.sessions for day in days} == {1}
    assert plan_continues(schedule=schedule(), days=days)


def test_days_already_past_are_left_out():
    days = plan_days(schedule=schedule(), birth_date=BIRTH, today=BIRTH + timedelta(days=5))
    assert days[0].number == 5
    assert days[0].date == BIRTH + timedelta(days=5)
    assert days[-1].number == 42
    assert not any(day.focus for day in days)


def test_every_other_day_until_a_last_day():
    value = schedule(every_n_days=2, end_day=9, focus_start_day=None, focus_end_day=None)
    days = plan_days(schedule=value, birth_date=BIRTH, today=BIRTH)
    assert [day.number for day in days] == [1, 3, 5, 7, 9]
    assert [day.date for day in days] == [date(2026, 5, d) for d in (2, 4, 6, 8, 10)]
    assert not plan_continues(schedule=value, days=days)
    # Four days later, day 5 is today: it stays on the every-other-day grid.
    later = plan_days(schedule=value, birth_date=BIRTH, today=BIRTH + timedelta(days=4))
    assert [day.number for day in later] == [5, 7, 9]
    assert plan_days(schedule=value, birth_date=BIRTH, today=BIRTH + timedelta(days=10)) == []


def test_a_long_bounded_schedule_is_capped():
    value = schedule(end_day=1000)
    days = plan_days(schedule=value, birth_date=BIRTH, today=BIRTH)
    assert len(days) == plan.MAX_PLAN_DAYS
    assert plan_continues(schedule=value, days=days)


def test_times_per_day_is_the_editors():
    days = plan_days(schedule=schedule(times_per_day=3), birth_date=BIRTH, today=BIRTH)
    assert {day.sessions for day in days} == {3}


def test_days_before_trying_to_conceive_count_down_to_the_date():
    value = schedule(
        relative_to="conception_plan",
        start_day=0,
        end_day=90,
        every_n_days=30,
        focus_start_day=None,
        focus_end_day=None,
    )
    target = date(2026, 9, 1)
    days = plan_days(schedule=value, birth_date=target, today=date(2026, 6, 1))
    assert [day.number for day in days] == [90, 60, 30, 0]
    assert [day.date for day in days] == [target - timedelta(days=n) for n in (90, 60, 30, 0)]


def test_indonesian_zones_go_by_the_names_readers_use():
    assert [
        plan.zone_short_name(z) for z in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
    ] == [
        "WIB",
        "WITA",
        "WIT",
    ]
    assert plan.zone_short_name("America/Sao_Paulo") == "America/Sao Paulo"


@pytest.mark.parametrize(
    ("count", "first", "expected"),
    [
        (1, time(9), [time(9)]),
        (2, time(9), [time(9), time(21)]),
        (3, time(9), [time(9), time(15), time(21)]),
        (3, time(21), [time(21), time(21, 30), time(22)]),
        (
            12,
            time(18),
            [time(18, 0), time(18, 30)] + [time(h, m) for h in range(19, 24) for m in (0, 30)],
        ),
    ],
)
def test_sessions_spread_from_the_first_towards_the_evening(count, first, expected):
    assert session_times(first=first, times_per_day=count) == expected


# -- plan_calendar --------------------------------------------------------------------------


def test_calendar_repeats_daily_for_the_first_six_weeks():
    ics = calendar()
    parsed = icalendar.Calendar.from_ical(ics)
    assert str(parsed["PRODID"]).startswith("-//Asih//")
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    events = events_of(ics)
    # Days 1-3 (emphasised) and days 4-42: two repeating events, not 42 single ones.
    assert [str(event["RRULE"].to_ical().decode()) for event in events] == [
        "FREQ=DAILY;COUNT=3;INTERVAL=1",
        "FREQ=DAILY;COUNT=39;INTERVAL=1",
    ]
    sessions = occurrences(ics)
    assert [at.date() for at, _event in sessions] == [
        BIRTH + timedelta(days=n) for n in range(1, 43)
    ]
    for at, _event in sessions:
        assert at.replace(tzinfo=None).time() == time(9, 0)
        assert at.astimezone(UTC_ZONE).time() == time(2, 0)  # 09:00 WIB is 02:00 UTC
    emphasis = "One of the days this guide puts the most weight on."
    first, rest = events
    assert "Day 1 after birth – Day 3 after birth" in str(first["DESCRIPTION"])
    assert emphasis in str(first["DESCRIPTION"]) and emphasis not in str(rest["DESCRIPTION"])
    assert "Day 4 after birth – Day 42 after birth" in str(rest["DESCRIPTION"])
    for event in events:
        assert event["DTSTART"].params["TZID"] == "Asia/Jakarta"
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=5)
        assert str(event["SUMMARY"]) == TITLE
        # Each event opens the guided session.
        assert str(event["URL"]) == SESSION_URL
        assert f"Guided session: {SESSION_URL}" in str(event["DESCRIPTION"])
        assert NOTE in str(event["DESCRIPTION"])
        assert event.decoded("DTSTAMP") == GENERATED
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(minutes=-10)
        assert TITLE in str(alarm["DESCRIPTION"])
    assert [str(e["UID"]) for e in events] == [
        "guide-key-20260502-1@asih.example",
        "guide-key-20260505-1@asih.example",
    ]


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Europe/Amsterdam"])
def test_calendar_time_zone_has_only_the_properties_rfc_5545_allows(zone):
    # RFC 5545 3.6.5: VTIMEZONE holds TZID, LAST-MODIFIED, TZURL and its STANDARD/DAYLIGHT
    # parts; a COMMENT is allowed only inside those parts (strict parsers reject it).
    parsed = icalendar.Calendar.from_ical(calendar(time_zone=zone))
    zones = parsed.walk("VTIMEZONE")
    assert [str(part["TZID"]) for part in zones] == [zone]
    allowed = {"TZID", "LAST-MODIFIED", "TZURL"}
    for part in zones:
        assert set(part.keys()) <= allowed, set(part.keys()) - allowed
        assert part.subcomponents
        assert {sub.name for sub in part.subcomponents} <= {"STANDARD", "DAYLIGHT"}


def test_calendar_is_the_same_for_the_same_date():
    assert calendar() == calendar()


@pytest.mark.parametrize(
    ("now_wib", "first_day"),
    [(time(8, 59), 3), (time(9, 0), 4), (time(10, 0), 4)],
)
def test_calendar_starts_from_the_next_session_not_yet_passed(now_wib, first_day):
    today = BIRTH + timedelta(days=3)
    now = datetime.combine(today, now_wib, tzinfo=ZoneInfo("Asia/Jakarta"))
    sessions = occurrences(calendar(today=today, generated_at=now))
    assert sessions[0][0].date() == BIRTH + timedelta(days=first_day)
    assert all(at > now for at, _event in sessions)
    assert sessions[-1][0].date() == BIRTH + timedelta(days=42)


@pytest.mark.parametrize(
    ("zone", "utc_hour"),
    [("Asia/Jakarta", 2), ("Asia/Makassar", 1), ("Asia/Jayapura", 0)],
)
def test_wall_clock_time_in_each_indonesian_zone_is_the_right_instant(zone, utc_hour):
    events = events_of(calendar(time_zone=zone))
    first = events[0].decoded("DTSTART")
    assert events[0]["DTSTART"].params["TZID"] == zone
    assert first.astimezone(UTC_ZONE) == datetime(2026, 5, 2, utc_hour, 0, tzinfo=UTC_ZONE)
    alarm_at = first + events[0].walk("VALARM")[0].decoded("TRIGGER")
    assert alarm_at.astimezone(UTC_ZONE) == datetime(
        2026, 5, 2, utc_hour, 0, tzinfo=UTC_ZONE
    ) - timedelta(minutes=10)


def test_jakarta_and_jayapura_are_two_hours_apart():
    jakarta = occurrences(calendar(time_zone="Asia/Jakarta"))
    jayapura = occurrences(
        calendar(time_zone="Asia/Jayapura", generated_at=GENERATED - timedelta(hours=3))
    )
    assert len(jakarta) == len(jayapura) == 42
    for (west, _w), (east, _e) in zip(jakarta, jayapura, strict=True):
        assert west - east == timedelta(hours=2)


def test_reminders_stay_at_nine_across_a_daylight_saving_change():
    # Europe/Amsterdam leaves summer time on 25 October 2026.
    birth = date(2026, 10, 20)
    ics = calendar(
        time_zone="Europe/Amsterdam",
        birth_date=birth,
        today=birth,
        generated_at=datetime(2026, 10, 20, 12, tzinfo=UTC),
    )
    parsed = icalendar.Calendar.from_ical(ics)
    vtimezone = parsed.walk("VTIMEZONE")[0]
    assert str(vtimezone["TZID"]) == "Europe/Amsterdam"
    assert vtimezone.walk("DAYLIGHT") and vtimezone.walk("STANDARD")
    utc_hours = {}
    for start, _event in occurrences(ics):
        assert (start.hour, start.minute) == (9, 0)
        utc_hours[start.date()] = start.astimezone(UTC_ZONE).hour
    assert utc_hours[date(2026, 10, 24)] == 7
    assert utc_hours[date(2026, 10, 25)] == 8


def test_two_sessions_every_other_day():
    value = schedule(times_per_day=2, every_n_days=2, end_day=7, focus_start_day=1, focus_end_day=1)
    ics = calendar(schedule=value, reminder_time=time(8, 30))
    expected = sorted(
        (datetime.combine(BIRTH + timedelta(days=n), at), index)
        for n in (1, 3, 5, 7)
        for index, at in enumerate((time(8, 30), time(21, 0)), start=1)
    )
    found = [(at.replace(tzinfo=None), event) for at, event in occurrences(ics)]
    assert [at for at, _event in found] == [at for at, _index in expected]
    for (_at, event), (_when, index) in zip(found, expected, strict=True):
        assert str(event["SUMMARY"]) == f"{TITLE} ({index} of 2)"
        assert str(event["UID"]).endswith(f"-{index}@asih.example")
        assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(minutes=-10)
    rules = sorted(
        str(e.get("RRULE", "").to_ical().decode()) if "RRULE" in e else "" for e in events_of(ics)
    )
    assert rules == ["", "", "FREQ=DAILY;COUNT=3;INTERVAL=2", "FREQ=DAILY;COUNT=3;INTERVAL=2"]


def test_calendar_texts_follow_the_guide_language():
    ics = calendar(language="id", page_title="Pijat Oksitosin")
    event = events_of(ics)[0]
    with translation.override("id"):
        day_label = gettext("Day %(day)s after birth") % {"day": 1}
    assert day_label in str(event["DESCRIPTION"])
    assert str(icalendar.Calendar.from_ical(ics)["PRODID"]).endswith("//ID")


def test_calendar_starts_today_when_the_birth_was_days_ago():
    today = BIRTH + timedelta(days=3)
    ics = calendar(today=today, generated_at=datetime.combine(today, time(1, 0), tzinfo=UTC))
    events = events_of(ics)
    assert events[0].decoded("DTSTART").date() == today
    assert "Day 3 after birth" in str(events[0]["DESCRIPTION"])


# -- the form -------------------------------------------------------------------------------

NOW = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta


def form(now=NOW, value=None, **data):
    return PlanForm(data, schedule=value or schedule(), now=now)


def errors_of(bound, field) -> list[str]:
    assert not bound.is_valid()
    return bound.errors[field]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2100-01-01", BIRTH_DATE_FUTURE),
        ("2026-05-12", BIRTH_DATE_FUTURE),
        ("1900-01-01", BIRTH_DATE_TOO_OLD),
        ("2025-05-01", BIRTH_DATE_TOO_OLD),
        ("0001-01-01", BIRTH_DATE_TOO_OLD),
        ("garbage", BIRTH_DATE_INVALID),
        ("2026-02-30", BIRTH_DATE_INVALID),
        ("2026-13-01", BIRTH_DATE_INVALID),
        ("99999-01-01", BIRTH_DATE_INVALID),
        ("9" * 100_000, BIRTH_DATE_INVALID),
        ("2026-05-01'; DROP TABLE x; --", BIRTH_DATE_INVALID),
        ("<script>alert(1)</script>", BIRTH_DATE_INVALID),
    ],
)
def test_bad_dates_get_a_clear_message(typed, message):
    assert errors_of(form(birth_date=typed), "birth_date") == [str(message)]


@pytest.mark.parametrize(
    "typed", ["2026-05-11", "2026-05-10", "2026-04-01", "10/05/2026", "10-05-2026"]
)
def test_dates_from_a_year_ago_to_tomorrow_are_accepted(typed):
    bound = form(birth_date=typed)
    assert bound.is_valid(), bound.errors


def test_an_empty_date_means_today_in_the_chosen_zone():
    late_evening_in_jakarta = datetime(2026, 5, 10, 16, 30, tzinfo=UTC)  # 23:30 WIB, 01:30 WIT
    jakarta = form(late_evening_in_jakarta, birth_date="", time_zone="Asia/Jakarta")
    jayapura = form(late_evening_in_jakarta, birth_date="", time_zone="Asia/Jayapura")
    assert jakarta.is_valid() and jayapura.is_valid()
    assert jakarta.cleaned_data["birth_date"] == date(2026, 5, 10)
    assert jayapura.cleaned_data["birth_date"] == date(2026, 5, 11)


def test_defaults_are_jakarta_and_nine_in_the_morning():
    bound = form()
    assert bound.is_valid()
    assert bound.cleaned_data["time_zone"] == "Asia/Jakarta"
    assert bound.cleaned_data["reminder_time"] == time(9, 0)
    assert parse_qs(bound.query()) == {
        "birth_date": ["2026-05-10"],
        "time_zone": ["Asia/Jakarta"],
        "reminder_time": ["09:00"],
    }


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus_Mons", "../../etc/passwd", "asia/jakarta", "x" * 5000]
)
def test_unknown_time_zone_gets_a_clear_message(zone):
    assert errors_of(form(time_zone=zone), "time_zone") == [str(TIME_ZONE_UNKNOWN)]


@pytest.mark.parametrize("zone", ["Asia/Makassar", "Europe/Amsterdam", "UTC", "America/Sao_Paulo"])
def test_any_real_time_zone_is_accepted(zone):
    assert form(time_zone=zone).is_valid()


@pytest.mark.parametrize("typed", ["25:00", "9 o'clock", "12:61"])
def test_bad_reminder_time_gets_a_clear_message(typed):
    assert errors_of(form(reminder_time=typed), "reminder_time") == [str(REMINDER_TIME_INVALID)]


def test_reminder_too_late_for_all_sessions_of_the_day():
    value = schedule(times_per_day=12)
    errors = errors_of(form(value=value, reminder_time="22:00"), "reminder_time")
    assert errors == [str(plan.REMINDER_TIME_TOO_LATE % {"count": 12, "latest": "18:00"})]
    assert form(value=value, reminder_time="18:00").is_valid()
    assert form(reminder_time="23:45").is_valid()  # one session a day fits at any time


def test_a_birth_more_than_six_weeks_ago_is_past_the_plan():
    assert errors_of(form(birth_date="2026-03-01"), "birth_date") == [str(PLAN_ALREADY_OVER)]


def test_a_finished_bounded_plan_says_so():
    value = schedule(end_day=5)
    errors = errors_of(form(value=value, birth_date="2026-05-01"), "birth_date")
    assert errors == [str(PLAN_ALREADY_OVER)]


def test_a_plan_before_trying_to_conceive_needs_a_day_ahead():
    value = schedule(
        relative_to="conception_plan",
        start_day=0,
        end_day=90,
        focus_start_day=None,
        focus_end_day=None,
    )
    assert errors_of(form(value=value, birth_date="2026-05-01"), "birth_date") == [
        str(CONCEPTION_DATE_PAST)
    ]
    assert form(value=value, birth_date="2026-08-01").is_valid()


# -- the views ------------------------------------------------------------------------------

needs_db = pytest.mark.django_db
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def assert_public_page(response):
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        # Scripts are files; only inert data blocks (JSON, JSON-LD) may sit in the page.
        assert "src=" in tag or re.search(r'type="application/(ld\+)?json"', tag), tag
    assert not re.search(r"\sstyle=", html)
    assert "<style" not in html
    return html


def message(text, code):
    with translation.override(code):
        return escape(str(text))


def post_url(page) -> str:
    return plan.plan_post_url(page)


def post(client, page, data, **extra):
    return client.post(post_url(page), data, **SAME_SITE, **extra)


def plan_script_data(html):
    match = re.search(
        r'<script id="asih-plan-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert match
    return json.loads(match.group(1))


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
def test_plan_page_shows_the_form_that_posts(client, oxytocin, code):
    response = client.get(PLAN[code])
    assert response.status_code == 200
    html = assert_public_page(response)
    assert f'<html lang="{code}">' in html
    assert 'name="birth_date"' in html and 'type="date"' in html
    assert '<option value="Asia/Jakarta" selected>' in html
    assert 'value="09:00"' in html
    assert "plan-day" not in html
    form_tag = re.search(r'<form class="plan-form"[^>]*>', html).group(0)
    assert 'method="post"' in form_tag and f'action="{post_url(oxytocin[code])}"' in form_tag
    assert 'name="calendar" value="1"' in html
    assert f'href="{OXYTOCIN[code]}"' in html  # back to the guide
    assert "public" in response["Cache-Control"]  # the empty form is the same for everyone
    with translation.override(code):
        bound = gettext(
            "The guide says to go on for as long as needed. This plan and its calendar cover "
            "the first 6 weeks after birth (up to day %(day)s)."
        ) % {"day": 42}
    assert escape(bound) in html


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
def test_the_page_carries_what_the_browser_needs_to_make_the_plan(client, oxytocin, code):
    page = oxytocin[code]
    data = plan_script_data(client.get(PLAN[code]).content.decode())
    assert data["schedule"]["lastDay"] == 42 and data["schedule"]["endDay"] is None
    assert data["schedule"]["focusStartDay"] == 1 and data["schedule"]["focusEndDay"] == 3
    assert data["eventUrl"] == page.subpage_url("session", absolute=True)
    assert data["title"] == page.title.partition(":")[0].strip()
    assert data["zoneNames"] == {
        "Asia/Jakarta": "WIB",
        "Asia/Makassar": "WITA",
        "Asia/Jayapura": "WIT",
    }
    assert data["guideKey"] == str(page.translation_key)


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
def test_a_date_in_the_address_is_never_used(client, code):
    birth = jakarta_today().isoformat()
    response = client.get(PLAN[code], {"birth_date": birth})
    assert response.status_code == 200
    assert "plan-day" not in response.content.decode()
    # An old calendar link answers with the empty form, not a file made from its date.
    calendar_link = client.get(ICS[code], {"birth_date": birth})
    assert calendar_link.status_code == 200
    assert calendar_link["Content-Type"].startswith("text/html")
    assert "plan-day" not in calendar_link.content.decode()
    assert f'value="{birth}"' not in calendar_link.content.decode()


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
def test_posted_plan_shows_the_dated_days_with_days_1_to_3_highlighted(client, oxytocin, code):
    birth = jakarta_today()
    response = post(client, oxytocin[code], {"birth_date": birth.isoformat(), "show": "1"})
    assert response.status_code == 200
    html = assert_public_page(response)
    days = re.findall(r'<li class="plan-day( plan-day--focus)?" data-date="([\d-]+)">', html)
    assert [day for _focus, day in days] == [
        (birth + timedelta(days=n)).isoformat() for n in range(1, 43)
    ]
    assert [bool(focus) for focus, _day in days] == [True] * 3 + [False] * 39
    note = oxytocin[code].schedule()["note"]
    assert escape(note) in html
    facts = re.search(r'<p class="plan-result__facts">.*?</p>', html, re.S).group(0)
    assert re.search(r"\bWIB\b", facts) and "Asia/Jakarta" not in facts
    assert f'<input type="hidden" name="birth_date" value="{birth.isoformat()}">' in html
    assert '<meta name="robots" content="noindex">' in html
    # The answer carries a birth date: nobody keeps it, not even the browser's cache.
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@needs_db
def test_a_post_from_another_site_is_refused(client, oxytocin):
    response = client.post(
        post_url(oxytocin["en"]), {"birth_date": "2026-05-01"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 403


@needs_db
def test_plan_page_follows_the_editors_frequency(client, oxytocin):
    page = oxytocin["en"]
    for block in page.body:
        if block.block_type == "schedule":
            block.value["times_per_day"] = 2
            block.value["every_n_days"] = 2
            block.value["focus_end_day"] = 1
    page.save_revision().publish()
    birth = jakarta_today()
    html = post(client, page, {"birth_date": birth.isoformat()}).content.decode()
    dates = re.findall(r'data-date="([\d-]+)"', html)
    assert dates == [(birth + timedelta(days=n)).isoformat() for n in range(1, 42, 2)]
    assert html.count("plan-day--focus") == 1
    assert "09:00, 21:00" in html


BAD_QUERIES = [
    ({"birth_date": "2999-01-01"}, "birth_date", BIRTH_DATE_FUTURE),
    ({"birth_date": "1900-01-01"}, "birth_date", BIRTH_DATE_TOO_OLD),
    ({"birth_date": "garbage"}, "birth_date", BIRTH_DATE_INVALID),
    ({"birth_date": "2026-02-30"}, "birth_date", BIRTH_DATE_INVALID),
    ({"birth_date": "x" * 200_000}, "birth_date", BIRTH_DATE_INVALID),
    ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", TIME_ZONE_UNKNOWN),
    ({"reminder_time": "99:99"}, "reminder_time", REMINDER_TIME_INVALID),
]


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
@pytest.mark.parametrize("calendar_asked", [False, True])
@pytest.mark.parametrize(("query", "field", "text"), BAD_QUERIES)
def test_bad_input_gets_a_message_by_its_field(
    client, oxytocin, code, calendar_asked, query, field, text
):
    data = {**query, **({"calendar": "1"} if calendar_asked else {})}
    response = post(client, oxytocin[code], data)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    html = assert_public_page(response)
    expected = message(text, code)
    # Once in the summary at the top, once next to the field it is about.
    assert f'<a href="#id_{field}">{expected}</a>' in html
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{expected}</li></ul>' in html
    assert "plan-day" not in html
    with translation.override(code):
        assert f"<title>{gettext('Error:')} " in html
    typed = next(iter(query.values()))
    if len(typed) <= plan.MAX_FIELD_CHARS and field != "time_zone":
        assert f'value="{escape(typed)}"' in html  # what was typed is kept
    assert len(html) < 100_000  # a huge value is not echoed back


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
def test_calendar_download_without_javascript(client, oxytocin, code):
    birth = jakarta_today()
    page = oxytocin[code]
    response = post(
        client,
        page,
        {
            "birth_date": birth.isoformat(),
            "time_zone": "Asia/Jayapura",
            "reminder_time": "07:15",
            "calendar": "1",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{FILENAME[code]}"'
    assert "no-store" in response["Cache-Control"]
    # Like the plan pages: a calendar of someone's dates is never a search result.
    assert response["X-Robots-Tag"] == "noindex"
    assert response.cookies == {}
    sessions = occurrences(response.content)
    now = timezone.now()
    assert sessions and all(at > now for at, _event in sessions)
    assert sessions[-1][0].date() == birth + timedelta(days=42)
    for at, event in sessions:
        assert event["DTSTART"].params["TZID"] == "Asia/Jayapura"
        assert at.replace(tzinfo=None).time() == time(7, 15)
        assert str(event["SUMMARY"]) == page.title.partition(":")[0].strip()
        assert str(event["URL"]) == page.subpage_url("session", absolute=True)
        assert page.schedule()["note"].strip() in str(event["DESCRIPTION"])
        assert str(event["UID"]).startswith(f"{page.translation_key}-")
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=5)


@needs_db
def test_calendar_without_any_field_is_for_a_birth_today(client, oxytocin):
    response = post(client, oxytocin["id"], {"calendar": "1"})
    assert response.status_code == 200
    first = occurrences(response.content)[0][0]
    assert first.date() == jakarta_today() + timedelta(days=1)
    assert first.time() == time(9, 0)


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
def test_the_form_on_the_guide_matches_the_plan_form_and_posts(client, oxytocin, code):
    page = oxytocin[code]
    html = assert_public_page(client.get(OXYTOCIN[code]))
    form_html = re.search(r'<form class="plan-form[^"]*".*?</form>', html, re.S).group(0)
    assert f'action="{post_url(page)}"' in form_html
    assert f'data-plan-url="{page.subpage_url("plan")}"' in form_html
    assert 'method="post"' in form_html and "get" not in re.search(r"<form[^>]*>", form_html).group(
        0
    )
    names = set(re.findall(r'name="([a-z_]+)"', form_html))
    assert names and names <= set(PlanForm.base_fields) | {"show", "calendar"}
    zones = re.findall(r'<option value="([^"]+)"', form_html)
    assert zones == ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
    for zone in zones:
        assert PlanForm({"time_zone": zone}, schedule=page.schedule()).is_valid()
    assert 'data-module="asih-plan"' in form_html


@needs_db
def test_the_plan_form_on_the_guide_works_without_javascript(client, oxytocin):
    """What a browser without JS sends: the empty date and the preselected zone."""
    data = {"birth_date": "", "time_zone": "Asia/Jakarta"}
    response = post(client, oxytocin["id"], {**data, "show": "1"})
    assert response.status_code == 200
    assert response.content.decode().count('<li class="plan-day') == 42
    response = post(client, oxytocin["id"], {**data, "calendar": "1"})
    assert response.status_code == 200
    assert len(occurrences(response.content)) == 42


@needs_db
def test_the_other_languages_slug_redirects(client):
    response = client.get(OXYTOCIN["id"] + "plan/")
    assert response.status_code == 301
    assert urlsplit(response["Location"]).path == PLAN["id"]


def test_a_title_with_a_line_break_still_gives_a_valid_calendar():
    events = events_of(calendar(page_title="Pijat oksitosin\nuntuk Ibu"))
    assert events
    assert {str(event["SUMMARY"]) for event in events} == {"Pijat oksitosin untuk Ibu"}
