"""Staff views: the CSV export of confirmed sign-ups, for holders of `leads.export_signups`."""

from __future__ import annotations

import csv

from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from .selectors import signups_confirmed

EXPORT_FORBIDDEN = _("You do not have permission to export sign-ups.")

EXPORT_PERMISSION = "leads.export_signups"
EXPORT_COLUMNS = (
    "name", "email", "whatsapp", "stage", "due_date", "birth_date", "language", "confirmed_at",
)  # fmt: skip


def export_signups_csv(request):
    if not request.user.has_perm(EXPORT_PERMISSION):
        # A plain 403 (not the admin's redirect to its dashboard): scripts and staff see it.
        return HttpResponseForbidden(EXPORT_FORBIDDEN)
    signups = list(signups_confirmed())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="asih-sign-ups-{stamp}.csv"'
    add_never_cache_headers(response)
    response.write("\ufeff")  # so spreadsheet programs read the names as UTF-8
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for signup in signups:
        writer.writerow([_cell(getattr(signup, column)) for column in EXPORT_COLUMNS])
    # Who took personal data out of the system, and how much: in the audit log.
    log(request.user, "leads.export_signups", user=request.user, data={"rows": len(signups)})
    return response


def _cell(value) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # A cell starting with = + - @ is run as a formula by spreadsheets: defuse it.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
