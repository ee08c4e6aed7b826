"""Renders the complete guide to PDF with WeasyPrint, reading only local static and media files."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .selectors import PRINT_STYLESHEET

REMOTE_URL_REFUSED = "The complete guide only uses the site's own static and media files: {url}"


class LocalFilesFetcher(URLFetcher):
    """Serves the site's own /static/ and /media/ URLs from disk and refuses everything else.

    The PDF is built on the server: a fetch to another host would leak that the build happened
    and make it depend on the network, and a file: URL could read anything on the machine.
    """

    def __init__(self, origin: str):
        super().__init__(allowed_protocols=["http", "https"])
        self.origin = origin.rstrip("/")

    def fetch(self, url, headers=None):
        path = self.local_path(url)
        if path is None:
            raise ValueError(REMOTE_URL_REFUSED.format(url=url))
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime_type})

    def local_path(self, url: str) -> Path | None:
        """The file on disk behind one of the site's static or media URLs, else None."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin != self.origin or parts.query:
            return None
        url_path = unquote(parts.path)
        if ".." in url_path.split("/"):
            return None
        if url_path.startswith(settings.MEDIA_URL):
            root = Path(settings.MEDIA_ROOT).resolve()
            candidate = (root / url_path[len(settings.MEDIA_URL) :]).resolve()
            if root in candidate.parents and candidate.is_file():
                return candidate
            return None
        if url_path.startswith(settings.STATIC_URL):
            found = finders.find(url_path[len(settings.STATIC_URL) :])
            return Path(found) if found else None
        return None


def render_html(context: dict, language: str) -> str:
    with translation.override(language):
        return render_to_string("guidebook/pdf/guidebook.html", context)


def write_pdf(*, html: str, origin: str, target: Path) -> None:
    fetcher = LocalFilesFetcher(origin)
    stylesheet = CSS(filename=finders.find(PRINT_STYLESHEET), url_fetcher=fetcher)
    HTML(string=html, base_url=origin + "/", url_fetcher=fetcher).write_pdf(
        target, stylesheets=[stylesheet]
    )
