"""The comment form's POST: checks, stores through the services, then shows the sender's words.

The guide page itself is cached whole and identical for every visitor, so this view carries no
CSRF token: `same_origin_post` accepts only posts the browser marks as coming from this site
(Sec-Fetch-Site / Origin / Referer; see asih.core.protection for why that is enough for a
form that acts on no login session). Errors come back on a short page of their own (the form,
an error summary that takes the focus), not at the bottom of the whole guide. A comment that
waits for moderation is shown to its sender on a never-cached page reached through a signed,
short-lived link: nobody else's words are on it, and no cached page carries it.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from asih.core.protection import RATE_LIMIT_MESSAGE, RateLimit, same_origin_post, visitor_key
from asih.guides.models import GuidePage

from . import services
from .forms import CommentForm, form_context
from .models import Comment
from .selectors import comment_of_sender, reply_target

# Per address, shared by every app server through the cache (Redis in production): at most
# five comments in ten minutes, and a looser cap on every post so that a person correcting a
# typo several times is not blocked while a flood of junk posts still is.
SUBMIT_LIMIT = RateLimit("comments", limit=5, window=600)
POST_LIMIT = RateLimit("comments-posts", limit=20, window=600)
PAGE_ID_MAX = 2**31 - 1  # Wagtail's page ids are 32-bit
# The "your comment was received" link works for an hour: long enough to read it again after
# a reload, short enough that a shared link soon shows nothing of a comment not yet approved.
SENT_LINK_SALT = "asih.comments.sent"
SENT_LINK_MAX_AGE = 3600


def sent_url(comment: Comment, language: str) -> str:
    token = signing.dumps(comment.pk, salt=SENT_LINK_SALT)
    with translation.override(language):
        return reverse("comments:sent", kwargs={"token": token})


def _render_with_form(request, page, form, *, parent=None, status=400):
    form.mark_errors()
    context = {
        **form_context(page=page, request=request, form=form, reply_to=parent),
        "guide": page,
        "page_url": page.get_url(request),
    }
    return render(request, "comments/form_page.html", context, status=status)


@never_cache
@same_origin_post
@require_POST
def comment_post(request, page_id: int):
    if page_id > PAGE_ID_MAX:
        # A GuidePage pk is a one-to-one link that Django does not range-check: a number
        # beyond 32 bits would fail in the database (a 500) instead of meaning "no such page".
        raise Http404
    page = get_object_or_404(GuidePage.objects.live().select_related("locale"), pk=page_id)
    language = page.locale.language_code
    translation.activate(language)
    request.LANGUAGE_CODE = language
    form = CommentForm(request.POST)
    parent = None
    # Looked up even when other fields need correcting, so the page that shows the errors still
    # says whom the reader is answering.
    if not form.is_valid() and form.cleaned_data.get("parent"):
        parent = reply_target(page=page, comment_id=form.cleaned_data["parent"])
    elif form.is_valid() and form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
        if parent is None:
            form.add_error(None, services.PARENT_INVALID_MESSAGE)

    over_limit = POST_LIMIT.hit(request)
    if form.is_valid() and not over_limit:
        over_limit = SUBMIT_LIMIT.hit(request)
    if over_limit:
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return _render_with_form(request, page, form, parent=parent, status=429)
    if not form.is_valid():
        return _render_with_form(request, page, form, parent=parent)

    data = {**form.cleaned_data, "website": request.POST.get("website", "")}
    try:
        comment = services.comment_submit(
            page=page,
            data=data,
            visitor_hash=visitor_key(request),
            bot_verdict=form.bot_verdict(),
            parent=parent,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return _render_with_form(request, page, form, parent=parent)

    if comment.status == Comment.Status.APPROVED:
        # Published at once: the guide page (public, cached per URL) shows it in its place.
        return HttpResponseRedirect(
            f"{page.get_url(request)}?terkirim=terbit#komentar-{comment.pk}", status=303
        )
    # Waiting for moderation (a held one looks the same, so a bot learns nothing): the sender
    # sees their own words on a page of their own.
    return HttpResponseRedirect(sent_url(comment, language), status=303)


@never_cache
@require_GET
def comment_sent(request, token: str):
    """The sender's own comment, marked as waiting for the clinic's approval."""
    try:
        comment_id = signing.loads(token, salt=SENT_LINK_SALT, max_age=SENT_LINK_MAX_AGE)
    except signing.SignatureExpired:
        comment_id = None
    except signing.BadSignature:
        raise Http404 from None
    comment = comment_of_sender(comment_id=comment_id) if isinstance(comment_id, int) else None
    if comment is not None and comment.status in (Comment.Status.REJECTED,):
        comment = None  # turned down meanwhile: nothing to show as "waiting"
    page = comment.page.specific if comment and comment.page_id else None
    if comment is not None and comment.status == Comment.Status.APPROVED and page and page.live:
        return HttpResponseRedirect(f"{page.get_url(request)}#komentar-{comment.pk}", status=303)
    context = {
        "comment": comment if comment and page and page.live else None,
        "guide": page if page and page.live else None,
    }
    return render(request, "comments/sent.html", context, status=200 if context["comment"] else 410)
