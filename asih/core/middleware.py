"""Response headers Django does not set by itself, and a cap on request bodies per endpoint."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

BODY_TOO_LARGE = _(
    "What was sent is too large for this form (at most %(size)s MB). "
    "Please send less and try again."
)


class PermissionsPolicyMiddleware:
    """Tell the browser which powerful features pages may use (Permissions-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.ASIH_PERMISSIONS_POLICY)
        return response


def body_limit_for(path: str) -> int:
    """The largest body a path takes: the admin uploads images and documents; every public
    form is text (DATA_UPLOAD_MAX_MEMORY_SIZE bounds form fields but not files, so a file
    field added to a public multipart post would otherwise be read and stored whole)."""
    if path.startswith(settings.ASIH_ADMIN_URL_PREFIX):
        return settings.ASIH_MAX_ADMIN_BODY
    return settings.ASIH_MAX_PUBLIC_BODY


class RequestBodyLimitMiddleware:
    """Refuse a body over its endpoint's cap with 413 before anything reads it.

    First in MIDDLEWARE: CSRF and the forms read the body later. The cap is checked against
    Content-Length (Django never reads past it), so nothing of a refused body is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django treats it the same way: no body is read
        limit = body_limit_for(request.path_info)
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)


def too_large(request, limit: int) -> HttpResponse:
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        message = BODY_TOO_LARGE % {"size": max(1, limit // (1024 * 1024))}
        accept = request.headers.get("Accept", "") + request.headers.get("Content-Type", "")
        if "application/json" in accept:
            response = JsonResponse({"error": message}, status=413)
        else:
            html = render_to_string("core/form_refused.html", {"message": message})
            response = HttpResponse(html, status=413)
    # The client is still sending what was refused: close rather than read it all.
    response["Connection"] = "close"
    add_never_cache_headers(response)
    return response
