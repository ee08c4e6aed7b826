"""Refreshing nginx's copy of a changed page, and purging in the page's own language."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import translation

from asih.core.signals import public_content_changed
from asih.pagecache import store as store_module
from asih.pagecache.frontend import NginxRefreshBackend


@pytest.fixture
def fake_nginx():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's API)
            seen.append((self.command, self.path, dict(self.headers)))
            self.send_response(404 if "/en/" in self.path else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()


def test_a_purge_is_a_local_get_with_the_refresh_header(fake_nginx, caplog):
    location, seen = fake_nginx
    backend = NginxRefreshBackend({"LOCATION": location})
    backend.purge("https://klinik.example/id/setelah-melahirkan/pijat-oksitosin/?komentar=2")
    backend.purge("https://klinik.example/en/missing/")  # a 404 is not an error worth a log
    method, path, headers = seen[0]
    assert method == "GET"
    assert path == "/id/setelah-melahirkan/pijat-oksitosin/?komentar=2"
    assert headers["Host"] == "klinik.example"
    assert headers["X-Asih-Refresh"] == "1"
    assert "Could not refresh" not in caplog.text


def test_an_unreachable_nginx_is_logged_not_raised(caplog):
    NginxRefreshBackend({"LOCATION": "http://127.0.0.1:9", "TIMEOUT": 2}).purge(
        "http://klinik.example/id/"
    )
    assert "Could not refresh" in caplog.text


@pytest.mark.django_db
def test_changes_retire_the_page_in_its_own_language(oxytocin, settings, tmp_path, fake_nginx):
    location, seen = fake_nginx
    settings.ASIH_PAGE_CACHE_DIR = tmp_path / "pc"
    settings.REDIS_URL = ""
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "asih.pagecache.frontend.NginxRefreshBackend", "LOCATION": location}
    }
    settings.WAGTAILFRONTENDCACHE_LANGUAGES = []
    store_module.reset_store()
    try:
        store = store_module.get_store()
        path = oxytocin["id"].get_url(request=None)
        before = store.versions(path)
        with translation.override("en"):  # e.g. an English-speaking moderator approves
            public_content_changed.send(sender=None, pages=[oxytocin["id"]])
        assert store.versions(path)[1] == before[1] + 1
        assert [p for _, p, _ in seen] == [path]
    finally:
        store_module.reset_store()
