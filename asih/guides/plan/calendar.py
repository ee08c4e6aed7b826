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
    _day_label,
    plan_days,
    session_times,
)


def plan_calendar(
    *,
    page_title: str,
    page_url: str,
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
    """An iCalendar file with one event per session, each with a reminder before it.

    Times are wall-clock times in `time_zone` (TZID with its VTIMEZONE), so the reminder
    rings at 09:00 where the family lives, whatever zone the server or the phone is in.
    """
    zone = zoneinfo.ZoneInfo(time_zone)
    # Single-line calendar properties: a title pasted with a line break must not break the file.
    page_title = " ".join(page_title.split())
    days = plan_days(schedule=schedule, birth_date=birth_date, today=today)
    times = session_times(first=reminder_time, times_per_day=schedule["times_per_day"])
    stamp = (generated_at or timezone.now()).astimezone(zoneinfo.ZoneInfo("UTC"))
    host = urlsplit(page_url).hostname or "asih"
    note = (schedule.get("note") or "").strip()

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

        for day in days:
            lines = [_day_label(schedule, day.number)]
            if day.focus:
                lines.append(gettext("One of the days this guide puts the most weight on."))
            if note:
                lines.append(note)
            lines.append(page_url)
            description = "\n\n".join(lines)
            for index, at in enumerate(times, start=1):
                start = datetime.combine(day.date, at, tzinfo=zone)
                summary = page_title
                if len(times) > 1:
                    summary = gettext("%(title)s (%(number)s of %(count)s)") % {
                        "title": page_title,
                        "number": index,
                        "count": len(times),
                    }
                event = icalendar.Event()
                event.add("uid", f"{guide_key}-{day.date:%Y%m%d}-{index}@{host}")
                event.add("dtstamp", stamp)
                event.add("dtstart", start)
                event.add("dtend", start + timedelta(minutes=session_minutes))
                event.add("summary", summary)
                event.add("description", description)
                event.add("url", page_url)
                event.add("transp", "TRANSPARENT")
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("trigger", timedelta(minutes=-ALARM_MINUTES_BEFORE))
                alarm.add("description", alarm_text)
                event.add_component(alarm)
                calendar.add_component(event)

        if days:
            calendar.add_missing_timezones(
                first_date=days[0].date - timedelta(days=1),
                last_date=days[-1].date + timedelta(days=2),
            )
    return calendar.to_ical()


# -- the form -------------------------------------------------------------------------------
