"""The plan: a guide's schedule laid out from the baby's birth date, and its calendar file.

Nothing is stored: the form is a GET form, the page and the .ics are computed from the query
string alone, so a plan URL can be shared and the same URL always gives the same plan.

Layout: schedule (pure) ← forms, calendar ← views; this module re-exports the public names.
"""

from .calendar import plan_calendar
from .forms import PlanForm
from .schedule import (
    ALARM_MINUTES_BEFORE,
    BIRTH_DATE_FUTURE,
    BIRTH_DATE_INVALID,
    BIRTH_DATE_TOO_OLD,
    CONCEPTION_DATE_PAST,
    CONCEPTION_DATE_TOO_FAR,
    DEFAULT_REMINDER_TIME,
    DEFAULT_SESSION_MINUTES,
    DEFAULT_TIME_ZONE,
    EVENING,
    INDONESIAN_TIME_ZONES,
    LAST_SESSION,
    MAX_FIELD_CHARS,
    MAX_PLAN_DAYS,
    MIN_SESSION_GAP,
    OPEN_ENDED_DAYS,
    PLAN_ALREADY_OVER,
    PREGNANCY_DATE_FUTURE,
    PREGNANCY_DATE_TOO_OLD,
    REFERENCES,
    REMINDER_TIME_INVALID,
    REMINDER_TIME_TOO_LATE,
    TIME_ZONE_UNKNOWN,
    PlanDay,
    Reference,
    latest_first_session,
    plan_continues,
    plan_days,
    reference_for,
    session_times,
    time_zone_choices,
)
from .views import plan_ics_view, plan_view

__all__ = [
    "ALARM_MINUTES_BEFORE",
    "BIRTH_DATE_FUTURE",
    "BIRTH_DATE_INVALID",
    "BIRTH_DATE_TOO_OLD",
    "CONCEPTION_DATE_PAST",
    "CONCEPTION_DATE_TOO_FAR",
    "DEFAULT_REMINDER_TIME",
    "DEFAULT_SESSION_MINUTES",
    "DEFAULT_TIME_ZONE",
    "EVENING",
    "INDONESIAN_TIME_ZONES",
    "LAST_SESSION",
    "MAX_FIELD_CHARS",
    "MAX_PLAN_DAYS",
    "MIN_SESSION_GAP",
    "OPEN_ENDED_DAYS",
    "PLAN_ALREADY_OVER",
    "PREGNANCY_DATE_FUTURE",
    "PREGNANCY_DATE_TOO_OLD",
    "PlanDay",
    "PlanForm",
    "REFERENCES",
    "REMINDER_TIME_INVALID",
    "REMINDER_TIME_TOO_LATE",
    "Reference",
    "TIME_ZONE_UNKNOWN",
    "latest_first_session",
    "plan_calendar",
    "plan_continues",
    "plan_days",
    "plan_ics_view",
    "plan_view",
    "reference_for",
    "session_times",
    "time_zone_choices",
]
