"""Spam rules: each looks at one thing and returns why it would hold a comment, or None."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Reasons are stored in Comment.spam_reasons for moderators (written in English, like log lines).
REASON_BOT_TIMING = "sent faster than a person types, or with a forged timing token"
REASON_UNVERIFIED = "sent without the timing token (JavaScript off or a direct post)"
REASON_BLOCKED_WORD = "contains a blocked word: {word}"

# Messages for the visitor.
HONEYPOT_MESSAGE = _(
    "Sorry, we could not accept this comment. If you are a person, please try again."
)
TOO_MANY_LINKS_MESSAGE = _(
    "Please include at most %(limit)d links in your comment (it has %(count)d)."
)
LINK_IN_NAME_MESSAGE = _("Please write your name without a web address.")
DUPLICATE_MESSAGE = _(
    "You already sent this comment. It is waiting for moderation or already published."
)

DUPLICATE_WINDOW = timedelta(hours=24)
_LINK_RE = re.compile(r"(?:https?://|www\.)\S", re.IGNORECASE)
# A bare domain in a name ("cheap-pills.com") is the classic spam signature.
_DOMAIN_RE = re.compile(r"\b[a-z0-9-]+\.(?:com|net|org|info|biz|ru|xyz|top|id|co)\b", re.I)


def timing_reason(bot_verdict: str) -> str | None:
    """What the bot-trap verdict says: "ok" passes, anything else holds the comment."""
    if bot_verdict == "ok":
        return None
    if bot_verdict == "unverified":
        return REASON_UNVERIFIED
    return REASON_BOT_TIMING


def count_links(text: str) -> int:
    return len(_LINK_RE.findall(text or ""))


def name_has_link(name: str) -> bool:
    return bool(_LINK_RE.search(name or "") or _DOMAIN_RE.search(name or ""))


def blocked_word_reason(text: str, words: list[str]) -> str | None:
    """A blocked word or phrase, matched case-insensitively on word boundaries."""
    folded = (text or "").casefold()
    for word in words:
        pattern = r"(?<!\w)" + re.escape(word.casefold()) + r"(?!\w)"
        if re.search(pattern, folded):
            return REASON_BLOCKED_WORD.format(word=word)
    return None


def normalise_body(body: str) -> str:
    """Whitespace and case do not make a comment different."""
    return " ".join((body or "").split()).casefold()


def is_duplicate(*, page, body: str, email: str, visitor_hash: str, now=None) -> bool:
    """The same text on the same page from the same address or email within the window."""
    from .models import Comment

    since = (now or timezone.now()) - DUPLICATE_WINDOW
    recent = Comment.objects.filter(page=page, created_at__gte=since, is_removed=False)
    same_sender = recent.filter(email=email) if email else recent.none()
    if visitor_hash:
        same_sender = same_sender | recent.filter(visitor_hash=visitor_hash)
    target = normalise_body(body)
    # Bounded: one sender's comments on one page within a day.
    return any(normalise_body(b) == target for b in same_sender.values_list("body", flat=True)[:50])
