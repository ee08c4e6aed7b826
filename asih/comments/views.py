"""The comment form's POST: checks, stores through the services, redirects or shows the errors.

The guide page itself is cached whole and identical for every visitor, so this view carries no
CSRF token: `same_origin_post` accepts only posts the browser marks as coming from this site
(Sec-Fetch-Site / Origin / Referer; see asih.core.protection for why that is enough for a
form that acts on no login session). Errors re-render the guide with the form filled in.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from asih.core.protection import RATE_LIMIT_MESSAGE, RateLimit, same_origin_post, visitor_key
from asih.guides.models import GuidePage

from . import services
from .forms import CommentForm
from .models import Comment

# Per address, shared by every app server through the cache (Redis in production): at most
# five comments in ten minutes, and a looser cap on every post so that a person correcting a
# typo several times is not blocked while a flood of junk posts still is.
SUBMIT_LIMIT = RateLimit("comments", limit=5, window=600)
POST_LIMIT = RateLimit("comments-posts", limit=20, window=600)
SENT_ANCHOR = "komentar-terkirim"
PAGE_ID_MAX = 2**31 - 1  # Wagtail's page ids are 32-bit


def _render_with_form(request, page, form, *, parent=None, status=400):
    form.mark_errors()
    request.is_preview = False
    response = page.render(
        request, context_overrides={"comment_form": form, "comment_reply_to": parent}
    )
    response.status_code = status
    return response.render()


@never_cache
@same_origin_post
@require_POST
def comment_post(request, page_id: int):
    if page_id > PAGE_ID_MAX:
        # A GuidePage pk is a one-to-one link that Django does not range-check: a number
        # beyond 32 bits would fail in the database (a 500) instead of meaning "no such page".
        raise Http404
    page = get_object_or_404(GuidePage.objects.live().select_related("locale"), pk=page_id)
    translation.activate(page.locale.language_code)
    request.LANGUAGE_CODE = page.locale.language_code
    form = CommentForm(request.POST)
    parent = None
    if form.is_valid() and form.cleaned_data.get("parent"):
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

    sent = "terbit" if comment.status == Comment.Status.APPROVED else "1"
    anchor = f"komentar-{comment.pk}" if sent == "terbit" else SENT_ANCHOR
    # The thank-you notice is the same for every visitor of this URL, so it caches per URL.
    return HttpResponseRedirect(f"{page.get_url(request)}?terkirim={sent}#{anchor}", status=303)
