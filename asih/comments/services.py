"""Writes: submitting, moderating, answering and erasing comments (the only place they change)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from asih.core.mail import email_tasks_forget
from asih.core.privacy import normalise_email
from asih.core.protection import honeypot_filled
from asih.core.signals import public_content_changed

from . import notifications, selectors, spam
from .models import Comment, CommentSettings

COMMENTS_CLOSED_MESSAGE = _("Comments are closed on this guide for now.")
PARENT_INVALID_MESSAGE = _(
    "The comment you wanted to reply to is no longer available. Your text is kept below."
)
STAFF_NAME_FALLBACK = _("Clinic team")
STAFF_ROLE_FALLBACK = _("Staff")
REMOVED_NAME = "—"
# A comment never published (waiting, rejected or held as spam) is deleted this long after it
# was sent, with the address typed into it (the privacy page says so).
UNPUBLISHED_KEEP_DAYS = 30


def _settings_for(page) -> CommentSettings:
    return CommentSettings.for_site(page.get_site())


def _changed(comment: Comment) -> None:
    if comment.page_id:
        page = comment.page
        transaction.on_commit(
            lambda: public_content_changed.send(sender=Comment, pages=[page]), robust=True
        )


@transaction.atomic
def comment_submit(
    *, page, data: dict, visitor_hash: str, bot_verdict: str, parent: Comment | None = None
) -> Comment:
    """Store a reader's comment as pending, suspected spam or (returning commenter) approved.

    Raises ValidationError (with field errors where they belong) when the comment cannot be
    accepted as typed: the caller shows the messages and keeps the text. A comment that a spam
    rule merely suspects is stored with status "spam" and the reasons, never dropped.
    """
    settings = _settings_for(page)
    if not settings.comments_open:
        raise ValidationError(COMMENTS_CLOSED_MESSAGE, code="closed")
    # The shared bot trap's honeypot: a filled one is refused outright, not held as spam.
    if honeypot_filled(data):
        raise ValidationError(spam.HONEYPOT_MESSAGE, code="honeypot")

    if parent is not None:
        # Readers reply one level deep: a reply to a reply joins the thread of its parent.
        if parent.parent_id:
            parent = parent.parent
        if (
            parent.page_id != page.pk
            or parent.status != Comment.Status.APPROVED
            or (parent.is_removed)
        ):
            raise ValidationError(PARENT_INVALID_MESSAGE, code="parent")

    comment = Comment(
        page=page,
        language=page.locale.language_code,
        parent=parent,
        name=str(data.get("name") or "").strip(),
        email=normalise_email(str(data.get("email") or "")),
        body=str(data.get("body") or "").strip(),
        follow_replies=bool(data.get("follow_replies")),
        visitor_hash=visitor_hash,
    )
    errors: dict[str, list] = {}
    if spam.name_has_link(comment.name):
        errors.setdefault("name", []).append(spam.LINK_IN_NAME_MESSAGE)
    links = spam.count_links(comment.body)
    if links > settings.max_links:
        errors.setdefault("body", []).append(
            ValidationError(
                spam.TOO_MANY_LINKS_MESSAGE,
                code="links",
                params={"limit": settings.max_links, "count": links},
            )
        )
    if not comment.email:
        # The model allows a blank email (staff answers); a reader must give one.
        errors.setdefault("email", []).append(
            ValidationError(Comment._meta.get_field("email").error_messages["blank"])
        )
    try:
        comment.full_clean(exclude=["status"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if spam.is_duplicate(
        page=page, body=comment.body, email=comment.email, visitor_hash=visitor_hash
    ):
        raise ValidationError(spam.DUPLICATE_MESSAGE, code="duplicate")

    reasons = [
        reason
        for reason in (
            spam.timing_reason(bot_verdict),
            spam.blocked_word_reason(
                f"{comment.name}\n{comment.body}", settings.blocked_word_list()
            ),
        )
        if reason
    ]
    if reasons:
        comment.status = Comment.Status.SPAM
        comment.spam_reasons = "\n".join(reasons)
    elif settings.auto_approve_returning and selectors.has_approved_comment(email=comment.email):
        comment.status = Comment.Status.APPROVED
        comment.approved_at = timezone.now()
    else:
        comment.status = Comment.Status.PENDING
    comment.full_clean()
    comment.save()

    if comment.status == Comment.Status.APPROVED:
        _changed(comment)
        if comment.parent_id:
            notifications.comment_notify_followers(comment=comment)
    else:
        notifications.comment_notify_staff_pending()
    if comment.status != Comment.Status.SPAM:
        # Reply emails start only once the address confirms it wants them (double opt-in).
        notifications.comment_follow_ask(comment=comment)
    return comment


def _moderate(comment: Comment, status: str, by_user) -> Comment:
    was_approved = comment.status == Comment.Status.APPROVED
    comment.status = status
    comment.moderated_at = timezone.now()
    comment.moderated_by = by_user
    if status == Comment.Status.APPROVED and comment.approved_at is None:
        comment.approved_at = comment.moderated_at
    comment.full_clean()
    comment.save()
    _changed(comment)
    if status == Comment.Status.APPROVED and not was_approved and comment.parent_id:
        notifications.comment_notify_followers(comment=comment)
    return comment


@transaction.atomic
def comment_approve(*, comment: Comment, by_user=None) -> Comment:
    return _moderate(comment, Comment.Status.APPROVED, by_user)


@transaction.atomic
def comment_reject(*, comment: Comment, by_user=None) -> Comment:
    return _moderate(comment, Comment.Status.REJECTED, by_user)


@transaction.atomic
def comment_mark_spam(*, comment: Comment, by_user=None) -> Comment:
    return _moderate(comment, Comment.Status.SPAM, by_user)


def staff_identity(user, *, language: str) -> tuple[str, str]:
    """(name, role) shown with the clinic's answer.

    From the Clinician or Person snippet linked to the user's account (its translation in the
    comment's language first), else the user's full name and "Staff" — in the comment's
    language, stored as a snapshot.
    """
    from asih.core.models import Clinician, Person

    for model in (Clinician, Person):
        snippets = model.objects.filter(user=user).select_related("locale")
        snippet = snippets.filter(locale__language_code=language).first() or snippets.first()
        if snippet is not None:
            if snippet.role:
                return snippet.name, snippet.role
            with translation.override(language):
                return snippet.name, str(STAFF_ROLE_FALLBACK)
    # Never the login name: it is an account detail, not how the clinic signs its answers.
    with translation.override(language):
        name = user.get_full_name().strip() or str(STAFF_NAME_FALLBACK)
        return name, str(STAFF_ROLE_FALLBACK)


@transaction.atomic
def comment_reply_as_staff(*, parent: Comment, user, body: str) -> Comment:
    """The clinic's answer: approved at once, shown with the staff member's name and role."""
    name, role = staff_identity(user, language=parent.language)
    now = timezone.now()
    reply = Comment(
        page=parent.page,
        language=parent.language,
        parent=parent,
        name=name[:80],
        email=normalise_email(user.email or ""),
        body=(body or "").strip(),
        status=Comment.Status.APPROVED,
        is_staff_answer=True,
        author_user=user,
        staff_name=name[:120],
        staff_role=role[:120],
        approved_at=now,
        moderated_at=now,
        moderated_by=user,
    )
    reply.full_clean()
    reply.save()
    _changed(reply)
    notifications.comment_notify_followers(comment=reply)
    return reply


@transaction.atomic
def comment_erase_for_email(*, email: str) -> int:
    """Remove every comment written with this email and the email itself; returns how many.

    A comment that others answered is blanked ("comment removed") rather than deleted, so the
    clinic's answer and other readers' replies stay readable. Everything else is deleted.
    """
    email = normalise_email(email)
    if not email:
        return 0
    mine = list(Comment.objects.filter(email=email).select_related("page"))
    mine_ids = {c.pk for c in mine}
    answered = set(
        Comment.objects.filter(parent__in=mine_ids)
        .exclude(pk__in=mine_ids)
        .values_list("parent_id", flat=True)
    )
    pages = {c.page_id: c.page for c in mine if c.page_id and c.status == "approved"}
    for comment in mine:
        if comment.pk in answered:
            comment.name = REMOVED_NAME
            comment.email = ""
            comment.body = ""
            comment.visitor_hash = ""
            comment.follow_replies = False
            comment.follow_confirmed_at = None
            comment.is_removed = True
            comment.spam_reasons = ""
            # Saved without full_clean: an erased body is deliberately shorter than the minimum.
            comment.save()
    email_tasks_forget(kind="comments.reply", key="follower_id", ids=mine_ids)
    email_tasks_forget(kind="comments.reply", key="reply_id", ids=mine_ids)
    email_tasks_forget(kind="comments.follow_confirm", key="comment_id", ids=mine_ids)
    Comment.objects.filter(pk__in=mine_ids - answered).delete()
    for page in pages.values():
        transaction.on_commit(
            lambda page=page: public_content_changed.send(sender=Comment, pages=[page]),
            robust=True,
        )
    return len(mine)


def comments_purge_unpublished(*, now=None) -> int:
    """Delete comments never published within UNPUBLISHED_KEEP_DAYS; returns how many went.

    A comment that was published, answered and only then rejected keeps its place in the
    thread (the answers stay readable) but loses its address.
    """
    now = now or timezone.now()
    old = Comment.objects.filter(
        created_at__lt=now - timedelta(days=UNPUBLISHED_KEEP_DAYS),
        status__in=[Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM],
    )
    answered = old.filter(replies__isnull=False).distinct()
    answered_ids = list(answered.values_list("pk", flat=True))
    Comment.objects.filter(pk__in=answered_ids).update(
        email="", visitor_hash="", follow_replies=False, follow_confirmed_at=None
    )
    ids = list(old.exclude(pk__in=answered_ids).values_list("pk", flat=True))
    email_tasks_forget(kind="comments.follow_confirm", key="comment_id", ids=ids)
    deleted, _detail = Comment.objects.filter(pk__in=ids).delete()
    return deleted
