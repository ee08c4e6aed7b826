"""`{% guide_comments page request %}`: a guide's comments, pagination and form, same for all."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from asih.core import bidi
from asih.pagecache.fragments import cached_fragment

from ..forms import CommentForm, form_context
from ..selectors import comment_listing, reply_target
from ..text import comment_html

register = template.Library()

PAGE_PARAM = "komentar"
REPLY_PARAM = "balas"
SENT_PARAM = "terkirim"


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get(PAGE_PARAM, 1)))
    except (TypeError, ValueError):
        return 1


# The one notice the section can show (a comment published at once); any other value shows
# none. A comment that waits for moderation is shown to its sender on a page of their own.
SENT_VALUES = ("terbit",)


@register.simple_tag(takes_context=True)
def guide_comments(context, page, request):
    """Everything comes from the page and the URL (never from the visitor), so it caches.

    Kept rendered per comment page and notice until the page's comments change (an approval,
    a removal: `public_content_changed`); a form with errors or a reply target is rendered
    afresh, as it shows what one visitor typed or chose.
    """

    def render():
        return render_to_string("comments/comments_section.html", _section(context, page, request))

    if context.get("comment_form") is not None or request.GET.get(REPLY_PARAM):
        return mark_safe(render())
    sent = request.GET.get(SENT_PARAM, "")
    return cached_fragment(
        request=request,
        page=page,
        name="guide-comments",
        render=render,
        own=True,
        vary=(_page_number(request), sent if sent in SENT_VALUES else ""),
    )


def _section(context, page, request) -> dict:
    listing = comment_listing(page=page, number=_page_number(request))
    form = context.get("comment_form")
    reply_to = context.get("comment_reply_to")
    if form is None:
        reply_to = reply_target(page=page, comment_id=request.GET.get(REPLY_PARAM))
        form = CommentForm(initial={"parent": reply_to.pk if reply_to else None})
        form.mark_errors()
    page_url = page.get_url(request)
    number = listing.page.number
    list_url = page_url if number == 1 else f"{page_url}?{PAGE_PARAM}={number}"
    join = "&" if "?" in list_url else "?"
    sent = request.GET.get(SENT_PARAM, "")
    return {
        **form_context(page=page, request=request, form=form, reply_to=reply_to),
        "page": page,
        "listing": listing,
        "sent": sent if sent in SENT_VALUES else "",
        "reply_url_prefix": f"{list_url}{join}{REPLY_PARAM}=",
        "previous_url": _list_page_url(page_url, listing.page.previous_page_number())
        if listing.page.has_previous()
        else "",
        "next_url": _list_page_url(page_url, listing.page.next_page_number())
        if listing.page.has_next()
        else "",
    }


def _list_page_url(page_url: str, number: int) -> str:
    return f"{page_url}#komentar" if number == 1 else f"{page_url}?{PAGE_PARAM}={number}#komentar"


@register.filter
def comment_text(value):
    return comment_html(value)


# Names and user text isolated from the words around them (see asih.core.bidi).
register.filter("bdi", bidi.bdi)
register.filter("isolate", bidi.isolate)
