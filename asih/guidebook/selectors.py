"""Reads for the complete guide: which stage and guides it holds and its content version."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone
from wagtail.models import Locale, Page

from asih.core.models import ClinicSettings
from asih.core.public_address import public_origin
from asih.core.visibility import public_pages
from asih.guides.models import GuidePage, StageIndexPage

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "guidebook" / "pdf"
PRINT_STYLESHEET = "asih/css/guidebook-print.css"


class GuidebookUnavailable(Exception):
    """The stage has no public translation in that language (or is not public at all)."""


def stage_in_language(stage: StageIndexPage, language: str) -> StageIndexPage:
    """The live translation of a stage in a language (the stage itself when it already is)."""
    try:
        locale = Locale.objects.get(language_code=language)
    except Locale.DoesNotExist as error:
        raise GuidebookUnavailable(language) from error
    if stage.locale_id == locale.pk:
        translated = stage
    else:
        translated = stage.get_translation_or_none(locale)
    if translated is None or not public_pages(Page.objects.filter(pk=translated.pk)).exists():
        raise GuidebookUnavailable(f"{stage.pk}/{language}")
    return translated.specific if not isinstance(translated, StageIndexPage) else translated


def stage_key(stage: StageIndexPage) -> str:
    """The stage's slug in the default language: the same for every translation, used in files."""
    default = stage.get_translation_or_none(Locale.get_default()) or stage
    return default.slug


def guidebook_stages() -> list[StageIndexPage]:
    """The public stages in the default language, in menu order."""
    return list(
        public_pages(StageIndexPage.objects).filter(locale=Locale.get_default()).order_by("path")
    )


def guidebook_guides(stage: StageIndexPage) -> list[GuidePage]:
    """The public guides of a stage (one language), in menu order, with what the PDF prints."""
    return list(
        stage.guides().select_related("author", "reviewer", "hero_image", "latest_revision")
    )


def clinic_for(stage: StageIndexPage) -> ClinicSettings:
    return ClinicSettings.for_site(stage.get_site())


def content_date(guides: list[GuidePage]):
    """The date of the content: the latest publication among the included guides."""
    dates = [guide.last_published_at for guide in guides if guide.last_published_at]
    return timezone.localdate(max(dates)) if dates else None


@cache
def _template_fingerprint() -> str:
    """A hash of the PDF templates and stylesheet, so a new layout makes a new version."""
    digest = hashlib.sha256()
    files = sorted(TEMPLATE_DIR.rglob("*.html"))
    stylesheet = finders.find(PRINT_STYLESHEET)
    if stylesheet:
        files.append(Path(stylesheet))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def _catalog_fingerprint(language: str) -> str:
    """A hash of the compiled translations of a language: new wording makes a new version."""
    digest = hashlib.sha256()
    for root in settings.LOCALE_PATHS:
        catalog = Path(root) / language / "LC_MESSAGES" / "django.mo"
        if catalog.exists():
            digest.update(catalog.read_bytes())
    return digest.hexdigest()


def guidebook_version(
    *, stage: StageIndexPage, guides: list[GuidePage], clinic: ClinicSettings
) -> str:
    """The content version of one stage's PDF in one language (changes when what it shows does)."""
    parts = {
        "stage": [stage.pk, stage.title, stage.locale_id],
        "guides": [
            [
                guide.pk,
                guide.latest_revision_id,
                guide.last_published_at,
                guide.author and [guide.author.name, guide.author.role],
                guide.reviewer and [guide.reviewer.name, guide.reviewer.credentials],
                [str(guide.last_reviewed), str(guide.next_review_due)],
            ]
            for guide in guides
        ],
        "clinic": [
            clinic.name,
            clinic.logo_id and clinic.logo.file.name,
            clinic.address,
            clinic.whatsapp_number,
            list(clinic.opening_hours.raw_data) if clinic.opening_hours else [],
        ],
        "origin": public_origin(),  # the PDF's links
        "templates": _template_fingerprint(),
        "catalog": _catalog_fingerprint(stage.locale.language_code),
    }
    encoded = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]
