"""The PDF renderer reads only the site's own static and media files, never the network."""

import socket

import pytest

from asih.guidebook.pdf import LocalFilesFetcher, write_pdf

ORIGIN = "http://localhost"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/tracker.png",
        "http://localhost:8080/static/asih/css/asih.css",  # same host, other origin
        "file:///etc/passwd",
        f"{ORIGIN}/media/../../etc/passwd",
        f"{ORIGIN}/media/%2e%2e/%2e%2e/etc/passwd",
        f"{ORIGIN}/admin/",
        f"{ORIGIN}/static/asih/css/asih.css?v=1",
    ],
)
def test_fetcher_refuses_anything_but_local_files(url):
    with pytest.raises(ValueError):
        LocalFilesFetcher(ORIGIN).fetch(url)


def test_fetcher_serves_static_and_media_files(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "original_images").mkdir()
    (tmp_path / "original_images" / "logo.svg").write_text("<svg/>")
    fetcher = LocalFilesFetcher(ORIGIN)
    media = fetcher.fetch(f"{ORIGIN}{settings.MEDIA_URL}original_images/logo.svg")
    assert media.read() == b"<svg/>"
    assert media.content_type == "image/svg+xml"
    static = fetcher.fetch(f"{ORIGIN}{settings.STATIC_URL}asih/css/guidebook-print.css")
    assert b"@page" in static.read()


def test_rendering_never_opens_a_connection(tmp_path, monkeypatch):
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("no network in the PDF build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    html = (
        '<p>Halo</p><img src="https://example.com/a.png">'
        '<link rel="stylesheet" href="https://fonts.example.com/font.css">'
    )
    target = tmp_path / "out.pdf"
    write_pdf(html=html, origin=ORIGIN, target=target)
    assert target.read_bytes().startswith(b"%PDF")
    assert attempts == []
