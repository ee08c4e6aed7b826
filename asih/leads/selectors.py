"""Reads: confirmed sign-ups for staff, the stage page a sign-up's guide comes from, CTA guides."""

from __future__ import annotations

from django.db.models import QuerySet

from asih.guides.keys import translation_key
from asih.guides.models import GuidePage, StageIndexPage

from .models import SignUp, SignUpLink, Stage
from .tokens import hash_token


def signups_confirmed() -> QuerySet[SignUp]:
    """Confirmed readers who have not unsubscribed, oldest first (what staff may export)."""
    return SignUp.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True).order_by(
        "confirmed_at", "pk"
    )


def stage_page_for(stage: str, language: str) -> StageIndexPage | None:
    """The live stage page of a sign-up's stage in a language (falls back to Indonesian).

    Found by the page's stage field, so a page built in the admin serves as well as a loaded
    one; should a language have two of a stage (a copy), the first in the tree is the one.
    """
    if stage not in Stage.values:
        return None
    pages = (
        StageIndexPage.objects.live()
        .public()
        .filter(stage=stage)
        .select_related("locale")
        .order_by("path")
    )
    by_language = {}
    for page in pages:
        by_language.setdefault(page.locale.language_code, page)
    return by_language.get(language) or by_language.get("id")


def stage_for_page(stage_page) -> str:
    """The sign-up stage matching a stage page (the one a guide sits under), or "".

    Takes a StageIndexPage or any page carrying a ``stage`` value (a guide's ancestors come
    annotated with it, see GuidePage.get_context); a page without one offers no stage.
    """
    value = getattr(stage_page, "stage", None) or ""
    return value if value in Stage.values else ""


# Wagtail's page ids are 32-bit. A GuidePage's pk is its link to Page (a one-to-one field), which
# Django does not range-check: a larger number reached the database and failed there (a 500).
PAGE_ID_MAX = 2**31 - 1


def guide_by_id(value) -> GuidePage | None:
    """A live guide from a ?panduan= parameter; anything else is simply no guide."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    if not 1 <= pk <= PAGE_ID_MAX:
        return None
    return GuidePage.objects.live().public().filter(pk=pk).first()


# The content loader's key of the guide that lists the signs to go to a facility at once.
DANGER_SIGNS_GUIDE_KEY = "guide:tanda-bahaya-kehamilan"


def danger_signs_guide(language: str) -> GuidePage | None:
    """The live danger-signs guide in a language (falls back to Indonesian), or None."""
    pages = (
        GuidePage.objects.live()
        .public()
        .filter(translation_key=translation_key(DANGER_SIGNS_GUIDE_KEY))
    )
    by_language = {page.locale.language_code: page for page in pages.select_related("locale")}
    return by_language.get(language) or by_language.get("id")


def signup_of_link(token: str) -> SignUp | None:
    """The sign-up a confirmation link belongs to, whatever its state (used, expired).

    For the page that answers a link that no longer works: it offers what the reader came for
    (the guide again, a sign-up for the same stage) instead of a bare refusal.
    """
    # Each request has its own link (issue 15): a used or expired one is kept until the next
    # request for the address replaces it, or the daily purge.
    link = (
        SignUpLink.objects.filter(token_hash=hash_token(token)).select_related("signup").first()
        if token
        else None
    )
    return link.signup if link is not None else None
