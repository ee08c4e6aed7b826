"""The plan: a guide's schedule on real dates, its calendar file, the views in both languages."""

import re
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
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


def calendar(**overrides) -> bytes:
    arguments = {
        "page_title": TITLE,
        "page_url": URL,
        "guide_key": "guide-key",
        "schedule": schedule(),
        "birth_date": BIRTH,
        "time_zone": "Asia/Jakarta",
        "reminder_time": time(9, 0),
        "language": "en",
        "today": BIRTH,
        "session_minutes": 5,
        "generated_at": datetime(2026, 5, 1, 3, 4, 5, tzinfo=UTC),
    }
    arguments.update(overrides)
    return plan_calendar(**arguments)


def events_of(ics: bytes) -> list:
    parsed = icalendar.Calendar.from_ical(ics)
    assert parsed.name == "VCALENDAR"
    assert str(parsed["VERSION"]) == "2.0"
    return parsed.walk("VEVENT")


def jakarta_today() -> date:
    return timezone.now().astimezone(ZoneInfo("Asia/Jakarta")).date()


# -- plan_days ------------------------------------------------------------------------------


def test_open_ended_schedule_is_laid_out_for_two_weeks_with_days_1_to_3_emphasised():
    days = plan_days(schedule=schedule(), birth_date=BIRTH, today=BIRTH)
    assert [day.number for day in days] == list(range(1, 15))
    assert [day.date for day in days] == [BIRTH + timedelta(days=n) for n in range(1, 15)]
    assert [day.number for day in days if day.focus] == [1, 2, 3]
    assert {day.sessions for day in days} == {1}
    assert plan_continues(schedule=schedule(), days=days)


def test_days_already_past_are_left_out():
    days = plan_days(schedule=schedule(), birth_date=BIRTH, today=BIRTH + timedelta(days=5))
    assert days[0].number == 5
    assert days[0].date == BIRTH + timedelta(days=5)
    assert len(days) == plan.OPEN_ENDED_DAYS
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


def test_calendar_has_one_event_with_an_alarm_per_day_of_the_oxytocin_plan():
    ics = calendar()
    parsed = icalendar.Calendar.from_ical(ics)
    assert str(parsed["PRODID"]).startswith("-//Asih//")
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    events = events_of(ics)
    assert len(events) == plan.OPEN_ENDED_DAYS
    uids = set()
    for number, event in enumerate(events, start=1):
        day = BIRTH + timedelta(days=number)
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None
        assert event["DTSTART"].params["TZID"] == "Asia/Jakarta"
        assert start.replace(tzinfo=None) == datetime.combine(day, time(9, 0))
        # 09:00 WIB is 02:00 UTC.
        assert start.astimezone(UTC_ZONE) == datetime.combine(day, time(2, 0), tzinfo=UTC_ZONE)
        assert event.decoded("DTEND") - start == timedelta(minutes=5)
        assert str(event["SUMMARY"]) == TITLE
        description = str(event["DESCRIPTION"])
        assert URL in description and NOTE in description
        assert f"Day {number} after birth" in description
        emphasis = "One of the days this guide puts the most weight on."
        assert (emphasis in description) == (number <= 3)
        assert str(event["UID"]) == f"guide-key-{day:%Y%m%d}-1@asih.example"
        uids.add(str(event["UID"]))
        assert event.decoded("DTSTAMP") == datetime(2026, 5, 1, 3, 4, 5, tzinfo=UTC_ZONE)

        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        alarm = alarms[0]
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(minutes=-10)
        assert TITLE in str(alarm["DESCRIPTION"])
    assert len(uids) == len(events)


def test_calendar_is_the_same_for_the_same_date():
    assert calendar() == calendar()


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
    jakarta = events_of(calendar(time_zone="Asia/Jakarta"))
    jayapura = events_of(calendar(time_zone="Asia/Jayapura"))
    for west, east in zip(jakarta, jayapura, strict=True):
        assert west.decoded("DTSTART") - east.decoded("DTSTART") == timedelta(hours=2)


def test_reminders_stay_at_nine_across_a_daylight_saving_change():
    # Europe/Amsterdam leaves summer time on 25 October 2026.
    birth = date(2026, 10, 20)
    ics = calendar(time_zone="Europe/Amsterdam", birth_date=birth, today=birth)
    parsed = icalendar.Calendar.from_ical(ics)
    vtimezone = parsed.walk("VTIMEZONE")[0]
    assert str(vtimezone["TZID"]) == "Europe/Amsterdam"
    assert vtimezone.walk("DAYLIGHT") and vtimezone.walk("STANDARD")
    utc_hours = {}
    for event in parsed.walk("VEVENT"):
        start = event.decoded("DTSTART")
        assert (start.hour, start.minute) == (9, 0)
        utc_hours[start.date()] = start.astimezone(UTC_ZONE).hour
    assert utc_hours[date(2026, 10, 24)] == 7
    assert utc_hours[date(2026, 10, 25)] == 8


