"""Reads: the public listing of a guide's comments (bounded queries) and the privacy export."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Q

from .models import Comment

PER_PAGE = 20


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)

    @property
    def answered_by_clinic(self) -> bool:
        return any(reply.is_staff_answer for reply in self.replies)


@dataclass
class CommentListing:
    count: int
    page: PaginatorPage
    threads: list[Thread]


# Only what the public page shows: no email, address hash or moderation field is ever loaded.
PUBLIC_FIELDS = (
    "id",
    "parent_id",
    "name",
    "body",
    "is_staff_answer",
    "staff_name",
    "staff_role",
    "is_removed",
    "created_at",
)


def comment_listing(*, page, number=1, per_page: int = PER_PAGE) -> CommentListing:
    """One page of a guide's approved threads, newest first, with their approved replies.

    At most three queries whatever the number of comments: both counts, the page of top-level
    comments, and the replies of those (a staff answer to a reply included).
    """
    approved = Comment.objects.filter(page=page, status=Comment.Status.APPROVED)
    # Both counts in one query: every shown comment for the heading, threads for the pages.
    counts = approved.aggregate(
        # A reply counts only if what it answers is shown (staff may answer a held reply).
        shown=Count(
            "id",
            filter=Q(is_removed=False)
            & (Q(parent__isnull=True) | Q(parent__status=Comment.Status.APPROVED)),
        ),
        threads=Count("id", filter=Q(parent__isnull=True)),
    )
    top = approved.filter(parent__isnull=True).order_by("-created_at", "-id").only(*PUBLIC_FIELDS)
    paginator = Paginator(top, per_page)
    paginator.count = counts["threads"]  # a cached_property: the paginator asks no more
    page_obj = paginator.get_page(number)
    parents = list(page_obj.object_list) if counts["threads"] else []
    threads = [Thread(comment=parent) for parent in parents]
    if parents:
        by_id = {thread.comment.pk: thread for thread in threads}
        # One IN on parent_id over "these threads and their approved replies": the database
        # reads the replies index (an OR with parent__parent, or the status filter, made SQLite
        # scan every approved comment). Unapproved replies are skipped here, never shown.
        thread_ids = list(by_id)
        replies = (
            Comment.objects.filter(
                parent__in=Comment.objects.filter(
                    Q(pk__in=thread_ids) | Q(parent__in=thread_ids, status=Comment.Status.APPROVED)
                ).values("id")
            )
            .only(*PUBLIC_FIELDS, "status")
            .order_by("created_at", "id")
        )
        approved_replies = {r.pk: r for r in replies if r.status == Comment.Status.APPROVED}
        for reply in approved_replies.values():
            if reply.parent_id in by_id:
                reply.parent = by_id[reply.parent_id].comment
                by_id[reply.parent_id].replies.append(reply)
            elif reply.parent_id in approved_replies:
                # A staff answer to a reply: shown in the thread, "in reply to" that reader.
                middle = approved_replies[reply.parent_id]
                reply.parent = middle
                by_id[middle.parent_id].replies.append(reply)
    return CommentListing(count=counts["shown"], page=page_obj, threads=threads)


def reply_target(*, page, comment_id) -> Comment | None:
    """The approved comment a reader wants to reply to on this page, or None."""
    try:
        comment_id = int(comment_id)
    except (TypeError, ValueError):
        return None
    return (
        Comment.objects.filter(
            page=page, pk=comment_id, status=Comment.Status.APPROVED, is_removed=False
        )
        .only(*PUBLIC_FIELDS)
        .first()
    )


def has_approved_comment(*, email: str) -> bool:
    return Comment.objects.filter(
        email=email, status=Comment.Status.APPROVED, is_staff_answer=False
    ).exists()


def comments_export_for_email(email: str) -> list[dict]:
    """Everything stored about this person's comments (privacy export)."""
    rows = Comment.objects.filter(email=email).select_related("page").order_by("created_at")
    return [
        {
            "guide": comment.page.title if comment.page else None,
            "url": comment.page.url if comment.page else None,
            "language": comment.language,
            "name": comment.name,
            "email": comment.email,
            "comment": comment.body,
            "status": comment.status,
            "follow_replies": comment.follow_replies,
            "created_at": comment.created_at.isoformat(),
            "in_reply_to": comment.parent_id,
        }
        for comment in rows
    ]


def comment_of_sender(*, comment_id: int) -> Comment | None:
    """The comment a visitor has just sent, for the page that shows it back to them alone.

    Only the fields that page shows; removed comments are gone for everyone, the sender too.
    """
    return (
        Comment.objects.filter(pk=comment_id, is_removed=False)
        .select_related("page", "parent")
        .only("id", "name", "body", "status", "created_at", "page", "parent__name")
        .first()
    )
