"""Cache-Control for public pages, fit for the page cache, nginx and a CDN."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class PublicCacheHeadersMiddleware:
    """Anonymous 200 GETs without cookies are public: shared caches may keep them for
    `s-maxage` (they are purged on change); browsers revalidate every time (max-age=0,
    must-revalidate) and get a cheap 304 thanks to the ETag. No stale-while-revalidate in
    Cache-Control: a browser would show (and the offline worker would keep) an outdated guide
    after a change. CDNs get it in `CDN-Cache-Control` (RFC 9213), which browsers ignore: a short
    window to refresh in the background, and a day to keep serving if the app servers are down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.has_header("Cache-Control")
            and not response.cookies
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            # Documents: Wagtail checks their collection's privacy on each download, so no
            # shared cache may answer for it.
            and not request.path.startswith(("/admin/", "/api/", "/documents/"))
        ):
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                must_revalidate=True,
                s_maxage=settings.ASIH_SHARED_CACHE_SECONDS,
            )
            response["CDN-Cache-Control"] = (
                f"public, max-age={settings.ASIH_SHARED_CACHE_SECONDS}, "
                "stale-while-revalidate=60, stale-if-error=86400"
            )
        return response
