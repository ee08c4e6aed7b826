"""Offline support: the service worker (served from the root), the manifest, the offline page.

The worker's source is the static file asih/js/sw-source.js; this module prepends the settings it
needs, above all a version derived from the published content and the static files. Publishing,
unpublishing or deploying new assets therefore changes the worker's bytes, the browser installs
the new worker, and the new worker refreshes what was kept offline and drops the old cache.
"""

import hashlib
import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.contrib.staticfiles.utils import get_files
from django.db.models import Count, Max
from django.http import Http404, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import get_conditional_response
from wagtail.models import Page

from .models import ClinicSettings

SW_SOURCE = "asih/js/sw-source.js"
# The app shell precached on install: every stylesheet and script of the site's own, so the
# session view's modules (including those it imports on demand) are there offline.
PRECACHE_PREFIX = "asih/"
PRECACHE_SUFFIXES = (".css", ".js", ".woff2")
OFFLINE_URL = "/offline/"
START_URL = "/id/"
APP_NAME_FALLBACK = "Asih"
# The manifest is read by the phone's installer, outside any request language: written out here.
APP_DESCRIPTIONS = {
    "id": "Panduan ibu dan anak dari klinik, juga tanpa internet.",
    "en": "The clinic's guides for mothers and children, offline too.",
}
SHORT_NAME_MAX = 12
CONNECTORS = {"&", "dan", "and", "-", "–"}
THEME_COLOUR = "#1f6f6b"
BACKGROUND_COLOUR = "#fbf6ef"
ICONS = [
    ("asih/icons/icon-192.png", "192x192", "any"),
    ("asih/icons/icon-512.png", "512x512", "any"),
    ("asih/icons/icon-maskable-512.png", "512x512", "maskable"),
]

_static_digest_cache: dict[tuple, str] = {}


def _asset_files() -> dict[str, str]:
    """Relative path → absolute path of the site's own static assets, as the finders see them."""
    found = {}
    top = PRECACHE_PREFIX.rstrip("/")
    for finder in finders.get_finders():
        # Walk only the asih/ folder of each storage, not every app's static files.
        for storage in getattr(finder, "storages", {}).values():
            if getattr(storage, "prefix", None) or not storage.exists(top):
                continue
            for relative in get_files(storage, location=top):
                found.setdefault(relative.replace("\\", "/"), storage.path(relative))
    return found


def static_version() -> str:
    """A digest of the static files' contents, recomputed only when a file's size or time moves."""
    files = _asset_files()
    signature = []
    for relative in sorted(files):
        stat = Path(files[relative]).stat()
        signature.append((relative, stat.st_size, stat.st_mtime_ns))
    key = tuple(signature)
    if key not in _static_digest_cache:
        digest = hashlib.sha256()
        for relative in sorted(files):
            digest.update(relative.encode())
            digest.update(Path(files[relative]).read_bytes())
        _static_digest_cache.clear()
        _static_digest_cache[key] = digest.hexdigest()
    return _static_digest_cache[key]


def content_version() -> str:
    """What every cached page depends on: the live pages and the clinic's identity."""
    pages = Page.objects.live().aggregate(
        count=Count("id"), published=Max("last_published_at"), revision=Max("live_revision_id")
    )
    clinic = list(ClinicSettings.objects.order_by("pk").values())
    state = json.dumps({"pages": pages, "clinic": clinic}, default=str, sort_keys=True)
    return hashlib.sha256(state.encode()).hexdigest()


def cache_version() -> str:
    return hashlib.sha256(f"{content_version()}:{static_version()}".encode()).hexdigest()[:20]


def _static_url(relative: str) -> str | None:
    try:
        return staticfiles_storage.url(relative)
    except ValueError:
        # A manifest storage that has not collected this file yet: leave it out of the shell.
        return None


def precache_urls() -> list[str]:
    urls = [
        _static_url(relative)
        for relative in sorted(_asset_files())
        if relative.endswith(PRECACHE_SUFFIXES) and relative != SW_SOURCE
    ]
    return [url for url in urls if url]


def service_worker(request):
    source_path = finders.find(SW_SOURCE)
    if not source_path:
        raise Http404("service worker source missing")
    version = cache_version()
    config = {
        "version": version,
        "precache": precache_urls(),
        "offlineUrl": OFFLINE_URL,
        "startUrl": START_URL,
    }
    body = f"const ASIH_OFFLINE = {json.dumps(config)};\n" + Path(source_path).read_text()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # The browser asks again on every navigation; the ETag keeps that to a 304 until a change.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    response["ETag"] = f'"{version}"'
    return get_conditional_response(request, etag=response["ETag"], response=response)


def short_app_name(name: str) -> str:
    """A home-screen label: the end of the name, where an Indonesian clinic's own name stands
    ("Klinik Ibu & Anak Asih (contoh)" → "Anak Asih"), without a parenthesis or a dangling "&"."""
    words = re.sub(r"\([^)]*\)", " ", name).split()
    short = ""
    for start in range(len(words)):
        candidate = " ".join(words[start:])
        if len(candidate) <= SHORT_NAME_MAX:
            short = candidate
            break
    while short.split(" ", 1)[0].lower() in CONNECTORS and " " in short:
        short = short.split(" ", 1)[1]
    if short.lower() in CONNECTORS:
        short = ""
    return short or (words[-1][:SHORT_NAME_MAX] if words else APP_NAME_FALLBACK)


def _app_names(request) -> tuple[str, str]:
    clinic = ClinicSettings.for_request(request)
    name = (clinic.name or "").strip() or APP_NAME_FALLBACK
    return name, short_app_name(name)


def manifest(request, language: str = "id"):
    """The web app manifest of one language's site: it opens that language's home."""
    if language not in dict(settings.LANGUAGES):
        raise Http404("No such language")
    name, short_name = _app_names(request)
    icons = []
    for relative, sizes, purpose in ICONS:
        url = _static_url(relative)
        if url:
            icons.append({"src": url, "sizes": sizes, "type": "image/png", "purpose": purpose})
    data = {
        "id": f"/{language}/",
        "name": name,
        "short_name": short_name,
        "description": APP_DESCRIPTIONS[language],
        "lang": language,
        "dir": "ltr",
        "start_url": f"/{language}/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["health", "medical"],
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


def offline_page(request):
    """Shown by the service worker for a page it has not kept; bilingual, the language unknown."""
    response = TemplateResponse(
        request,
        "offline/offline.html",
        {"clinic_name": (ClinicSettings.for_request(request).name or APP_NAME_FALLBACK)},
    )
    response["Cache-Control"] = "no-cache"
    return response
