"""The dated days and session times of a plan (pure functions; nothing stored)."""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

BIRTH_DATE_INVALID = _("Enter a real date as year-month-day, for example 2026-05-17.")
BIRTH_DATE_FUTURE = _(
    "The birth date cannot be in the future. This plan starts after the baby is born."
)
BIRTH_DATE_TOO_OLD = _(
    "This plan is for the first weeks after birth, and that date is more than a year ago. "
    "Please check the year."
)
PREGNANCY_DATE_FUTURE = _("The first day of your last period cannot be in the future.")
PREGNANCY_DATE_TOO_OLD = _(
    "This plan is for the weeks of a pregnancy, and that date is more than 300 days ago. "
    "Please check the year."
)
CONCEPTION_DATE_PAST = _("That day has already passed. Choose today or a later day.")
CONCEPTION_DATE_TOO_FAR = _("Choose a day within the next two years.")
PLAN_ALREADY_OVER = _("All the days of this plan have already passed for that date.")
TIME_ZONE_UNKNOWN = _("Choose a time zone from the list.")
REMINDER_TIME_INVALID = _("Enter a time as hours and minutes, for example 09:00.")
REMINDER_TIME_TOO_LATE = _(
    "With %(count)s sessions a day, the first one must be at %(latest)s or earlier "
    "so that all of them fit in the day."
)

DEFAULT_TIME_ZONE = "Asia/Jakarta"
DEFAULT_REMINDER_TIME = time(9, 0)
# An open-ended schedule ("as long as needed") is laid out up to a stated day: after birth, the
# first 6 weeks (the postpartum period, when the clinic's follow-up visits fall); in pregnancy,
# 40 weeks; before conception, the last 90 days. The plan page and the calendar say so.
OPEN_ENDED_LAST_DAY = {"birth": 42, "pregnancy": 280, "conception_plan": 90}
# A plan never lays out more scheduled days than this (the longest bound above).
MAX_PLAN_DAYS = 300
# Several sessions a day are spread from the first one towards the evening, never closer
# together than MIN_SESSION_GAP and never later than LAST_SESSION.
EVENING = time(21, 0)
LAST_SESSION = time(23, 30)
MIN_SESSION_GAP = timedelta(minutes=30)
DEFAULT_SESSION_MINUTES = 15
ALARM_MINUTES_BEFORE = 10
# Query values longer than this are cut before validation: no date, zone or time is longer,
# and the page that shows the error does not echo megabytes back.
MAX_FIELD_CHARS = 64

# What readers call Indonesia's three zones; other zones go by their IANA name.
ZONE_SHORT_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

INDONESIAN_TIME_ZONES = [
    ("Asia/Jakarta", _("WIB — Sumatra, Java, West and Central Kalimantan")),
    (
        "Asia/Makassar",
        _("WITA — Bali, Nusa Tenggara, Sulawesi, South, East and North Kalimantan"),
    ),
    ("Asia/Jayapura", _("WIT — Maluku and Papua")),
]


@dataclass(frozen=True)
class Reference:
    """What the date the user gives means for a schedule, and which dates make sense."""

    label: str
    direction: int  # +1: day N is N days after the date; -1: N days before it
    earliest: int  # in days from today
    latest: int
    too_early: str
    too_late: str


REFERENCES = {
    "birth": Reference(
        label=_("Baby's birth date"),
        direction=1,
        earliest=-366,
        latest=1,  # a day of slack for a reader whose "today" is already tomorrow
        too_early=BIRTH_DATE_TOO_OLD,
        too_late=BIRTH_DATE_FUTURE,
    ),
    "pregnancy": Reference(
        label=_("First day of your last period"),
        direction=1,
        earliest=-300,
        latest=1,
        too_early=PREGNANCY_DATE_TOO_OLD,
        too_late=PREGNANCY_DATE_FUTURE,
    ),
    "conception_plan": Reference(
        label=_("The day you plan to start trying"),
        direction=-1,
        earliest=0,
        latest=731,
        too_early=CONCEPTION_DATE_PAST,
        too_late=CONCEPTION_DATE_TOO_FAR,
    ),
}


def reference_for(schedule) -> Reference:
    return REFERENCES.get(schedule["relative_to"], REFERENCES["birth"])


def zone_short_name(zone: str) -> str:
    """WIB, WITA or WIT for Indonesia's zones; the zone's own name elsewhere."""
    return ZONE_SHORT_NAMES.get(zone, zone.replace("_", " "))


def last_plan_day(schedule) -> int:
    """The last day a plan lays out: the schedule's own, or the stated bound when it has none."""
    end = schedule.get("end_day")
    if end is not None:
        return end
    bound = OPEN_ENDED_LAST_DAY.get(schedule["relative_to"], OPEN_ENDED_LAST_DAY["birth"])
    return max(bound, schedule["start_day"])


