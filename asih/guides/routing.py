"""A remembered route from a language's home to the page a URL names (home → stage → guide).

Wagtail finds a guide by walking the tree, two queries per level (the child by slug, then its
specific row). The answer only changes when the tree does: a publish, an unpublish, a move or a
deletion, each of which bumps the page cache's generation (asih.pagecache.invalidation). So the
page found is remembered in Django's cache under that generation, and a later request for the
same path loads the page itself in one query. The page still routes itself (its own `live`
check, a guide's session and plan sub-pages), and every miss walks the tree as before.
"""

from __future__ import annotations

import hashlib
import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import cache

from asih.pagecache.store import get_store

logger = logging.getLogger(__name__)


def _key(home, request, path_components) -> str | None:
    try:
        generation = get_store().versions(request.path)[0]
    except OSError:
        logger.exception("Could not read the page cache counters")
        return None
    text = "|".join([str(generation), str(home.pk), *path_components])
    return "asih:route:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def route_remembered(home, request, path_components, walk):
    """`walk(request, path_components)` is Wagtail's own routing from `home`."""
    if not path_components or getattr(request, "is_preview", False):
        return walk(request, path_components)
    key = _key(home, request, path_components)
    if key is None:
        return walk(request, path_components)
    remembered = cache.get(key)
    if remembered is not None:
        label, page_id, consumed = remembered
        model = apps.get_model(label)
        # get(), not first(): an ORDER BY on the joined tables makes SQLite scan every page;
        # the locale comes along (the page cache counters are read under its URL).
        try:
            page = model.objects.select_related("locale").get(pk=page_id)
        except model.DoesNotExist:
            page = None
        if page is not None:
            return page.route(request, path_components[consumed:])
    result = walk(request, path_components)
    page = result[0] if result else None
    if page is not None and page.depth > home.depth:
        consumed = page.depth - home.depth  # one path component per tree level below home
        timeout = getattr(settings, "ASIH_PAGE_CACHE_TTL", 86400)
        cache.set(key, (page._meta.label, page.pk, consumed), timeout)
    return result
