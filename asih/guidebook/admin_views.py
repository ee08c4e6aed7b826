"""The staff's view of the complete guide: every stage in every language, ready to download."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from asih.guides.models import StageIndexPage

from .selectors import GuidebookUnavailable, guidebook_stages, stage_in_language
from .services import cached_guidebook
from .views import pdf_response


def index(request):
    rows = []
    for stage in guidebook_stages():
        for code, name in settings.LANGUAGES:
            try:
                translated = stage_in_language(stage, code)
            except GuidebookUnavailable:
                continue
            cached = cached_guidebook(stage=translated, language=code)
            rows.append(
                {
                    "stage": translated,
                    "language": code,
                    "language_name": name,
                    "size": cached.stat().st_size if cached else None,
                }
            )
    return TemplateResponse(
        request,
        "guidebook/admin/index.html",
        {"rows": rows, "page_title": _("Complete guide (PDF)")},
    )


def download(request, stage_id: int, language: str):
    stage = get_object_or_404(StageIndexPage, pk=stage_id)
    try:
        return pdf_response(stage=stage, language=language)
    except GuidebookUnavailable as error:
        raise Http404 from error
