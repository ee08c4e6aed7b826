"""Emails about comments: replies to followers and the moderation queue to staff.

The services call these at the right moments (a reply approved, a comment left waiting, a
reader asking for reply emails); each queues its email by reference through `asih.core.mail`
(after the commit, a kind and ids only): the task looks the comments up and builds the email
when it runs, so the task queue never holds an address or a comment's text, and a slow mail
server never delays a reader or a moderator.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.urls import reverse

from asih.core.mail import Email, email_builder, send_email_later
from asih.core.public_address import public_origin

from .models import Comment

# At most one staff email per window; comments that arrive meanwhile go into the next one,
# sent by the next waiting comment after the window or by `manage.py send_comment_digest`.
DIGEST_WINDOW_SECONDS = 15 * 60
DIGEST_LISTED = 10  # the email lists the newest few; the queue link shows the rest
_DIGEST_LOCK_KEY = "asih:comments:digest:window"
_DIGEST_LAST_KEY = "asih:comments:digest:last-created"


def site_root_url(page=None) -> str:
    """Where links in emails point: the site's one public address (ASIH_PUBLIC_URL)."""
    return public_origin()


def _followers(reply: Comment) -> list[Comment]:
    """One comment per address in the reply's thread whose author wants reply emails."""
    from .unsubscribe import thread_of

    candidates = (
        thread_of(reply)
        .filter(
            status=Comment.Status.APPROVED,
            follow_replies=True,
            follow_confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
            is_removed=False,
        )
        .exclude(email="")
        .exclude(pk=reply.pk)
        .order_by("created_at", "id")
    )
    if reply.email:
        # Never tell someone about their own reply.
        candidates = candidates.exclude(email=reply.email)
    by_address: dict[str, Comment] = {}
    for comment in candidates:
        by_address.setdefault(comment.email, comment)
    return list(by_address.values())


def comment_notify_followers(*, comment) -> None:
    """Email each follower of `comment`'s thread that this approved reply appeared.

    Called by the services once, when a reply (a reader's or the clinic's) becomes approved;
    one email per follower address (who confirmed they want them), in the guide's language,
    with a one-click unsubscribe.
    """
    if comment.status != Comment.Status.APPROVED or not comment.parent_id or not comment.page_id:
        return
    for follower in _followers(comment):
        send_email_later(kind="comments.reply", reply_id=comment.pk, follower_id=follower.pk)


@email_builder("comments.reply")
def _reply_email(*, reply_id: int, follower_id: int) -> Email | None:
    from .unsubscribe import unsubscribe_path

    comment = Comment.objects.filter(pk=reply_id).select_related("page").first()
    if comment is None or comment.status != Comment.Status.APPROVED or not comment.page_id:
        return None
    # Still a follower when the task runs: not unsubscribed, erased or removed meanwhile.
    follower = next((f for f in _followers(comment) if f.pk == follower_id), None)
    if follower is None:
        return None
    page = comment.page
    root = site_root_url(page)
    language = comment.language or page.locale.language_code
    unsubscribe_url = root + unsubscribe_path(follower, language=language)
    return Email(
        to=[follower.email],
        template_prefix="comments/email/reply",
        language=language,
        unsubscribe_url=unsubscribe_url,
        context={
            "language": language,
            "follower_name": follower.name,
            "guide_title": page.title,
            "reply_name": comment.display_name,
            "reply_role": comment.staff_role,
            "is_staff_answer": comment.is_staff_answer,
            "reply_body": comment.body,
            "comment_url": root + page.url + f"#komentar-{comment.pk}",
            "unsubscribe_url": unsubscribe_url,
        },
    )


def comment_follow_ask(*, comment) -> None:
    """Ask the comment's address whether it wants reply emails (double opt-in)."""
    if comment.follow_replies and comment.email and comment.follow_confirmed_at is None:
        send_email_later(kind="comments.follow_confirm", comment_id=comment.pk)


@email_builder("comments.follow_confirm")
def _follow_confirm_email(*, comment_id: int) -> Email | None:
    """The question "do you want reply emails?". The address is not confirmed, so the email
    carries nothing the commenter typed: only the guide's title and the two links."""
    from .unsubscribe import follow_confirm_path

    comment = (
        Comment.objects.filter(
            pk=comment_id,
            follow_replies=True,
            follow_confirmed_at__isnull=True,
            unsubscribed_at__isnull=True,
            is_removed=False,
        )
        .exclude(email="")
        .exclude(status=Comment.Status.SPAM)
        .select_related("page")
        .first()
    )
    if comment is None or not comment.page_id:
        return None
    page = comment.page
    root = site_root_url(page)
    language = comment.language or page.locale.language_code
    return Email(
        to=[comment.email],
        template_prefix="comments/email/follow_confirm",
        language=language,
        context={
            "guide_title": page.title,
            "confirm_url": root + follow_confirm_path(comment, language=language),
        },
    )


def staff_recipients_by_language() -> dict[str, list[str]]:
    """ASIH_STAFF_EMAILS, else every active moderator (Clinicians, Front desk, superusers),
    grouped by each one's admin language."""
    from asih.staff.services import staff_recipients as recipients_for

    return recipients_for(permission="comments.change_comment")


def staff_recipients() -> list[str]:
    """Every address the moderation digest goes to."""
    return sorted({a for group in staff_recipients_by_language().values() for a in group})


def comment_notify_staff_pending(*, force: bool = False) -> bool:
    """Email the moderators about waiting comments, at most once per window; True if sent.

    Called by the services whenever a comment is stored as pending or suspected spam, and by
    `manage.py send_comment_digest` on a timer. Sends only when something arrived since the
    last digest, so a flood of comments is one email and a quiet queue is no email.
    `force` skips the window (the command's --now), never the "something new" rule.
    """
    waiting = Comment.objects.awaiting_moderation().select_related("page")
    last_created = cache.get(_DIGEST_LAST_KEY)
    new = waiting.filter(created_at__gt=last_created) if last_created else waiting
    newest = new.order_by("-created_at").values_list("created_at", flat=True).first()
    if newest is None:
        return False
    recipients = staff_recipients_by_language()
    if not recipients:
        return False
    if force:
        cache.set(_DIGEST_LOCK_KEY, time.time(), timeout=DIGEST_WINDOW_SECONDS)
    elif not cache.add(_DIGEST_LOCK_KEY, time.time(), timeout=DIGEST_WINDOW_SECONDS):
        return False
    for language in recipients:  # one email per admin language, carrying only the language
        send_email_later(kind="comments.staff_pending", language=language)
    cache.set(_DIGEST_LAST_KEY, newest, timeout=None)
    return True


@email_builder("comments.staff_pending")
def _staff_pending_email(*, language: str) -> Email | None:
    """The digest lists what waits when the task runs (names, texts and addresses are read
    then, never carried in the task), for the moderators who use the admin in `language`."""
    waiting = Comment.objects.awaiting_moderation().select_related("page")
    recipients = staff_recipients_by_language().get(language, [])
    count = waiting.count()
    if not recipients or not count:
        return None
    listed = list(waiting.order_by("-created_at", "-id")[:DIGEST_LISTED])
    return Email(
        to=recipients,
        template_prefix="comments/email/staff_pending",
        language=language,
        context={
            "language": language,
            "count": count,
            "comments": listed,
            "more": max(count - len(listed), 0),
            "queue_url": site_root_url() + reverse("comments_admin:queue"),
        },
    )
