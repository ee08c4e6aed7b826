"""The plan: a guide's schedule laid out from the baby's birth date, and its calendar file.

Nothing is stored: the form is a GET form, the page and the .ics are computed from the query
string alone, so a plan URL can be shared and the same URL always gives the same plan.
"""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode, urlsplit

import icalendar
from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.formats import time_format
from django.utils.http import content_disposition_header
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
# An open-ended schedule ("as long as needed") is laid out this many scheduled days ahead.
OPEN_ENDED_DAYS = 14
# A bounded schedule is laid out in full, up to this many scheduled days.
MAX_PLAN_DAYS = 60
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


def plan_days(
    *, schedule, birth_date: date, today: date, max_days: int = OPEN_ENDED_DAYS
) -> list[PlanDay]:
    """The schedule's days from today on, dated from `birth_date` (the schedule's reference).

    A bounded schedule is laid out to its last day (at most MAX_PLAN_DAYS scheduled days); an
    open-ended one for `max_days` scheduled days. Days already past are left out.
    """
    direction = reference_for(schedule).direction
    start, end = schedule["start_day"], schedule.get("end_day")
    step = max(schedule["every_n_days"] or 1, 1)
    limit = max_days if end is None else MAX_PLAN_DAYS
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
    """Whether the schedule goes on after the last day laid out."""
    if schedule.get("end_day") is None:
        return True
    if not days or reference_for(schedule).direction < 0:
        return False
    return days[-1].number + schedule["every_n_days"] <= schedule["end_day"]


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


def _day_label(schedule, number: int) -> str:
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


class PlanForm(forms.Form):
    """The reader's date, zone and reminder time. Every field may be left empty."""

    birth_date = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": BIRTH_DATE_INVALID},
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=time_zone_choices,
        error_messages={"invalid_choice": TIME_ZONE_UNKNOWN},
    )
    reminder_time = forms.TimeField(
        label=_("Reminder time"),
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": REMINDER_TIME_INVALID},
        help_text=_("The first session of the day. The reminder comes 10 minutes before."),
    )

    def __init__(self, data=None, *, schedule, now: datetime | None = None):
        if data is not None:
            data = {
                name: str(data.get(name, ""))[:MAX_FIELD_CHARS].strip() for name in self.base_fields
            }
            # Defaults, not typed values: shown filled in so the reader sees what was used.
            data["time_zone"] = data["time_zone"] or DEFAULT_TIME_ZONE
            data["reminder_time"] = data["reminder_time"] or DEFAULT_REMINDER_TIME.strftime("%H:%M")
        super().__init__(
            data,
            initial={"time_zone": DEFAULT_TIME_ZONE, "reminder_time": DEFAULT_REMINDER_TIME},
            label_suffix="",
        )
        self.schedule = schedule
        self.now = now or timezone.now()
        reference = reference_for(schedule)
        self.fields["birth_date"].label = reference.label
        self.fields["birth_date"].help_text = _("Leave it empty for today.")
        self.fields["reminder_time"].widget.attrs["placeholder"] = "09:00"

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone") or DEFAULT_TIME_ZONE
        cleaned["time_zone"] = zone_name
        today = self.now.astimezone(zoneinfo.ZoneInfo(zone_name)).date()
        cleaned["today"] = today

        if "birth_date" not in self.errors:
            reference = reference_for(self.schedule)
            chosen = cleaned.get("birth_date") or today
            cleaned["birth_date"] = chosen
            offset = (chosen - today).days
            if offset < reference.earliest:
                self.add_error("birth_date", reference.too_early)
            elif offset > reference.latest:
                self.add_error("birth_date", reference.too_late)
            elif not plan_days(schedule=self.schedule, birth_date=chosen, today=today):
                self.add_error("birth_date", PLAN_ALREADY_OVER)

        if "reminder_time" not in self.errors:
            reminder = cleaned.get("reminder_time") or DEFAULT_REMINDER_TIME
            cleaned["reminder_time"] = reminder.replace(second=0, microsecond=0)
            count = self.schedule["times_per_day"]
            latest = latest_first_session(times_per_day=count)
            if count > 1 and reminder > latest:
                self.add_error(
                    "reminder_time",
                    REMINDER_TIME_TOO_LATE % {"count": count, "latest": latest.strftime("%H:%M")},
                )
        return cleaned

    def query(self) -> str:
        """The cleaned values as a query string: the same plan, spelled out in full."""
        return urlencode(
            {
                "birth_date": self.cleaned_data["birth_date"].isoformat(),
                "time_zone": self.cleaned_data["time_zone"],
                "reminder_time": self.cleaned_data["reminder_time"].strftime("%H:%M"),
            }
        )


# -- views ----------------------------------------------------------------------------------


def guide_short_title(title: str) -> str:
    """A guide's title without its subtitle ("Name: what it does" → "Name"), for headings."""
    return title.partition(":")[0].strip() or title


def _is_submitted(request) -> bool:
    return any(name in request.GET for name in PlanForm.base_fields)


def _render_plan(request, page, form, *, status=200):
    schedule = page.schedule()
    context = {
        "page": page,
        "self": page,
        "ancestors": list(page.get_ancestors().filter(depth__gt=1)),
        "subpage": "plan",
        "schedule": schedule,
        "form": form,
        "short_title": guide_short_title(page.title),
        "plan_url": page.subpage_url("plan", request),
        "ics_base_url": page.subpage_url("plan_ics", request),
    }
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        days = plan_days(schedule=schedule, birth_date=data["birth_date"], today=data["today"])
        times = session_times(first=data["reminder_time"], times_per_day=schedule["times_per_day"])
        context.update(
            days=days,
            continues=plan_continues(schedule=schedule, days=days),
            session_times=[time_format(at, "H:i") for at in times],
            skipped_past=bool(days)
            and days[0].number != schedule["start_day"]
            and reference_for(schedule).direction > 0,
            ics_url=context["ics_base_url"] + "?" + form.query(),
        )
    response = TemplateResponse(request, "guides/plan.html", context, status=status)
    if form.is_bound:
        _keep_out_of_shared_caches(response)
    return response


def _keep_out_of_shared_caches(response):
    """A plan carries a birth date: no proxy, CDN or service worker should keep it."""
    patch_cache_control(response, private=True, no_store=True)


def plan_view(request, page):
    """The plan page: the form, and once it is filled in, the dated schedule."""
    schedule = page.schedule()
    form = PlanForm(request.GET if _is_submitted(request) else None, schedule=schedule)
    return _render_plan(request, page, form)


def plan_ics_view(request, page):
    """The plan as an .ics file; with a bad date, the plan page with its messages (400)."""
    schedule = page.schedule()
    form = PlanForm(request.GET, schedule=schedule)
    if not form.is_valid():
        return _render_plan(request, page, form, status=400)
    data = form.cleaned_data
    total_time = page.total_time()
    session_minutes = (
        total_time["max_minutes"] if total_time and total_time.get("max_minutes") else None
    )
    body = plan_calendar(
        page_title=page.title,
        page_url=page.get_full_url(request),
        guide_key=str(page.translation_key),
        schedule=schedule,
        birth_date=data["birth_date"],
        time_zone=data["time_zone"],
        reminder_time=data["reminder_time"],
        language=page.locale.language_code,
        today=data["today"],
        session_minutes=max(session_minutes or DEFAULT_SESSION_MINUTES, 5),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{page.slug}.ics")
    _keep_out_of_shared_caches(response)
    return response
