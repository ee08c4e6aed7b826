"""Medical review: approval records it on the guide; selectors list guides whose review is due."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from asih.core.models import Clinician


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def clinician_profile(user, *, language: str | None = None) -> Clinician | None:
    """The user's public clinician profile (in `language` when it has that translation)."""
    if user is None or not user.is_authenticated:
        return None
    profiles = Clinician.objects.filter(user=user).exclude(name="").exclude(credentials="")
    profiles = profiles.select_related("locale")
    chosen = None
    for profile in profiles:
        if chosen is None or profile.locale.language_code == language:
            chosen = profile
    return chosen


def records_review(obj) -> bool:
    return hasattr(obj, "reviewer_id") and hasattr(obj, "next_review_due")


def needs_profile_to_approve(user, obj) -> bool:
    """A non-superuser approving a guide must first have a public clinician profile."""
    if user.is_superuser or not records_review(obj):
        return False
    return clinician_profile(user) is None


def guide_review_record(*, revision, user, today: date | None = None) -> bool:
    """Write reviewer, review date and next review date into the revision being approved.

    Called inside the approval, before the workflow publishes that revision, so the live page,
    its PDF and JSON-LD show who reviewed it. A superuser without a clinician profile may still
    approve (publish) but is not a medical reviewer: nothing is recorded. True if recorded.
    """
    obj = revision.content_object
    if not records_review(obj):
        return False
    language = getattr(getattr(obj, "locale", None), "language_code", None)
    profile = clinician_profile(user, language=language)
    if profile is None:
        return False
    today = today or timezone.localdate()
    # The workflow publishes the object's latest revision: that is where the review belongs.
    for target in {revision, obj.get_latest_revision() or revision}:
        target.content["reviewer"] = profile.pk
        target.content["last_reviewed"] = today.isoformat()
        target.content["next_review_due"] = add_months(
            today, settings.ASIH_REVIEW_INTERVAL_MONTHS
        ).isoformat()
        target.save(update_fields=["content"])
    return True


def guides_due_for_review(*, today: date | None = None):
    """Live guides never reviewed, past their next review, or due within ASIH_REVIEW_SOON_DAYS."""
    from django.db.models import F, Q

    from asih.guides.models import GuidePage

    today = today or timezone.localdate()
    soon = today + timedelta(days=settings.ASIH_REVIEW_SOON_DAYS)
    return (
        GuidePage.objects.live()
        .filter(Q(next_review_due__lte=soon) | Q(next_review_due__isnull=True))
        .select_related("locale", "reviewer")
        # Dated reviews first (the most overdue on top), then guides never reviewed.
        .order_by(F("next_review_due").asc(nulls_last=True), "title")
    )
