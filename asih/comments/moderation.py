"""Moderation in the admin: the queue's reads and the audit-logged actions staff run on comments.

Every change goes through `services` (the only place comments change); this module adds the
permission check's name, the queue filters and one audit-log entry per action.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from . import services
from .models import Comment

# Moderating is changing a comment: editors and clinicians whose group has the model's change
# permission moderate; nobody else sees the menu or may open the views.
MODERATE_PERMISSION = "comments.change_comment"

WAITING = "waiting"  # the queue's default: pending and suspected spam
ALL = "all"

LOG_APPROVE = "asih_comments.approve"
LOG_REJECT = "asih_comments.reject"
LOG_SPAM = "asih_comments.spam"
LOG_REPLY = "asih_comments.reply"
LOG_ERASE = "asih_comments.erase"


@dataclass(frozen=True)
class ModerationAction:
    name: str
    label: str
    done_message: str
    service: object
    log_action: str
    target_status: str


ACTIONS = {
    action.name: action
    for action in (
        ModerationAction(
            "approve",
            _("Approve"),
            _("Approved"),
            services.comment_approve,
            LOG_APPROVE,
            Comment.Status.APPROVED,
        ),
        ModerationAction(
            "reject",
            _("Reject"),
            _("Rejected"),
            services.comment_reject,
            LOG_REJECT,
            Comment.Status.REJECTED,
        ),
        ModerationAction(
            "spam",
            _("Mark as spam"),
            _("Marked as spam"),
            services.comment_mark_spam,
            LOG_SPAM,
            Comment.Status.SPAM,
        ),
    )
}


def can_moderate(user) -> bool:
    return bool(user and user.is_active and user.has_perm(MODERATE_PERMISSION))


def waiting_count() -> int:
    """Comments a moderator still has to look at (pending and suspected spam)."""
    return Comment.objects.awaiting_moderation().count()


def moderation_queue(
    *, status: str = WAITING, guide=None, language: str = "", query: str = ""
) -> QuerySet[Comment]:
    """The admin listing, newest first, filtered by status, guide, language and a search."""
    comments = Comment.objects.select_related("page", "parent", "moderated_by").order_by(
        "-created_at", "-id"
    )
    if status == WAITING:
        comments = comments.awaiting_moderation()
    elif status in Comment.Status.values:
        comments = comments.filter(status=status)
    if guide is not None:
        comments = comments.filter(page=guide)
    if language:
        comments = comments.filter(language=language)
    query = (query or "").strip()
    if query:
        comments = comments.filter(Q(name__icontains=query) | Q(body__icontains=query))
    return comments


def _log_title(comment: Comment) -> str:
    # The audit log keeps a label forever: an id, never the person's name, text or email.
    return f"Comment #{comment.pk}"


@transaction.atomic
def comment_moderate(*, comment: Comment, action: str, user) -> Comment:
    """Run one moderation action through its service and record it in the audit log."""
    chosen = ACTIONS[action]
    chosen.service(comment=comment, by_user=user)
    log(comment, chosen.log_action, user=user, title=_log_title(comment))
    return comment


@transaction.atomic
def comment_answer(*, parent: Comment, user, body: str) -> Comment:
    """The clinic's answer to `parent`; a question still waiting is approved with it.

    Answering a question is publishing it: an answer under a hidden question would be shown
    alone, so the moderator's answer approves the question too (and logs that).
    """
    if parent.status != Comment.Status.APPROVED:
        comment_moderate(comment=parent, action="approve", user=user)
    reply = services.comment_reply_as_staff(parent=parent, user=user, body=body)
    log(
        parent,
        LOG_REPLY,
        user=user,
        title=_log_title(parent),
        data={"reply_id": reply.pk},
    )
    return reply


@transaction.atomic
def comment_erase_person(*, comment: Comment, user) -> int:
    """Erase every comment and the email of the person who wrote `comment`; returns how many.

    The audit log records that an erasure happened, by whom and how many comments it touched,
    never the address itself.
    """
    pk = comment.pk
    erased = services.comment_erase_for_email(email=comment.email) if comment.email else 0
    log(
        Comment(pk=pk),
        LOG_ERASE,
        user=user,
        title=f"Comment #{pk}",
        data={"comments_erased": erased},
    )
    return erased
