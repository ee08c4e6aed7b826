"""Addresses with a slug per language: Django's translated URL patterns, for app URLs and sub-pages.

A route is written once as its English msgid under the "url" context (`"sign-up/"`); each
language's slug is that msgid's translation in locale/*/LC_MESSAGES/django.po (`"daftar/"`).
The slug of any other language answers too: a GET redirects (301) to the address in the URL's
own language, so every page has one address per language while old links, bookmarks and emails
keep working (the English comment links had the Indonesian slugs until issue 16).
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.core.exceptions import DisallowedRedirect
from django.http import HttpResponsePermanentRedirect
from django.urls import path, reverse
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import pgettext, pgettext_lazy
from wagtail.contrib.routable_page.models import path as subpage_path
from wagtail.contrib.routable_page.models import re_path as subpage_re_path

URL_CONTEXT = "url"  # the msgctxt of every translated slug in the catalogues


def slug(route: str):
    """The route in the active language (lazy: URL patterns are built before any request)."""
    return pgettext_lazy(URL_CONTEXT, route)


def _route_in(route: str, language: str) -> str:
    with translation.override(language):
        return pgettext(URL_CONTEXT, route)


def _route_in_any_language(route: str) -> str:
    # Read when a pattern is first matched, not at import: LANGUAGES is a setting.
    routes = {_route_in(route, code) for code, _name in settings.LANGUAGES}
    return "^(?:" + "|".join(sorted(re.escape(r) for r in routes)) + ")$"


route_in = lazy(_route_in, str)


def reverse_in(language: str, viewname: str, **kwargs) -> str:
    """The path of a named URL in a language: reverse_in("en", "leads:signup") → /en/sign-up/.

    A language the site does not have (an old record's) gets the default language's address.
    """
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        return reverse(viewname, kwargs=kwargs or None)


def _moved(viewname: str, view):
    """Answers an address a page no longer has: GETs redirect, other methods are served.

    A form posted from a page rendered (or cached) before the move, or a mail provider's
    one-click unsubscribe from an old email, must not lose what it sends: a 301 would turn
    it into a GET. `functools.wraps` keeps the view's own marks (csrf_exempt …).
    """

    @functools.wraps(view)
    def moved(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        target = reverse(viewname, args=args, kwargs=kwargs)
        query = request.META.get("QUERY_STRING", "")
        try:
            return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
        except DisallowedRedirect:
            # Too long to redirect (a made-up token): the view answers it with its own message.
            return view(request, *args, **kwargs)

    return moved


def localized_path(route: str, view, *, name: str, namespace: str = ""):
    """URL patterns for `view`: its slug in the active language, then the ones that redirect.

    `route` is the English msgid (see the module's docstring); the patterns after the first
    match its slug in every language, so an address whose slug changed keeps answering as long
    as some language still has the old slug. Spread the result into `urlpatterns`.
    """
    viewname = f"{namespace}:{name}" if namespace else name
    moved = _moved(viewname, view)
    return [
        path(slug(route), view, name=name),
        *(path(route_in(route, code), moved) for code, _name in settings.LANGUAGES),
    ]


def subpage(route: str):
    """Route a RoutablePage method under `route` in the page's language (like `@path`).

    The same sub-page under another language's slug redirects (301) to this language's one;
    `route` is the English msgid of a route without converters ("plan/calendar/").
    """

    def decorator(method):
        name = method.__name__

        @functools.wraps(method)
        def serve(page, request, *args, **kwargs):
            if request.routable_resolver_match.url_name != name:
                return HttpResponsePermanentRedirect(subpage_url(page, name, request))
            return method(page, request, *args, **kwargs)

        serve = subpage_path(slug(route), name=name)(serve)
        return subpage_re_path(lazy(_route_in_any_language, str)(route), name=f"{name}-moved")(
            serve
        )

    return decorator


def subpage_url(page, name: str, request=None, *, absolute: bool = False) -> str:
    """The address of a page's sub-page in the page's own language."""
    base = page.get_full_url(request) if absolute else page.get_url(request)
    with translation.override(page.locale.language_code):
        return base + page.reverse_subpage(name).lstrip("/")
