"""The plan: a guide's schedule laid out from the baby's birth date, and its calendar file."""

from django.http import Http404
from django.template.response import TemplateResponse


def plan_view(request, page):
    return TemplateResponse(request, "guides/plan.html", {"page": page, "self": page})


def plan_ics_view(request, page):
    raise Http404