@functools.cache
def _other_time_zones() -> tuple[tuple[str, str], ...]:
    indonesian = {zone for zone, _label in INDONESIAN_TIME_ZONES}
    zones = sorted(
        zone
        for zone in zoneinfo.available_timezones()
        if "/" in zone
        and zone not in indonesian
        and not zone.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    )
    return (("UTC", "UTC"), *((zone, zone.replace("_", " ")) for zone in zones))


def time_zone_choices():
    return [
        (_("Indonesia"), INDONESIAN_TIME_ZONES),
        (_("Other time zones"), list(_other_time_zones())),
    ]


# -- the schedule laid out on dates ---------------------------------------------------------


@dataclass(frozen=True)
class PlanDay:
    number: int  # the schedule's own day number ("day 2 after birth")
    date: date
    sessions: int
    focus: bool


def _is_focus(schedule, number: int) -> bool:
    first, last = schedule.get("focus_start_day"), schedule.get("focus_end_day")
    return first is not None and last is not None and first <= number <= last


def plan_days(*, schedule, birth_date: date, today: date) -> list[PlanDay]:
    """The schedule's days from today on, dated from `birth_date` (the schedule's reference).

    Laid out to the schedule's last day, or for an open-ended schedule to the bound in
    OPEN_ENDED_LAST_DAY (at most MAX_PLAN_DAYS scheduled days). Days already past are left out.
    """
    direction = reference_for(schedule).direction
    start, end = schedule["start_day"], last_plan_day(schedule)
    step = max(schedule["every_n_days"] or 1, 1)
    limit = MAX_PLAN_DAYS
    elapsed = (today - birth_date).days * direction

    if direction > 0:
        # First scheduled day that is not before today: on the grid start, start+step, …
        lowest = max(start, elapsed)
        number = start + -(-(lowest - start) // step) * step
        numbers = []
        while len(numbers) < limit and (end is None or number <= end):
            numbers.append(number)
            number += step
    else:
        # Counting down towards the date: the highest day number is the earliest date.
        highest = elapsed if end is None else min(end, elapsed)
        if highest < start:
            return []
        number = start + (highest - start) // step * step
        numbers = []
        while len(numbers) < limit and number >= start:
            numbers.append(number)
            number -= step

    return [
        PlanDay(
            number=number,
            date=birth_date + timedelta(days=direction * number),
            sessions=schedule["times_per_day"],
            focus=_is_focus(schedule, number),
        )
        for number in numbers
    ]


def plan_continues(*, schedule, days: list[PlanDay]) -> bool:
    """Whether the schedule goes on after the last day laid out (an open-ended one always)."""
    if schedule.get("end_day") is None:
        return True
    if not days or reference_for(schedule).direction < 0:
        return False
    return days[-1].number + schedule["every_n_days"] <= schedule["end_day"]


def upcoming_sessions(
    *, days: list[PlanDay], times: list[time], zone: zoneinfo.ZoneInfo, now: datetime
) -> list[tuple[PlanDay, int, datetime]]:
    """Every session of the plan that has not started yet: (day, its number that day, start)."""
    sessions = []
    for day in days:
        for index, at in enumerate(times, start=1):
            start = datetime.combine(day.date, at, tzinfo=zone)
            if start > now:
                sessions.append((day, index, start))
    return sessions


def session_times(*, first: time, times_per_day: int) -> list[time]:
    """When the sessions of a day fall: the first at `first`, the rest spread to the evening."""
    if times_per_day <= 1:
        return [first]
    start = datetime.combine(date(2000, 1, 1), first)
    evening = datetime.combine(start.date(), EVENING)
    gap = max((evening - start) / (times_per_day - 1), MIN_SESSION_GAP)
    gap = timedelta(minutes=int(gap.total_seconds() // 60))
    return [(start + index * gap).time() for index in range(times_per_day)]


def latest_first_session(*, times_per_day: int) -> time:
    """The latest first session that still lets all sessions of the day fit."""
    last = datetime.combine(date(2000, 1, 1), LAST_SESSION)
    return (last - (times_per_day - 1) * MIN_SESSION_GAP).time()


# -- the calendar file ----------------------------------------------------------------------


def day_label(schedule, number: int) -> str:
    relative_to = schedule["relative_to"]
    if relative_to == "pregnancy":
        return gettext("Day %(day)s of pregnancy") % {"day": number}
    if relative_to == "conception_plan":
        return ngettext(
            "%(day)s day before you start trying",
            "%(day)s days before you start trying",
            number,
        ) % {"day": number}
    return gettext("Day %(day)s after birth") % {"day": number}
