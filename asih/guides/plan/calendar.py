"""The plan as an iCalendar file: one event per session, each with a reminder."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

import icalendar
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from .schedule import (
    ALARM_MINUTES_BEFORE,
    DEFAULT_SESSION_MINUTES,
    PlanDay,
    day_label,
    plan_days,
    session_times,
)


def _runs(days: list[PlanDay]) -> list[list[PlanDay]]:
    """Consecutive scheduled days with the same emphasis: each becomes one repeating event."""
    runs: list[list[PlanDay]] = []
    for day in days:
        if runs and runs[-1][-1].focus == day.focus:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def plan_calendar(
    *,
    page_title: str,
    session_url: str,
    guide_key: str,
    schedule,
    birth_date: date,
    time_zone: str,
    reminder_time: time,
    language: str,
    today: date,
    session_minutes: int = DEFAULT_SESSION_MINUTES,
    generated_at: datetime | None = None,
) -> bytes:
    """An iCalendar file of the plan: repeating events, each with a reminder before it.

    One event per run of days with the same emphasis and per session of the day, repeating
    every `every_n_days` (RRULE) up to the plan's last day (OPEN_ENDED_LAST_DAY when the guide
    says "as long as needed"). It starts from the next session that has not begun. Times are
    wall-clock times in `time_zone` (TZID with its VTIMEZONE), so the reminder rings at 09:00
    where the family lives, whatever zone the server or the phone is in. `page_title` is the
    short title events carry; every event links `session_url`, the guided session.
    """
    zone = zoneinfo.ZoneInfo(time_zone)
    # Single-line calendar properties: a title pasted with a line break must not break the file.
    page_title = " ".join(page_title.split())
    now = generated_at or timezone.now()
    days = plan_days(schedule=schedule, birth_date=birth_date, today=today)
    times = session_times(first=reminder_time, times_per_day=schedule["times_per_day"])
    stamp = now.astimezone(zoneinfo.ZoneInfo("UTC"))
    host = urlsplit(session_url).hostname or "asih"
    note = (schedule.get("note") or "").strip()
    interval = max(schedule["every_n_days"] or 1, 1)
    first_dates, last_dates = [], []

    with translation.override(language):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Asih//Guide plan//" + language.upper())
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", page_title)
        calendar.add("x-wr-timezone", time_zone)
        alarm_text = ngettext(
            "%(title)s in %(minutes)s minute",
            "%(title)s in %(minutes)s minutes",
            ALARM_MINUTES_BEFORE,
        ) % {"title": page_title, "minutes": ALARM_MINUTES_BEFORE}

        for index, at in enumerate(times, start=1):
            upcoming = [day for day in days if datetime.combine(day.date, at, tzinfo=zone) > now]
            for run in _runs(upcoming):
                first, last = run[0], run[-1]
                label = day_label(schedule, first.number)
                if len(run) > 1:
                    label += " – " + day_label(schedule, last.number)
                lines = [label]
                if first.focus:
                    lines.append(gettext("One of the days this guide puts the most weight on."))
                if note:
                    lines.append(note)
                lines.append(gettext("Guided session: %(url)s") % {"url": session_url})
                start = datetime.combine(first.date, at, tzinfo=zone)
                summary = page_title
                if len(times) > 1:
                    summary = gettext("%(title)s (%(number)s of %(count)s)") % {
                        "title": page_title,
                        "number": index,
                        "count": len(times),
                    }
                event = icalendar.Event()
                event.add("uid", f"{guide_key}-{first.date:%Y%m%d}-{index}@{host}")
                event.add("dtstamp", stamp)
                event.add("dtstart", start)
                event.add("dtend", start + timedelta(minutes=session_minutes))
                if len(run) > 1:
                    event.add("rrule", {"freq": "daily", "interval": interval, "count": len(run)})
                event.add("summary", summary)
                event.add("description", "\n\n".join(lines))
                event.add("url", session_url)
                event.add("transp", "TRANSPARENT")
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("trigger", timedelta(minutes=-ALARM_MINUTES_BEFORE))
                alarm.add("description", alarm_text)
                event.add_component(alarm)
                calendar.add_component(event)
                first_dates.append(first.date)
                last_dates.append(last.date)

        if first_dates:
            calendar.add_missing_timezones(
                first_date=min(first_dates) - timedelta(days=1),
                last_date=max(last_dates) + timedelta(days=2),
            )
            # icalendar notes the span its rules cover in a COMMENT on VTIMEZONE itself, where
            # RFC 5545 does not allow one (strict parsers reject the file): drop it.
            for zone_part in calendar.walk("VTIMEZONE"):
                zone_part.pop("COMMENT", None)
    return calendar.to_ical()


# -- the form -------------------------------------------------------------------------------
