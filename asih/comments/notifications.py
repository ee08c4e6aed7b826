"""Emails about comments: replies to followers and the moderation queue to staff.

The services call these at the right moments (a reply approved, a comment left waiting); both
render in the request and hand delivery to `asih.core.mail`, which sends after the commit
through the task backend, so a slow mail server never delays a reader or a moderator.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.urls import reverse

from asih.core.mail import send_templated_email
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
    one email per follower address, in the guide's language, with a one-click unsubscribe.
    """
    from .unsubscribe import unsubscribe_path

    if comment.status != Comment.Status.APPROVED or not comment.parent_id or not comment.page_id:
        return
    page = comment.page
    root = site_root_url(page)
    language = comment.language or page.locale.language_code
    for follower in _followers(comment):
        unsubscribe_url = root + unsubscribe_path(follower, language=language)
        send_templated_email(
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
    count = waiting.count()
    listed = list(waiting.order_by("-created_at", "-id")[:DIGEST_LISTED])
    for language, addresses in recipients.items():
        send_templated_email(
            to=addresses,
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
    cache.set(_DIGEST_LAST_KEY, newest, timeout=None)
    return True
