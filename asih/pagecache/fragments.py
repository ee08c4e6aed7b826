"""Parts of a page that are the same for every visitor, kept rendered in Django's cache.

For the renders the whole-page cache does not answer (it is off, or the URL is new). A fragment
is filed under the page cache's own counters (see store.py), read once per request before any
of the fragment's data: the *generation*, bumped by a publish, an unpublish or a change of the
clinic's settings, and, for the parts a single page owns (its comments, share count, related
list), the page's *path version*, bumped through `public_content_changed`. A fragment is
therefore stale exactly when a cached copy of the whole page would be, and there is no second
invalidation scheme to keep in step. Django's cache is Redis when REDIS_URL is set, else each
process's memory: the counters are shared either way, so no process serves a retired fragment.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from .invalidation import page_path
from .store import get_store

logger = logging.getLogger(__name__)


def page_versions(page, request=None) -> tuple[int, int] | None:
    """(generation, path version) for this page, read once per request; None without a store
    or a public URL (then nothing is cached)."""
    memo = getattr(request, "asih_fragment_versions", None) if request is not None else None
    if memo is None:
        memo = {}
        if request is not None:
            request.asih_fragment_versions = memo
    if page.pk not in memo:
        try:
            path = page_path(page)
            memo[page.pk] = get_store().versions(path) if path else None
        except OSError:
            logger.exception("Could not read the page cache counters")
            memo[page.pk] = None
    return memo[page.pk]


def fragments_allowed(request) -> bool:
    # A preview shows a draft under the live page's id: never file it, never answer it.
    return request is not None and not getattr(request, "is_preview", False)


def cached_fragment(
    *,
    request,
    page,
    name: str,
    render: Callable[[], str],
    own: bool = False,
    vary: tuple = (),
) -> SafeString:
    """The rendered fragment `name` of `page`, from the cache or from `render()`.

    `own=True` for what only this page shows (comments, related list): it then also
    follows the page's path version. `vary` holds whatever else the output depends on (a
    revision, a comment page number); the active language is always part of the key.
    """
    versions = page_versions(page, request) if fragments_allowed(request) else None
    if versions is None:
        return mark_safe(render())
    generation, path_version = versions
    # The host too: a page's links are relative on its own site and absolute on another.
    host = request.META.get("HTTP_HOST", "")
    parts = [name, generation, page.pk, translation.get_language() or "-", host]
    if own:
        parts.append(path_version)
    parts.extend(vary)
    text = "|".join(map(str, parts))
    key = "asih:fragment:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, getattr(settings, "ASIH_PAGE_CACHE_TTL", 86400))
    return mark_safe(html)
