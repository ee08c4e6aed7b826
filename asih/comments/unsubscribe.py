"""Reply-email links: confirm that an address wants them, and unsubscribe. Both are signed
links with no login; GET shows a button, POST (or RFC 8058 one-click) acts."""

from __future__ import annotations

from django.core import signing
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from asih.core.protection import LINK_ACTION_LIMIT, limit_posts

from .models import Comment

_SALT = "asih.comments.unsubscribe"
_FOLLOW_SALT = "asih.comments.follow"

BAD_LINK_MESSAGE = _(
    "This unsubscribe link is not valid. It may have been cut off or changed when it was copied. "
    "Please open the link from the email again."
)
UNSUBSCRIBED_MESSAGE = _("You will no longer get emails about replies to this comment.")
UNSUBSCRIBE_ASK_MESSAGE = _(
    "Press the button and we will send no more emails about replies to this comment."
)


FOLLOW_ASK_MESSAGE = _(
    "Press the button to get an email when someone replies to your comment. You can stop "
    "these emails at any time with the link in each of them."
)
FOLLOW_CONFIRMED_MESSAGE = _("Thank you. We will email you when someone replies to your comment.")


def thread_of(comment: Comment):
    """Every comment of the thread `comment` belongs to: the top comment and replies below it."""
    root_id = comment.pk
    if comment.parent_id:
        parent = comment.parent
        root_id = parent.parent_id or parent.pk
    return Comment.objects.filter(
        Q(pk=root_id) | Q(parent_id=root_id) | Q(parent__parent_id=root_id)
    )


def make_token(comment: Comment) -> str:
    # No expiry: a link in an old email must still work years later.
    return signing.dumps({"c": comment.pk}, salt=_SALT, compress=True)


def comment_for_token(token: str) -> Comment | None:
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    pk = value.get("c") if isinstance(value, dict) else None
    if not isinstance(pk, int):
        return None
    return Comment.objects.filter(pk=pk).select_related("page").first()


def unsubscribe_path(comment: Comment, *, language: str) -> str:
    with translation.override(language):
        return reverse("comments:unsubscribe", kwargs={"token": make_token(comment)})


def comment_unsubscribe(*, comment: Comment) -> int:
    """Stop reply emails for this person in this thread; returns how many comments changed.

    Every comment the same address wrote in the thread stops, so one click is enough even when
    the person also followed their own later replies.
    """
    same_person = thread_of(comment)
    same_person = (
        same_person.filter(email=comment.email)
        if comment.email
        else Comment.objects.filter(pk=comment.pk)
    )
    return same_person.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())


@never_cache
@csrf_exempt  # mail providers POST the RFC 8058 one-click request from their own servers
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(LINK_ACTION_LIMIT)
def unsubscribe_view(request, token: str):
    comment = comment_for_token(token)
    if comment is None:
        html = render_to_string(
            "comments/unsubscribe.html", {"ok": False, "message": BAD_LINK_MESSAGE}, request
        )
        return HttpResponseBadRequest(html)
    if request.method != "POST":
        # Mail scanners open every link in an email: following the link only shows the button.
        # Mail clients' RFC 8058 one-click is a POST, so it still stops the emails in one step.
        html = render_to_string(
            "comments/unsubscribe.html", {"ask": True, "message": UNSUBSCRIBE_ASK_MESSAGE}, request
        )
        return HttpResponse(html)
    comment_unsubscribe(comment=comment)
    guide = comment.page if comment.page_id and comment.page.live else None
    html = render_to_string(
        "comments/unsubscribe.html",
        {"ok": True, "message": UNSUBSCRIBED_MESSAGE, "guide": guide},
        request,
    )
    return HttpResponse(html)


def follow_confirm_path(comment: Comment, *, language: str) -> str:
    token = signing.dumps({"f": comment.pk}, salt=_FOLLOW_SALT, compress=True)
    with translation.override(language):
        return reverse("comments:follow_confirm", kwargs={"token": token})


def _comment_to_follow(token: str) -> Comment | None:
    try:
        value = signing.loads(token, salt=_FOLLOW_SALT)
    except signing.BadSignature:
        return None
    pk = value.get("f") if isinstance(value, dict) else None
    if not isinstance(pk, int) or isinstance(pk, bool):
        return None
    return (
        Comment.objects.filter(pk=pk, follow_replies=True, is_removed=False)
        .exclude(email="")
        .select_related("page")
        .first()
    )


def comment_follow_confirm(*, comment: Comment) -> bool:
    """The address confirmed it wants reply emails for this comment; True if it changed."""
    return bool(
        Comment.objects.filter(pk=comment.pk, follow_confirmed_at__isnull=True).update(
            follow_confirmed_at=timezone.now(), unsubscribed_at=None
        )
    )


@never_cache
@csrf_exempt  # the signed link is the authority; the button posts it back, with no session
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(LINK_ACTION_LIMIT)
def follow_confirm_view(request, token: str):
    comment = _comment_to_follow(token)
    if comment is None:
        html = render_to_string(
            "comments/unsubscribe.html", {"ok": False, "message": BAD_LINK_MESSAGE}, request
        )
        return HttpResponseBadRequest(html)
    if request.method != "POST":
        # Mail scanners open links: following it only shows the button.
        html = render_to_string(
            "comments/unsubscribe.html",
            {"ask": True, "follow": True, "message": FOLLOW_ASK_MESSAGE},
            request,
        )
        return HttpResponse(html)
    comment_follow_confirm(comment=comment)
    guide = comment.page if comment.page_id and comment.page.live else None
    html = render_to_string(
        "comments/unsubscribe.html",
        {"ok": True, "follow": True, "message": FOLLOW_CONFIRMED_MESSAGE, "guide": guide},
        request,
    )
    return HttpResponse(html)