def test_two_sessions_every_other_day():
    value = schedule(times_per_day=2, every_n_days=2, end_day=7, focus_start_day=1, focus_end_day=1)
    events = events_of(calendar(schedule=value, reminder_time=time(8, 30)))
    expected = [
        (BIRTH + timedelta(days=n), at, index)
        for n in (1, 3, 5, 7)
        for index, at in enumerate((time(8, 30), time(21, 0)), start=1)
    ]
    assert len(events) == len(expected)
    for event, (day, at, index) in zip(events, expected, strict=True):
        start = event.decoded("DTSTART")
        assert (start.date(), start.time()) == (day, at)
        assert str(event["UID"]) == f"guide-key-{day:%Y%m%d}-{index}@asih.example"
        assert str(event["SUMMARY"]) == f"{TITLE} ({index} of 2)"
        assert len(event.walk("VALARM")) == 1
        assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(minutes=-10)


def test_calendar_texts_follow_the_guide_language():
    ics = calendar(language="id", page_title="Pijat Oksitosin")
    event = events_of(ics)[0]
    with translation.override("id"):
        day_label = gettext("Day %(day)s after birth") % {"day": 1}
    assert day_label in str(event["DESCRIPTION"])
    assert str(icalendar.Calendar.from_ical(ics)["PRODID"]).endswith("//ID")


