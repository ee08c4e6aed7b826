"""The plan form: birth date, time zone, reminder time, with clear messages."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .schedule import (
    BIRTH_DATE_INVALID,
    DEFAULT_REMINDER_TIME,
    DEFAULT_TIME_ZONE,
    MAX_FIELD_CHARS,
    PLAN_ALREADY_OVER,
    REMINDER_TIME_INVALID,
    REMINDER_TIME_TOO_LATE,
    TIME_ZONE_UNKNOWN,
    latest_first_session,
    plan_days,
    reference_for,
    time_zone_choices,
)


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
