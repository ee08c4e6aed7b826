"""A page's live translations, looked up once per request (language links, hreflang)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import translate_url

WAGTAIL_ROUTE = "wagtail_serve"


def live_translations(page, request=None) -> list:
    """The live translations of a page (itself included), looked up once per request."""
    cache = getattr(request, "_asih_translations", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._asih_translations = cache
    if page.pk not in cache:
        cache[page.pk] = list(
            page.get_translations(inclusive=True).live().public().select_related("locale")
        )
    return cache[page.pk]


def view_translations(request) -> dict[str, str]:
    """{language: path} of what a Django view (not a Wagtail page) answered, in every site
    language: its route reversed in each (translated URL patterns), the query string kept.

    Empty for Wagtail's own route, whose pages have translations of their own.
    """
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name == WAGTAIL_ROUTE:
        return {}
    here = request.get_full_path()
    urls = {}
    for code, _name in settings.LANGUAGES:
        url = translate_url(here, code)
        if urlsplit(url).path.startswith(f"/{code}/"):
            urls[code] = url
    return urls
