"""Emails about comments: replies to followers and the moderation queue to staff.

The bodies belong to the comments-admin work (templates, unsubscribe links); the services call
these at the right moments so the public side never has to change when they are filled in.
"""

from __future__ import annotations


def comment_notify_followers(*, comment) -> None:
    """Tell the people following `comment`'s thread that an approved reply appeared.

    Called by the services once a reply (a reader's or the clinic's) becomes approved. Should
    email every follower of the thread (follow_replies, not unsubscribed, not the reply's own
    author) in the thread's language, with an unsubscribe link. Not implemented here yet.
    """
    return None


def comment_notify_staff_pending() -> None:
    """Tell the moderators that comments are waiting (status pending or spam).

    Called by the services whenever a comment is stored as pending or suspected spam. Should
    email settings.ASIH_STAFF_EMAILS (batched, so a flood is one email). Not implemented here yet.
    """
    return None
