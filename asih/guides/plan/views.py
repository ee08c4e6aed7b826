"""The plan page and its calendar download."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.formats import time_format
from django.utils.http import content_disposition_header

from .calendar import plan_calendar
from .forms import PlanForm
from .schedule import (
    DEFAULT_SESSION_MINUTES,
    plan_continues,
    plan_days,
    reference_for,
    session_times,
)


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
