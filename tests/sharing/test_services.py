"""Recording shares: once per visitor per guide per day, per network; old marks purged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from asih.core.signals import public_content_changed
from asih.sharing.models import ShareCount, ShareMark
from asih.sharing.services import (
    SHARE_NOT_A_GUIDE,
    SHARE_UNKNOWN_NETWORK,
    share_marks_purge,
    share_record,
)

NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def guide(oxytocin):
    return oxytocin["id"]


def test_one_visitor_counts_once_a_day(db, guide):
    first = share_record(page=guide, network="whatsapp", visitor="v1", now=NOW)
    again = share_record(page=guide, network="facebook", visitor="v1", now=NOW)
    assert (first.counted, first.total) == (True, 1)
    assert (again.counted, again.total) == (False, 1)
    row = ShareCount.objects.get(page=guide)
    assert (row.total, row.whatsapp, row.facebook) == (1, 1, 0)
    assert row.last_shared_at == NOW


def test_a_second_visitor_counts(db, guide):
    share_record(page=guide, network="whatsapp", visitor="v1", now=NOW)
    result = share_record(page=guide, network="telegram", visitor="v2", now=NOW)
    assert (result.counted, result.total) == (True, 2)
    row = ShareCount.objects.get(page=guide)
    assert (row.whatsapp, row.telegram) == (1, 1)


def test_the_same_visitor_counts_again_the_next_day(db, guide):
    share_record(page=guide, network="whatsapp", visitor="v1", now=NOW)
    result = share_record(
        page=guide, network="whatsapp", visitor="v1", now=NOW + datetime.timedelta(days=1)
    )
    assert (result.counted, result.total) == (True, 2)


def test_each_guide_and_language_is_counted_apart(db, oxytocin):
    share_record(page=oxytocin["id"], network="copy", visitor="v1", now=NOW)
    result = share_record(page=oxytocin["en"], network="copy", visitor="v1", now=NOW)
    assert (result.counted, result.total) == (True, 1)
    assert ShareCount.objects.get(page=oxytocin["id"]).copy == 1


def test_marks_keep_no_visitor_or_page_readable(db, guide):
    share_record(page=guide, network="email", visitor="visitor-key-123", now=NOW)
    mark = ShareMark.objects.get()
    assert len(mark.digest) == 64
    assert "visitor-key-123" not in mark.digest and str(guide.pk) not in mark.digest[:4]
    assert mark.day == timezone.localdate(NOW)


def test_marks_of_earlier_days_are_purged(db, guide):
    share_record(page=guide, network="email", visitor="v1", now=NOW)
    share_record(page=guide, network="email", visitor="v1", now=NOW + datetime.timedelta(days=2))
    assert list(ShareMark.objects.values_list("day", flat=True)) == [
        timezone.localdate(NOW + datetime.timedelta(days=2))
    ]
    ShareMark.objects.create(digest="x" * 64, day=datetime.date(2026, 1, 1))
    assert share_marks_purge(now=datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC)) == 1
    assert ShareMark.objects.count() == 1


@pytest.mark.parametrize("network", ["", "whatsapp ", "WhatsApp", "instagram", "total"])
def test_unknown_network_is_refused(db, guide, network):
    with pytest.raises(ValidationError) as caught:
        share_record(page=guide, network=network, visitor="v1", now=NOW)
    assert caught.value.messages == [str(SHARE_UNKNOWN_NETWORK)]
    assert not ShareCount.objects.exists() and not ShareMark.objects.exists()


def test_only_live_guides_can_be_shared(db, guide):
    home = guide.get_parent().get_parent()
    for page in (None, home, guide.get_parent()):
        with pytest.raises(ValidationError) as caught:
            share_record(page=page, network="whatsapp", visitor="v1", now=NOW)
        assert caught.value.messages == [str(SHARE_NOT_A_GUIDE)]
    guide.unpublish()
    guide.refresh_from_db()
    with pytest.raises(ValidationError):
        share_record(page=guide, network="whatsapp", visitor="v1", now=NOW)
    assert not ShareCount.objects.exists()


def test_a_share_announces_no_page_change(db, guide, django_capture_on_commit_callbacks):
    """No page shows the count in its HTML (share.js reads it): nothing cached is retired."""
    heard = []

    def receiver(sender, pages, **kwargs):
        heard.append(list(pages))

    public_content_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            share_record(page=guide, network="whatsapp", visitor="v1", now=NOW)
    finally:
        public_content_changed.disconnect(receiver)
    assert heard == []
    assert ShareCount.objects.get(page=guide).total == 1


def test_old_marks_go_with_the_daily_retention_run(db, guide):
    from asih.core import privacy

    share_record(page=guide, network="whatsapp", visitor="v1", now=NOW)
    share_record(page=guide, network="copy", visitor="v2", now=NOW)
    assert ShareMark.objects.count() == 2
    deleted = privacy.purge_expired(now=NOW + datetime.timedelta(days=1))
    assert deleted["share dedupe marks"] == 2
    assert not ShareMark.objects.exists()
    assert ShareCount.objects.get(page=guide).total == 2  # the count itself stays
