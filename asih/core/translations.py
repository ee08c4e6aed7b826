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


def page_translation_urls(page, request=None, *, subpage: str | None = None) -> dict[str, str]:
    """{language: URL} of a page's live translations, or of the same sub-page (a guide's session,
    its plan) of each; worked out once per request for the language switch and hreflang."""
    memo = getattr(request, "_asih_translation_urls", None) if request is not None else None
    if memo is None:
        memo = {}
        if request is not None:
            request._asih_translation_urls = memo
    key = (page.pk, subpage)
    if key not in memo:
        urls = {}
        for translated in live_translations(page, request):
            if subpage:
                translated = translated.specific
            url = translated.get_url(request)
            if subpage and hasattr(translated, "subpage_url"):
                url = translated.subpage_url(subpage, request)
            urls[translated.locale.language_code] = url
        memo[key] = urls
    return memo[key]


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