def test_calendar_starts_today_when_the_birth_was_days_ago():
    events = events_of(calendar(today=BIRTH + timedelta(days=3)))
    assert events[0].decoded("DTSTART").date() == BIRTH + timedelta(days=3)
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
    "typed", ["2026-05-11", "2026-05-10", "2025-05-10", "10/05/2026", "10-05-2026"]
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


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
def test_plan_page_without_a_date_shows_the_form(client, code):
    response = client.get(PLAN[code])
    assert response.status_code == 200
    html = assert_public_page(response)
    assert f'<html lang="{code}">' in html
    assert 'name="birth_date"' in html and 'type="date"' in html
    assert '<option value="Asia/Jakarta" selected>' in html
    assert 'value="09:00"' in html
    assert "plan-day" not in html
    assert f'formaction="{ICS[code]}"' in html
    assert f'href="{OXYTOCIN[code]}"' in html  # back to the guide


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
def test_plan_page_shows_the_dated_days_with_days_1_to_3_highlighted(client, oxytocin, code):
    birth = jakarta_today()
    response = client.get(PLAN[code], {"birth_date": birth.isoformat()})
    assert response.status_code == 200
    html = assert_public_page(response)
    days = re.findall(r'<li class="plan-day( plan-day--focus)?" data-date="([\d-]+)">', html)
    assert [day for _focus, day in days] == [
        (birth + timedelta(days=n)).isoformat() for n in range(1, 15)
    ]
    assert [bool(focus) for focus, _day in days] == [True] * 3 + [False] * 11
    note = oxytocin[code].schedule()["note"]
    assert escape(note) in html
    query = f"birth_date={birth.isoformat()}&amp;time_zone=Asia%2FJakarta&amp;reminder_time=09%3A00"
    assert f'href="{ICS[code]}?{query}" download' in html
    assert '<meta name="robots" content="noindex">' in html
    # The page carries a birth date: kept out of shared caches (and not in the unfilled form).
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "public" in client.get(PLAN[code])["Cache-Control"]  # the empty form is public


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
    html = client.get(PLAN["en"], {"birth_date": birth.isoformat()}).content.decode()
    dates = re.findall(r'data-date="([\d-]+)"', html)
    assert dates == [(birth + timedelta(days=n)).isoformat() for n in range(1, 28, 2)]
    assert html.count("plan-day--focus") == 1
    assert "09:00, 21:00" in html
    ics = client.get(ICS["en"], {"birth_date": birth.isoformat()}).content
    assert len(events_of(ics)) == 2 * 14


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
@pytest.mark.parametrize(("query", "field", "text"), BAD_QUERIES)
def test_bad_input_on_the_plan_page_gets_a_message_by_its_field(client, code, query, field, text):
    response = client.get(PLAN[code], query)
    assert response.status_code == 200
    html = assert_public_page(response)
    expected = message(text, code)
    # Once in the summary at the top, once next to the field it is about.
    assert f'<a href="#id_{field}">{expected}</a>' in html
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{expected}</li></ul>' in html
    assert "plan-day" not in html
    typed = next(iter(query.values()))
    if len(typed) <= plan.MAX_FIELD_CHARS and field != "time_zone":
        assert f'value="{escape(typed)}"' in html  # what was typed is kept
    assert len(html) < 100_000  # a huge value is not echoed back


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
@pytest.mark.parametrize(("query", "field", "text"), BAD_QUERIES)
def test_bad_input_for_the_calendar_is_a_400_page_with_the_message(
    client, code, query, field, text
):
    response = client.get(ICS[code], query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = assert_public_page(response)
    assert message(text, code) in html
    assert 'class="plan-form"' in html


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
def test_calendar_download(client, oxytocin, code):
    birth = jakarta_today()
    response = client.get(
        ICS[code],
        {"birth_date": birth.isoformat(), "time_zone": "Asia/Jayapura", "reminder_time": "07:15"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{FILENAME[code]}"'
    assert "no-store" in response["Cache-Control"]
    assert response.cookies == {}
    page = oxytocin[code]
    events = events_of(response.content)
    assert len(events) == plan.OPEN_ENDED_DAYS
    for number, event in enumerate(events, start=1):
        start = event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == "Asia/Jayapura"
        assert start.astimezone(UTC_ZONE) == datetime.combine(
            birth + timedelta(days=number), time(7, 15), tzinfo=ZoneInfo("Asia/Jayapura")
        ).astimezone(UTC_ZONE)
        assert str(event["SUMMARY"]) == page.title
        assert page.get_full_url() in str(event["DESCRIPTION"])
        assert page.schedule()["note"].strip() in str(event["DESCRIPTION"])
        assert str(event["UID"]).startswith(f"{page.translation_key}-")
        assert event.decoded("DTEND") - start == timedelta(minutes=5)  # the guide's 3–5 minutes
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(minutes=-10)


@needs_db
def test_calendar_without_any_field_is_for_a_birth_today(client):
    response = client.get(ICS["id"])
    assert response.status_code == 200
    first = events_of(response.content)[0].decoded("DTSTART")
    assert first.date() == jakarta_today() + timedelta(days=1)
    assert first.time() == time(9, 0)


@needs_db
@pytest.mark.parametrize("code", ["id", "en"])
def test_the_form_on_the_guide_matches_the_plan_form_and_routes(client, oxytocin, code):
    page = oxytocin[code]
    html = assert_public_page(client.get(OXYTOCIN[code]))
    form_html = re.search(r'<form class="plan-form[^"]*".*?</form>', html, re.S).group(0)
    assert f'action="{page.subpage_url("plan")}"' in form_html
    assert f'formaction="{page.subpage_url("plan_ics")}"' in form_html
    assert 'method="get"' in form_html
    names = set(re.findall(r'name="([a-z_]+)"', form_html))
    assert names and names <= set(PlanForm.base_fields)
    zones = re.findall(r'<option value="([^"]+)"', form_html)
    assert zones == ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
    for zone in zones:
        assert PlanForm({"time_zone": zone}, schedule=page.schedule()).is_valid()
    assert 'data-module="asih-plan"' in form_html


@needs_db
def test_the_plan_form_on_the_guide_works_without_javascript(client):
    """What a browser without JS sends: the empty date and the preselected zone."""
    response = client.get(PLAN["id"], {"birth_date": "", "time_zone": "Asia/Jakarta"})
    assert response.status_code == 200
    assert response.content.decode().count('<li class="plan-day') == plan.OPEN_ENDED_DAYS
    response = client.get(ICS["id"], {"birth_date": "", "time_zone": "Asia/Jakarta"})
    assert response.status_code == 200
    assert len(events_of(response.content)) == plan.OPEN_ENDED_DAYS


@needs_db
def test_the_other_languages_slug_redirects(client):
    response = client.get(OXYTOCIN["id"] + "plan/")
    assert response.status_code == 301
    assert urlsplit(response["Location"]).path == PLAN["id"]


def test_a_title_with_a_line_break_still_gives_a_valid_calendar():
    events = events_of(calendar(page_title="Pijat oksitosin\nuntuk Ibu"))
    assert events
    assert {str(event["SUMMARY"]) for event in events} == {"Pijat oksitosin untuk Ibu"}
