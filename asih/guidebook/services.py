"""Writes for the complete guide: build (and cache) a stage's PDF, sign and check download links."""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from asih.core.public_address import public_origin
from asih.guides.models import StageIndexPage

from . import pdf
from .selectors import (
    GuidebookUnavailable,
    clinic_for,
    content_date,
    guidebook_guides,
    guidebook_version,
    stage_in_language,
    stage_key,
)

logger = logging.getLogger(__name__)

SIGNING_SALT = "asih.guidebook.download"
DEFAULT_LINK_DAYS = 7
CACHE_DIR_NAME = "guidebook"

__all__ = [
    "GuidebookLinkExpired",
    "GuidebookLinkInvalid",
    "GuidebookUnavailable",
    "guidebook_build",
    "guidebook_download_path",
    "guidebook_filename",
    "guidebook_link_read",
]


class GuidebookLinkInvalid(Exception):
    """The download token was altered, truncated or names a stage that no longer exists."""


class GuidebookLinkExpired(GuidebookLinkInvalid):
    """The download token is genuine but older than the link lifetime."""


@dataclass(frozen=True)
class GuidebookRequest:
    stage: StageIndexPage  # in the requested language
    language: str


def link_max_age() -> int:
    return int(getattr(settings, "ASIH_GUIDEBOOK_LINK_DAYS", DEFAULT_LINK_DAYS)) * 24 * 3600


def cache_dir() -> Path:
    """Where the PDFs live: MEDIA_ROOT/guidebook unless ASIH_GUIDEBOOK_DIR says otherwise."""
    configured = getattr(settings, "ASIH_GUIDEBOOK_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / CACHE_DIR_NAME


def guidebook_path(*, stage: StageIndexPage, language: str, version: str) -> Path:
    return cache_dir() / f"{stage_key(stage)}-{language}-{version}.pdf"


def guidebook_filename(*, stage: StageIndexPage, language: str) -> str:
    """The download name: panduan-lengkap-<stage>.pdf in Indonesian, complete-guide-<stage>.pdf."""
    translated = stage_in_language(stage, language)
    prefix = "panduan-lengkap" if language == "id" else "complete-guide"
    return f"{prefix}-{translated.slug}.pdf"


def cached_guidebook(*, stage: StageIndexPage, language: str) -> Path | None:
    """The newest PDF on disk for a stage (one language), current or not, without building."""
    newest, newest_time = None, -1.0
    for path in cache_dir().glob(f"{stage_key(stage)}-{language}-*.pdf"):
        try:
            modified = path.stat().st_mtime
        except FileNotFoundError:  # replaced by a concurrent rebuild
            continue
        if modified > newest_time:
            newest, newest_time = path, modified
    return newest


def guidebook_build(*, stage: StageIndexPage, language: str) -> Path:
    """The PDF of a stage's live guides in a language: the cached file, built when out of date.

    Raises GuidebookUnavailable when the stage has no live translation in that language.
    """
    translated = stage_in_language(stage, language)
    guides = guidebook_guides(translated)
    clinic = clinic_for(translated)
    version = guidebook_version(stage=translated, guides=guides, clinic=clinic)
    target = guidebook_path(stage=translated, language=language, version=version)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    origin = public_origin()
    context = {
        "stage": translated,
        "guides": guides,
        "clinic": clinic,
        "content_date": content_date(guides),
        "language": language,
        "origin": origin,
    }
    html = pdf.render_html(context, language)
    # Write beside the target and rename: a reader never gets half a file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    try:
        pdf.write_pdf(html=html, origin=origin, target=Path(temporary))
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    _delete_old_versions(keep=target, stage=translated, language=language)
    logger.info("guidebook built: %s (%d bytes)", target.name, target.stat().st_size)
    return target


def _delete_old_versions(*, keep: Path, stage: StageIndexPage, language: str) -> None:
    for old in keep.parent.glob(f"{stage_key(stage)}-{language}-*.pdf"):
        if old != keep:
            old.unlink(missing_ok=True)


def guidebook_download_path(*, stage: StageIndexPage, language: str) -> str:
    """A signed path (no host) from which the stage's PDF in `language` downloads until it expires.

    Raises GuidebookUnavailable when the stage has no live translation in that language.
    """
    translated = stage_in_language(stage, language)
    token = signing.dumps({"s": translated.pk, "l": language}, salt=SIGNING_SALT)
    with translation.override(language):
        return reverse("guidebook:download", kwargs={"token": token})


def guidebook_link_read(token: str) -> GuidebookRequest:
    """The stage and language a download token stands for, or GuidebookLinkExpired/Invalid."""
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=link_max_age())
    except signing.SignatureExpired as error:
        raise GuidebookLinkExpired(token) from error
    except signing.BadSignature as error:
        raise GuidebookLinkInvalid(token) from error
    try:
        stage = StageIndexPage.objects.get(pk=int(data["s"]))
        language = str(data["l"])
        return GuidebookRequest(stage=stage_in_language(stage, language), language=language)
    except (KeyError, TypeError, ValueError, StageIndexPage.DoesNotExist) as error:
        raise GuidebookLinkInvalid(token) from error
    except GuidebookUnavailable as error:
        raise GuidebookLinkInvalid(token) from error


def guidebook_refresh(*, stage: StageIndexPage, language: str) -> Path | None:
    """Rebuild a stage's PDF after a publish, but only if it was ever built (else on first use)."""
    try:
        translated = stage_in_language(stage, language)
    except GuidebookUnavailable:
        return None
    if cached_guidebook(stage=translated, language=language) is None:
        return None
    return guidebook_build(stage=translated, language=language)
