"""Writes of the share count: record one share; purge the day-old dedupe marks.

The count is not part of any page's HTML (the share bar's script reads it from `/api/share/`),
so a share retires no cached page.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .models import NETWORK_CODES, ShareCount, ShareMark

SHARE_UNKNOWN_NETWORK = _("This way of sharing is not known.")
SHARE_NOT_A_GUIDE = _("Only a published guide can be shared.")

# One network (an IPv4 /24, an IPv6 /48: one organisation or provider's customer) adds at most
# this many to a guide's count a day, however many addresses it uses.
SHARE_NETWORK_DAILY_CAP = 10


@dataclass(frozen=True)
class ShareResult:
    counted: bool  # False when this visitor was already counted for this guide today
    total: int


def _mark_digest(visitor: str, page_id: int, day: datetime.date) -> str:
    # Salted with the secret key so a leaked table cannot be matched against guessed visitors.
    text = f"{settings.SECRET_KEY}|{visitor}|{page_id}|{day.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()


def _visitor_and_network(visitor: str) -> tuple[str, str]:
    """Who counts once, and the wider network that is capped, for a client address.

    An IPv6 host has a whole /64 to itself (it can take a new address for every request), so
    the /64 is one visitor; IPv4 addresses stay single. The capped network is the IPv4 /24 or
    the IPv6 /48. A `visitor` that is not an address (an already hashed key) is its own both.
    """
    try:
        address = ipaddress.ip_address(visitor.strip())
    except ValueError:
        return visitor, visitor
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.version == 6:
        one = ipaddress.ip_network(f"{address}/64", strict=False)
        wide = ipaddress.ip_network(f"{address}/48", strict=False)
        return str(one), str(wide)
    return str(address), str(ipaddress.ip_network(f"{address}/24", strict=False))


def _claim(mark: ShareMark) -> bool:
    """Store one mark; False when it was already there (uniqueness is left to the database)."""
    mark.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            mark.save()
    except IntegrityError:
        return False
    return True


def _shareable_guide(page: Page | None) -> Page:
    from asih.guides.models import GuidePage

    if page is None or not page.live or not isinstance(page.specific, GuidePage):
        raise ValidationError(SHARE_NOT_A_GUIDE, code="not_a_guide")
    return page.specific


def share_record(
    *, page: Page | None, network: str, visitor: str, now: datetime.datetime | None = None
) -> ShareResult:
    """Count one use of a share control, once per visitor per guide per (local) day, and at
    most SHARE_NETWORK_DAILY_CAP per network per guide per day.

    `visitor` is the client's address (`client_ip(request)`; an IPv6 /64 is one visitor) or an
    already hashed key. Only hashes with the secret key, the guide and the day are stored, never
    an address. Marks of earlier days are deleted on the way.
    """
    if network not in NETWORK_CODES:
        raise ValidationError(SHARE_UNKNOWN_NETWORK, code="unknown_network")
    page = _shareable_guide(page)
    now = now or timezone.now()
    day = timezone.localdate(now)
    one, wide = _visitor_and_network(visitor)
    mark = ShareMark(
        digest=_mark_digest(one, page.pk, day),
        network_digest=_mark_digest(f"net|{wide}", page.pk, day),
        day=day,
    )
    if not _claim(mark):
        return ShareResult(counted=False, total=_total_of(page))
    if ShareMark.objects.filter(network_digest=mark.network_digest).count() > (
        SHARE_NETWORK_DAILY_CAP
    ):
        # The network has added its share today; the visitor stays marked, so it is not asked
        # again. (Two racing requests may both give up: the count errs low, never high.)
        return ShareResult(counted=False, total=_total_of(page))

    with transaction.atomic():
        row, _created = ShareCount.objects.get_or_create(page=page)
        ShareCount.objects.filter(pk=row.pk).update(
            total=F("total") + 1, **{network: F(network) + 1}, last_shared_at=now
        )
        ShareMark.objects.filter(day__lt=day).delete()
    return ShareResult(counted=True, total=_total_of(page))


def _total_of(page: Page) -> int:
    return ShareCount.objects.filter(page=page).values_list("total", flat=True).first() or 0


def share_marks_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the dedupe marks of earlier days; returns how many went (a retention rule, so
    the daily `purge_expired_data` removes them even on days nobody shares)."""
    today = timezone.localdate(now) if now else timezone.localdate()
    deleted, _detail = ShareMark.objects.filter(day__lt=today).delete()
    return deleted
