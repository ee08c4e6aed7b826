"""comment_submit, moderation, staff answers and erasure, with the notifications they call."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from asih.comments import services, spam
from asih.comments.models import Comment
from asih.core import privacy
from asih.core.signals import public_content_changed

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(monkeypatch, django_capture_on_commit_callbacks):
    """Record calls to the notification hooks and the page-changed signal."""
    record = {"followers": [], "staff": 0, "changed": []}
    monkeypatch.setattr(
        services.notifications,
        "comment_notify_followers",
        lambda *, comment: record["followers"].append(comment),
    )

    def staff():
        record["staff"] += 1

    monkeypatch.setattr(services.notifications, "comment_notify_staff_pending", staff)

    def receiver(sender, pages, **kwargs):
        record["changed"].extend(pages)

    public_content_changed.connect(receiver, weak=False)
    # Tests run inside a transaction: `with record["commit"]():` runs the on-commit callbacks
    # (the signal is sent after commit) when the block ends, as a real commit would.
    record["commit"] = lambda: django_capture_on_commit_callbacks(execute=True)
    yield record
    public_content_changed.disconnect(receiver)


def submit(guide, data, verdict="ok", parent=None, visitor="a" * 32):
    return services.comment_submit(
        page=guide, data=data, visitor_hash=visitor, bot_verdict=verdict, parent=parent
    )


def test_submit_stores_pending_and_tells_staff(guide, valid_data, calls):
    comment = submit(guide, valid_data)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.email == "rina@example.test"  # normalised
    assert comment.language == "id"
    assert comment.follow_replies is True
    assert comment.visitor_hash == "a" * 32
    assert calls["staff"] == 1
    assert calls["changed"] == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 81),
        ("email", ""),
        ("email", "not-an-email"),
        ("email", "a" * 250 + "@ex.test"),
        ("body", ""),
        ("body", "ok"),
        ("body", "x" * 3001),
    ],
)
def test_submit_validation_errors_name_the_field(guide, valid_data, calls, field, value):
    with pytest.raises(ValidationError) as error:
        submit(guide, {**valid_data, field: value})
    assert field in error.value.message_dict
    assert Comment.objects.count() == 0
    assert calls["staff"] == 0


def test_length_limits_accept_the_edges(guide, valid_data, calls):
    comment = submit(guide, {**valid_data, "name": "n" * 80, "body": "abc"})
    assert comment.pk
    other = submit(guide, {**valid_data, "body": "y" * 3000}, visitor="b" * 32)
    assert len(other.body) == 3000


def test_honeypot_refuses_without_storing(guide, valid_data, calls):
    with pytest.raises(ValidationError) as error:
        submit(guide, {**valid_data, "website": "http://spam.test"})
    assert error.value.messages == [str(spam.HONEYPOT_MESSAGE)]
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("verdict", "reason"),
    [("spam", spam.REASON_BOT_TIMING), ("unverified", spam.REASON_UNVERIFIED)],
)
def test_bot_verdict_holds_as_spam_with_reason(guide, valid_data, calls, verdict, reason):
    comment = submit(guide, valid_data, verdict=verdict)
    assert comment.status == Comment.Status.SPAM
    assert reason in comment.spam_reasons
    assert calls["staff"] == 1


def test_link_cap_refuses_with_message_on_body(guide, valid_data, comment_settings, calls):
    body = "Lihat https://a.test dan http://b.test serta www.c.test ya"
    with pytest.raises(ValidationError) as error:
        submit(guide, {**valid_data, "body": body})
    assert error.value.message_dict["body"] == [
        str(spam.TOO_MANY_LINKS_MESSAGE) % {"limit": 2, "count": 3}
    ]
    comment_settings.max_links = 3
    comment_settings.save()
    assert submit(guide, {**valid_data, "body": body}).pk


def test_link_in_name_refused(guide, valid_data, calls):
    with pytest.raises(ValidationError) as error:
        submit(guide, {**valid_data, "name": "cheap-pills.com"})
    assert error.value.message_dict["name"] == [str(spam.LINK_IN_NAME_MESSAGE)]


def test_blocked_word_holds_as_spam(guide, valid_data, comment_settings, calls):
    comment_settings.blocked_words = "judi online\nviagra\n"
    comment_settings.save()
    comment = submit(guide, {**valid_data, "body": "Main JUDI   online di sini, menang banyak"})
    assert comment.status == Comment.Status.PENDING  # spaces differ: phrase not matched
    comment = submit(guide, {**valid_data, "body": "Situs Judi Online terbaik"}, visitor="c" * 32)
    assert comment.status == Comment.Status.SPAM
    assert "judi online" in comment.spam_reasons


def test_duplicate_same_visitor_or_same_email_refused(guide, valid_data, calls):
    submit(guide, valid_data)
    with pytest.raises(ValidationError) as error:
        submit(guide, {**valid_data, "body": "  " + valid_data["body"].upper()})
    assert error.value.messages == [str(spam.DUPLICATE_MESSAGE)]
    with pytest.raises(ValidationError):  # other address, same email
        submit(guide, valid_data, visitor="d" * 32)
    with pytest.raises(ValidationError):  # same address, other email
        submit(guide, {**valid_data, "email": "other@example.test"})
    # Someone else asking the same question is not a duplicate.
    other = submit(guide, {**valid_data, "email": "lain@example.test"}, visitor="e" * 32)
    assert other.pk
    assert Comment.objects.count() == 2


def test_duplicate_window_ends(guide, valid_data, calls):
    first = submit(guide, valid_data)
    Comment.objects.filter(pk=first.pk).update(
        created_at=first.created_at - spam.DUPLICATE_WINDOW - spam.timedelta(minutes=1)
    )
    assert submit(guide, valid_data).pk != first.pk


def test_comments_closed(guide, valid_data, comment_settings, calls):
    comment_settings.comments_open = False
    comment_settings.save()
    with pytest.raises(ValidationError) as error:
        submit(guide, valid_data)
    assert error.value.messages == [str(services.COMMENTS_CLOSED_MESSAGE)]


def test_auto_approve_returning_commenter(guide, valid_data, comment_settings, calls):
    CommentFactory(page=guide, email="rina@example.test", status="approved")
    assert submit(guide, valid_data).status == Comment.Status.PENDING  # setting off
    comment_settings.auto_approve_returning = True
    comment_settings.save()
    with calls["commit"]():
        comment = submit(guide, {**valid_data, "body": "Satu pertanyaan lagi, bu bidan."})
    assert comment.status == Comment.Status.APPROVED
    assert comment.approved_at is not None
    assert [p.pk for p in calls["changed"]] == [guide.pk]
    # ...but never when a spam rule held it.
    held = submit(guide, {**valid_data, "body": "Dan satu lagi."}, verdict="unverified")
    assert held.status == Comment.Status.SPAM


def test_reader_reply_joins_the_thread_one_level(guide, valid_data, calls):
    top = CommentFactory(page=guide)
    reply = CommentFactory(page=guide, parent=top)
    comment = submit(guide, valid_data, parent=reply)
    assert comment.parent == top


@pytest.mark.parametrize("problem", ["pending", "other_page", "removed"])
def test_reply_to_unavailable_parent_refused(guide, oxytocin, valid_data, calls, problem):
    parent = {
        "pending": lambda: CommentFactory(page=guide, status="pending"),
        "other_page": lambda: CommentFactory(page=oxytocin["en"]),
        "removed": lambda: CommentFactory(page=guide, is_removed=True),
    }[problem]()
    with pytest.raises(ValidationError) as error:
        submit(guide, valid_data, parent=parent)
    assert error.value.messages == [str(services.PARENT_INVALID_MESSAGE)]


def test_approve_reply_notifies_followers_and_changes_page(guide, calls, staff_user):
    top = CommentFactory(page=guide)
    reply = CommentFactory(page=guide, parent=top, status="pending")
    with calls["commit"]():
        services.comment_approve(comment=reply, by_user=staff_user)
    reply.refresh_from_db()
    assert reply.status == "approved" and reply.approved_at and reply.moderated_by == staff_user
    assert calls["followers"] == [reply]
    assert [p.pk for p in calls["changed"]] == [guide.pk]
    # Approving again does not email the followers twice.
    services.comment_approve(comment=reply)
    assert calls["followers"] == [reply]


def test_approve_top_level_does_not_notify_followers(guide, calls):
    top = CommentFactory(page=guide, status="spam")
    with calls["commit"]():
        services.comment_approve(comment=top)
    assert calls["followers"] == []
    assert [p.pk for p in calls["changed"]] == [guide.pk]


@pytest.mark.parametrize(
    ("service", "status"),
    [(services.comment_reject, "rejected"), (services.comment_mark_spam, "spam")],
)
def test_reject_and_spam(guide, calls, staff_user, service, status):
    comment = CommentFactory(page=guide)
    with calls["commit"]():
        service(comment=comment, by_user=staff_user)
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.moderated_by == staff_user
    assert [p.pk for p in calls["changed"]] == [guide.pk]
    assert calls["followers"] == []


def test_staff_reply_is_approved_with_name_and_role(guide, calls, staff_user):
    question = CommentFactory(page=guide)
    with calls["commit"]():
        answer = services.comment_reply_as_staff(parent=question, user=staff_user, body="Dua kali.")
    answer.refresh_from_db()
    assert answer.status == "approved" and answer.is_staff_answer
    with translation.override("id"):
        staff = str(services.STAFF_ROLE_FALLBACK)
    assert (answer.staff_name, answer.staff_role) == ("Dewi Lestari", staff)
    assert answer.author_user == staff_user
    assert answer.parent == question and answer.page == guide and answer.language == "id"
    assert calls["followers"] == [answer]
    assert [p.pk for p in calls["changed"]] == [guide.pk]
    # Staff may answer a reply (two levels).
    reply = CommentFactory(page=guide, parent=question)
    deeper = services.comment_reply_as_staff(parent=reply, user=staff_user, body="Ya, betul.")
    assert deeper.parent == reply


def test_staff_reply_validates_body(guide, calls, staff_user):
    question = CommentFactory(page=guide)
    with pytest.raises(ValidationError) as error:
        services.comment_reply_as_staff(parent=question, user=staff_user, body=" ")
    assert "body" in error.value.message_dict


def test_staff_name_never_falls_back_to_the_login_name(staff_user):
    # The login name is an account detail: without a profile or full name, "Clinic team".
    staff_user.first_name = staff_user.last_name = ""
    assert services.staff_identity(staff_user, language="en") == ("Clinic team", "Staff")
    assert services.staff_identity(staff_user, language="id") == ("Tim klinik", "Staf")


def test_staff_answer_shows_the_linked_person_in_the_comments_language(staff_user):
    from wagtail.models import Locale

    from asih.core.models import Clinician, Person

    Person.objects.create(
        name="Bd. Sari Wulandari",
        role="Bidan",
        user=staff_user,
        locale=Locale.objects.get(language_code="id"),
    )
    assert services.staff_identity(staff_user, language="id") == ("Bd. Sari Wulandari", "Bidan")
    english = Person.objects.create(
        name="Sari Wulandari",
        role="Midwife",
        user=staff_user,
        locale=Locale.objects.get(language_code="en"),
    )
    assert services.staff_identity(staff_user, language="en") == (english.name, "Midwife")
    # A clinician record comes first: it is who medically answers.
    Clinician.objects.create(
        name="dr. Sari",
        credentials="Sp.OG",
        role="Dokter kandungan",
        user=staff_user,
        locale=Locale.objects.get(language_code="id"),
    )
    assert services.staff_identity(staff_user, language="id") == ("dr. Sari", "Dokter kandungan")


def test_erase_deletes_and_blanks_answered_questions(guide, calls, staff_user):
    answered = CommentFactory(page=guide, email="rina@example.test", body="Pertanyaan saya")
    services.comment_reply_as_staff(parent=answered, user=staff_user, body="Jawaban klinik")
    lonely = CommentFactory(page=guide, email="rina@example.test")
    my_reply = CommentFactory(
        page=guide, parent=CommentFactory(page=guide), email="rina@example.test"
    )
    other = CommentFactory(page=guide, email="orang.lain@example.test")

    assert services.comment_erase_for_email(email=" RINA@example.test") == 3
    assert not Comment.objects.filter(pk__in=[lonely.pk, my_reply.pk]).exists()
    answered.refresh_from_db()
    assert answered.is_removed and answered.body == "" and answered.email == ""
    assert answered.name == services.REMOVED_NAME
    assert answered.replies.get().body == "Jawaban klinik"
    assert not Comment.objects.filter(email="rina@example.test").exists()
    assert Comment.objects.filter(pk=other.pk).exists()
    assert services.comment_erase_for_email(email="") == 0


def test_privacy_registry_reaches_comments(guide, calls):
    CommentFactory(page=guide, email="rina@example.test", body="Isi komentar saya")
    exported = privacy.export_for_email("Rina@Example.test")
    assert exported["comments"][0]["comment"] == "Isi komentar saya"
    assert exported["comments"][0]["guide"] == guide.title
    assert privacy.erase_for_email("rina@example.test")["comments"] == 1
    assert privacy.export_for_email("rina@example.test")["comments"] == []


def test_comments_survive_unpublishing(guide, calls):
    comment = CommentFactory(page=guide)
    guide.unpublish()
    comment.refresh_from_db()
    assert comment.page_id == guide.pk and comment.status == "approved"
