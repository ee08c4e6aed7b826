"""The public listing: threads, replies, staff answers to replies, and nothing unapproved."""

import pytest

from asih.comments import services
from asih.comments.selectors import comment_listing, reply_target

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_threads_newest_first_with_replies_oldest_first(guide, staff_user):
    old = CommentFactory(page=guide, body="lama")
    new = CommentFactory(page=guide, body="baru")
    first = CommentFactory(page=guide, parent=old, body="balasan 1")
    second = CommentFactory(page=guide, parent=old, body="balasan 2")
    answer = services.comment_reply_as_staff(parent=first, user=staff_user, body="jawaban")
    listing = comment_listing(page=guide)
    assert [t.comment for t in listing.threads] == [new, old]
    assert listing.threads[1].replies == [first, second, answer]
    assert listing.threads[1].answered_by_clinic and not listing.threads[0].answered_by_clinic
    assert listing.threads[1].replies[2].parent.name == first.name
    assert listing.count == 5


def test_unapproved_never_listed_nor_named(guide, staff_user):
    top = CommentFactory(page=guide)
    pending = CommentFactory(page=guide, parent=top, status="pending", name="Belum Disetujui")
    services.comment_reply_as_staff(parent=pending, user=staff_user, body="jawaban")
    CommentFactory(page=guide, status="spam")
    CommentFactory(page=guide, status="rejected")
    listing = comment_listing(page=guide)
    assert [t.comment for t in listing.threads] == [top]
    assert listing.threads[0].replies == []
    assert listing.count == 1


def test_removed_question_keeps_answer_but_is_not_counted(guide, staff_user):
    question = CommentFactory(page=guide, email="rina@example.test")
    answer = services.comment_reply_as_staff(parent=question, user=staff_user, body="jawaban")
    services.comment_erase_for_email(email="rina@example.test")
    listing = comment_listing(page=guide)
    assert listing.threads[0].comment.is_removed
    assert listing.threads[0].replies == [answer]
    assert listing.count == 1


def test_other_pages_comments_not_listed(guide, oxytocin):
    CommentFactory(page=oxytocin["en"])
    assert comment_listing(page=guide).count == 0


def test_reply_target_only_approved_on_this_page(guide, oxytocin):
    ok = CommentFactory(page=guide)
    assert reply_target(page=guide, comment_id=str(ok.pk)) == ok
    assert reply_target(page=guide, comment_id="x") is None
    assert (
        reply_target(page=guide, comment_id=CommentFactory(page=guide, status="pending").pk) is None
    )
    assert reply_target(page=guide, comment_id=CommentFactory(page=oxytocin["en"]).pk) is None
