"""Serves the complete guide from a signed link (readers) and from the admin (staff)."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .services import (
    GuidebookLinkExpired,
    GuidebookLinkInvalid,
    GuidebookUnavailable,
    guidebook_build,
    guidebook_filename,
    guidebook_link_read,
    link_max_age,
)


def pdf_response(*, stage, language: str) -> FileResponse:
    """The stage's current PDF as an attachment (built first if its content changed)."""
    path = guidebook_build(stage=stage, language=language)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        # A concurrent rebuild replaced it between the check and the open: build again.
        handle = guidebook_build(stage=stage, language=language).open("rb")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=guidebook_filename(stage=stage, language=language),
        content_type="application/pdf",
    )
    # The link is per reader: no shared cache keeps it; the file itself is the same for all.
    response["Cache-Control"] = "private"
    return response


def _problem(request, template: str, status: int):
    context = {"link_days": link_max_age() // (24 * 3600)}
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response


def download(request, token: str):
    """A reader's signed link: the PDF, or a page in the link's language saying what to do."""
    try:
        link = guidebook_link_read(token)
    except GuidebookLinkExpired:
        return _problem(request, "guidebook/link_expired.html", 410)
    except GuidebookLinkInvalid:
        return _problem(request, "guidebook/link_invalid.html", 400)
    try:
        return pdf_response(stage=link.stage, language=link.language)
    except GuidebookUnavailable:
        return _problem(request, "guidebook/link_invalid.html", 404)
