"""Reads of the share count: one guide's total, and the per-guide listing for the admin."""

from django.db.models import QuerySet

from .models import ShareCount


def share_total(page) -> int:
    if page is None or not page.pk:
        return 0
    return ShareCount.objects.filter(page_id=page.pk).values_list("total", flat=True).first() or 0


def share_counts_listing() -> QuerySet[ShareCount]:
    """Every shared guide with its language, most shared first."""
    return ShareCount.objects.select_related("page", "page__locale").order_by(
        "-total", "-last_shared_at"
    )
