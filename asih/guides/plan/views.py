"""The plan page, and the plan from its POST form (page or calendar file) without JavaScript."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.formats import time_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from asih.core.protection import same_origin_post

from ..session import danger_signs_guide
from .calendar import plan_calendar
from .forms import PlanForm
from .schedule import (
    ALARM_MINUTES_BEFORE,
    BIRTH_DATE_INVALID,
    DEFAULT_SESSION_MINUTES,
    EVENING,
    LAST_SESSION,
    MAX_PLAN_DAYS,
    MIN_SESSION_GAP,
    PLAN_ALREADY_OVER,
    REMINDER_TIME_INVALID,
    REMINDER_TIME_TOO_LATE,
    ZONE_SHORT_NAMES,
    last_plan_day,
    plan_continues,
    plan_days,
    reference_for,
    session_times,
    zone_short_name,
)


def guide_short_title(title: str) -> str:
    """A guide's title without its subtitle ("Name: what it does" → "Name"), for headings."""
    return title.partition(":")[0].strip() or title


def plan_post_url(page) -> str:
    """Where the plan form posts (a POST keeps the date out of addresses and access logs)."""
    with translation.override(page.locale.language_code):
        return reverse("plan_post", kwargs={"page_id": page.pk})


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
        "plan_post_url": plan_post_url(page),
        "plan_data": plan_data(page, request),
        "last_day": last_plan_day(schedule),
        "danger_guide": danger_signs_guide(page),
    }
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        days = plan_days(schedule=schedule, birth_date=data["birth_date"], today=data["today"])
        times = session_times(first=data["reminder_time"], times_per_day=schedule["times_per_day"])
        context.update(
            days=days,
            continues=plan_continues(schedule=schedule, days=days),
            session_times=[time_format(at, "H:i") for at in times],
            zone_name=zone_short_name(data["time_zone"]),
            skipped_past=bool(days)
            and days[0].number != schedule["start_day"]
            and reference_for(schedule).direction > 0,
        )
    response = TemplateResponse(request, "guides/plan.html", context, status=status)
    if form.is_bound:
        _keep_out_of_every_cache(response)
    return response


def _keep_out_of_every_cache(response):
    """A plan carries a birth date: no browser, proxy, CDN or service worker keeps it."""
    patch_cache_control(response, private=True, no_store=True)


def _session_minutes(page) -> int:
    total_time = page.total_time()
    minutes = total_time["max_minutes"] if total_time and total_time.get("max_minutes") else None
    return max(minutes or DEFAULT_SESSION_MINUTES, 5)


def _event_url(page, request) -> str:
    """Each calendar event opens the guided session (or the guide, when it has no steps)."""
    if page.steps():
        return page.subpage_url("session", request, absolute=True)
    return page.get_full_url(request)


