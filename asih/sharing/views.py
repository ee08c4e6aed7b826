"""The share-count endpoint: GET reads a guide's count (cacheable, the same for everyone), a
small same-origin POST records a use of a share control."""

import json
import re

from django.core.exceptions import BadRequest, SuspiciousOperation, ValidationError
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from asih.core.protection import RATE_LIMIT_MESSAGE, RateLimit, client_ip, same_origin_post

from .selectors import share_total
from .services import SHARE_NOT_A_GUIDE, share_record

SHARE_METHODS = _("Read a count with GET or send a share with POST.")
SHARE_BAD_PAGE = _("Name the guide whose count you want: ?page=<page id>.")
SHARE_BAD_BODY = _("The share could not be read: send a page id and a network.")

# Generous for a person (one count per guide a day anyway), tight for a script hammering it.
SHARE_RATE_LIMIT = RateLimit("share", limit=30, window=3600)
MAX_BODY_BYTES = 1024
# How long a browser, nginx or a CDN may reuse a count: the same for every visitor, a little
# behind at worst, and never the page's business (the count is not in the page's HTML).
COUNT_MAX_AGE = 60
PAGE_ID = re.compile(r"[0-9]{1,9}")


# A body Django refuses to read (over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a form not in
# UTF-8, broken multipart): answered here in JSON rather than by the HTML 400 page.
_UNREADABLE = (BadRequest, SuspiciousOperation, MultiPartParserError)


def _error(message, status: int) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=status)


def _read_body(request) -> dict | None:
    """The posted fields from a form body (sendBeacon) or JSON; None when unreadable."""
    try:
        body = request.body
    except _UNREADABLE:
        return None
    if len(body) > MAX_BODY_BYTES:
        return None
    if request.content_type == "application/json":
        try:
            data = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError):
            return None
        return data if isinstance(data, dict) else None
    try:
        return request.POST.dict()
    except _UNREADABLE:
        return None


@same_origin_post
def share_count(request):
    if request.method in ("GET", "HEAD"):
        return _count(request)
    if request.method == "POST":
        response = _record(request)
        add_never_cache_headers(response)
        return response
    response = _error(SHARE_METHODS, 405)
    response["Allow"] = "GET, HEAD, POST"
    return response


def _count(request) -> JsonResponse:
    page_id = request.GET.get("page", "")
    # Errors are 400, never 404: LocaleMiddleware would turn a 404 into a redirect to /id/api/….
    if not PAGE_ID.fullmatch(page_id):
        return _error(SHARE_BAD_PAGE, 400)
    page = Page.objects.live().filter(pk=int(page_id)).first()
    if page is None:
        return _error(SHARE_NOT_A_GUIDE, 400)
    response = JsonResponse({"page": page.pk, "total": share_total(page)})
    patch_cache_control(response, public=True, max_age=COUNT_MAX_AGE)
    return response


def _record(request) -> JsonResponse:
    if SHARE_RATE_LIMIT.hit(request):
        return _error(RATE_LIMIT_MESSAGE, 429)
    data = _read_body(request)
    if data is None:
        return _error(SHARE_BAD_BODY, 400)
    page_id, network = data.get("page"), data.get("network")
    if not isinstance(network, str) or not PAGE_ID.fullmatch(str(page_id)):
        return _error(SHARE_BAD_BODY, 400)
    # Errors are 400, never 404: LocaleMiddleware would turn a 404 into a redirect to /id/api/….
    page = Page.objects.filter(pk=int(page_id)).first()
    if page is None:
        return _error(SHARE_NOT_A_GUIDE, 400)
    try:
        result = share_record(page=page, network=network, visitor=client_ip(request))
    except ValidationError as error:
        return _error(error.messages[0], 400)
    return JsonResponse({"counted": result.counted, "total": result.total})
