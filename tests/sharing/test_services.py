"""Recording shares: once per visitor per guide per day, per network, with throttled refreshes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from asih.core.signals import public_content_changed
from asih.sharing.models import ShareCount, ShareMark
from asih.sharing.services import (
    SHARE_NOT_A_GUIDE,
    SHARE_UNKNOWN_NETWORK,
    share_counts_announce,
    share_marks_purge,
    share_record,
)

NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def guide(oxytocin):
    return oxytocin["id"]


@pytest.fixture
def refreshed():
    """The pages each public_content_changed signal named, in order."""
    calls = []

    def receiver(sender, pages, **kwargs):
        calls.append([page.pk for page in pages])

    public_content_changed.connect(receiver)
    yield calls
    public_content_changed.disconnect(receiver)


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
    assert share_marks_purge(today=datetime.date(2026, 11, 22)) == 1
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


def test_page_refresh_is_sent_at_most_once_per_interval(
    db, guide, refreshed, settings, django_capture_on_commit_callbacks
):
    settings.ASIH_SHARE_REFRESH_SECONDS = 300
    later = NOW + datetime.timedelta(seconds=60)
    with django_capture_on_commit_callbacks(execute=True):
        share_record(page=guide, network="whatsapp", visitor="v1", now=NOW)
    assert refreshed == [[guide.pk]]
    with django_capture_on_commit_callbacks(execute=True):
        share_record(page=guide, network="whatsapp", visitor="v2", now=later)
        share_record(page=guide, network="whatsapp", visitor="v3", now=later)
    assert refreshed == [[guide.pk]]  # within the interval: the page is not refreshed again

    # The periodic catch-up refreshes it once the interval has passed, and only once.
    with django_capture_on_commit_callbacks(execute=True):
        assert share_counts_announce(now=NOW + datetime.timedelta(seconds=299)) == 0
        assert share_counts_announce(now=NOW + datetime.timedelta(seconds=300)) == 1
        assert share_counts_announce(now=NOW + datetime.timedelta(seconds=900)) == 0
    assert refreshed == [[guide.pk], [guide.pk]]


def test_a_share_after_the_interval_refreshes_at_once(
    db, guide, refreshed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        share_record(page=guide, network="whatsapp", visitor="v1", now=NOW)
        share_record(
            page=guide, network="whatsapp", visitor="v2", now=NOW + datetime.timedelta(minutes=6)
        )
    assert refreshed == [[guide.pk], [guide.pk]]


def test_a_repeat_share_does_not_refresh(db, guide, refreshed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        share_record(page=guide, network="whatsapp", visitor="v1", now=NOW)
        share_record(
            page=guide, network="whatsapp", visitor="v1", now=NOW + datetime.timedelta(hours=1)
        )
    assert refreshed == [[guide.pk]]


def test_management_command_catches_up_and_purges(
    db, guide, refreshed, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    old = timezone.now() - datetime.timedelta(days=3)
    share_record(page=guide, network="whatsapp", visitor="v1", now=old)
    pending = old + datetime.timedelta(minutes=1)
    share_record(page=guide, network="whatsapp", visitor="v2", now=pending)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("announce_share_counts", stdout=out)
    assert out.getvalue().strip() == "1 page(s) refreshed, 2 old mark(s) purged"
    assert refreshed == [[guide.pk]]
    assert not ShareMark.objects.exists()


# --- Issue 15, item 13: an IPv6 /64 is one visitor; one network adds at most a few ----------


def test_an_ipv6_host_counts_once_whatever_address_of_its_64_it_uses(db, guide):
    counted = [
        share_record(page=guide, network="whatsapp", visitor=f"2001:db8:1:2::{n:x}", now=NOW)
        for n in range(1, 6)
    ]
    assert [r.counted for r in counted] == [True, False, False, False, False]
    assert ShareCount.objects.get(page=guide).total == 1
    # Another /64 is another household.
    assert share_record(page=guide, network="whatsapp", visitor="2001:db8:1:3::1", now=NOW).counted


def test_one_network_adds_at_most_the_cap_to_a_guide_a_day(db, guide):
    from asih.sharing.services import SHARE_NETWORK_DAILY_CAP

    for n in range(SHARE_NETWORK_DAILY_CAP + 20):  # many /64s of one /48, many hosts of one /24
        share_record(page=guide, network="whatsapp", visitor=f"2001:db8:1:{n:x}::1", now=NOW)
        share_record(page=guide, network="copy", visitor=f"198.51.100.{n + 1}", now=NOW)
    assert ShareCount.objects.get(page=guide).total == 2 * SHARE_NETWORK_DAILY_CAP
    # Another network still counts, and tomorrow the network may count again.
    assert share_record(page=guide, network="x", visitor="203.0.113.9", now=NOW).counted
    tomorrow = NOW + datetime.timedelta(days=1)
    assert share_record(page=guide, network="x", visitor="198.51.100.1", now=tomorrow).counted
    # No address is stored, only keyed hashes.
    assert not ShareMark.objects.filter(digest__contains="198.51").exists()