def plan_data(page, request) -> dict:
    """What the plan script needs to lay out the plan and write the .ics in the browser."""
    schedule = page.schedule()
    reference = reference_for(schedule)
    return {
        "language": page.locale.language_code,
        "title": " ".join(guide_short_title(page.title).split()),
        "guideKey": str(page.translation_key),
        "eventUrl": _event_url(page, request),
        "filename": f"{page.slug}.ics",
        "sessionMinutes": _session_minutes(page),
        "alarmMinutes": ALARM_MINUTES_BEFORE,
        "schedule": {
            "timesPerDay": schedule["times_per_day"],
            "everyNDays": max(schedule["every_n_days"] or 1, 1),
            "relativeTo": schedule["relative_to"],
            "startDay": schedule["start_day"],
            "endDay": schedule.get("end_day"),
            "lastDay": last_plan_day(schedule),
            "focusStartDay": schedule.get("focus_start_day"),
            "focusEndDay": schedule.get("focus_end_day"),
            "note": (schedule.get("note") or "").strip(),
        },
        "reference": {
            "direction": reference.direction,
            "earliest": reference.earliest,
            "latest": reference.latest,
        },
        "limits": {
            "maxDays": MAX_PLAN_DAYS,
            "evening": EVENING.strftime("%H:%M"),
            "lastSession": LAST_SESSION.strftime("%H:%M"),
            "minGapMinutes": int(MIN_SESSION_GAP.total_seconds() // 60),
        },
        "zoneNames": ZONE_SHORT_NAMES,
        "strings": plan_strings(schedule),
    }


def plan_strings(schedule) -> dict:
    """Interface text the plan script composes (with {placeholders} it fills in)."""
    reference = reference_for(schedule)
    if schedule["relative_to"] == "pregnancy":
        day_label = gettext("Day %(day)s of pregnancy") % {"day": "{day}"}
        day_label_plural = day_label
    elif schedule["relative_to"] == "conception_plan":
        day_label = ngettext(
            "%(day)s day before you start trying", "%(day)s days before you start trying", 1
        ) % {"day": "{day}"}
        day_label_plural = ngettext(
            "%(day)s day before you start trying", "%(day)s days before you start trying", 2
        ) % {"day": "{day}"}
    else:
        day_label = gettext("Day %(day)s after birth") % {"day": "{day}"}
        day_label_plural = day_label
    alarm = ngettext(
        "%(title)s in %(minutes)s minute", "%(title)s in %(minutes)s minutes", ALARM_MINUTES_BEFORE
    )
    return {
        "dayLabel": day_label,
        "dayLabelPlural": day_label_plural,
        "sessions": ngettext("%(count)s session", "%(count)s sessions", 2) % {"count": "{count}"},
        "focus": gettext("Especially important"),
        "focusNote": gettext("One of the days this guide puts the most weight on."),
        "today": gettext("Today"),
        "sessionsAt": gettext("Sessions at %(times)s (%(zone)s time)")
        % {"times": "{times}", "zone": "{zone}"},
        "numbered": gettext("%(title)s (%(number)s of %(count)s)")
        % {"title": "{title}", "number": "{number}", "count": "{count}"},
        "alarm": alarm % {"title": "{title}", "minutes": "{minutes}"},
        "guidedSession": gettext("Guided session: %(url)s") % {"url": "{url}"},
        "errors": {
            "invalid": str(BIRTH_DATE_INVALID),
            "tooEarly": str(reference.too_early),
            "tooLate": str(reference.too_late),
            "over": str(PLAN_ALREADY_OVER),
            "timeInvalid": str(REMINDER_TIME_INVALID),
            "timeTooLate": str(REMINDER_TIME_TOO_LATE) % {"count": "{count}", "latest": "{latest}"},
        },
        "errorTitle": gettext("Please check the form"),
        "errorPrefix": gettext("Error:"),
    }


def plan_view(request, page):
    """The plan page with its empty form. A date never comes in the address: see plan_post."""
    form = PlanForm(None, schedule=page.schedule())
    return _render_plan(request, page, form)


def plan_ics_view(request, page):
    """Calendar links of the GET era: the empty plan form, without reading any date they carry."""
    response = _render_plan(request, page, PlanForm(None, schedule=page.schedule()))
    response["X-Robots-Tag"] = "noindex"
    return response


@same_origin_post
@require_http_methods(["GET", "HEAD", "POST"])
def plan_post(request, page_id: int):
    """The plan without JavaScript: the form's POST, answered no-store (the date stays out of
    URLs, logs and caches). "calendar" in the form asks for the .ics instead of the page."""
    page = get_object_or_404(Page.objects.live().public().specific(), pk=page_id)
    # Any page by its id; only a guide (a page with a schedule) has a plan.
    schedule = page.schedule() if callable(getattr(page, "schedule", None)) else None
    if schedule is None:
        raise Http404
    if request.method != "POST":
        return redirect(page.subpage_url("plan", request))
    with translation.override(page.locale.language_code):
        form = PlanForm(request.POST, schedule=schedule)
        # Rendered here, in the guide's language (the address may name the other language).
        if not form.is_valid():
            return _render_plan(request, page, form, status=400).render()
        if "calendar" not in request.POST:
            return _render_plan(request, page, form).render()
        data = form.cleaned_data
        body = plan_calendar(
            page_title=guide_short_title(page.title),
            session_url=_event_url(page, request),
            guide_key=str(page.translation_key),
            schedule=schedule,
            birth_date=data["birth_date"],
            time_zone=data["time_zone"],
            reminder_time=data["reminder_time"],
            language=page.locale.language_code,
            today=data["today"],
            session_minutes=_session_minutes(page),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{page.slug}.ics")
    response["X-Robots-Tag"] = "noindex"
    _keep_out_of_every_cache(response)
    return response
