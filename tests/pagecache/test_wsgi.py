"""The page cache in front of a WSGI app: what it keeps, how it answers, when it steps aside."""

import gzip
import uuid
from wsgiref.util import setup_testing_defaults

import pytest

from asih.pagecache.entry import Entry
from asih.pagecache.store import FileStore, RedisStore
from asih.pagecache.wsgi import PageCache


class FakeApp:
    """A WSGI app that counts calls and answers what the test tells it to."""

    def __init__(self, body=b"<p>" + b"guide " * 200 + b"</p>"):
        self.calls = 0
        self.status = "200 OK"
        self.headers = [("Content-Type", "text/html; charset=utf-8"), ("Vary", "Cookie")]
        self.body = body

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response(self.status, list(self.headers))
        return [self.body]


def request(app, path="/id/guide/", method="GET", **headers):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": headers.pop("query", ""),
        "HTTP_HOST": "clinic.example",
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = status
        answer["headers"] = dict(response_headers)

    answer["body"] = b"".join(app(environ, start_response))
    return answer


@pytest.fixture(params=["file", "redis"])
def store(request, tmp_path):
    if request.param == "file":
        yield FileStore(tmp_path / "pagecache")
        return
    redis_store = RedisStore(
        request.getfixturevalue("redis_url"), prefix=f"asih-test:{uuid.uuid4().hex}"
    )
    yield redis_store
    for key in redis_store.client.scan_iter(f"{redis_store.prefix}:*"):
        redis_store.client.delete(key)


def test_second_get_is_answered_from_the_cache_with_the_same_bytes(store):
    app = FakeApp()
    cache = PageCache(app, store, state_header=True)
    first, second = request(cache), request(cache)
    assert app.calls == 1
    assert first["body"] == second["body"] == app.body
    assert (first["headers"]["X-Page-Cache"], second["headers"]["X-Page-Cache"]) == ("MISS", "HIT")
    assert second["headers"]["ETag"] == first["headers"]["ETag"]
    assert second["headers"]["Content-Length"] == str(len(app.body))


def test_compressed_variants_and_conditional_get(store):
    app = FakeApp()
    cache = PageCache(app, store, state_header=True)
    request(cache)
    zipped = request(cache, accept_encoding="gzip, deflate")
    assert zipped["headers"]["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped["body"]) == app.body
    assert "Accept-Encoding" in zipped["headers"]["Vary"]
    assert "Cookie" in zipped["headers"]["Vary"]
    brotli_answer = request(cache, accept_encoding="gzip, br")
    assert brotli_answer["headers"]["Content-Encoding"] == "br"
    assert len(brotli_answer["body"]) < len(app.body)
    refused = request(cache, accept_encoding="br;q=0, gzip;q=0")
    assert "Content-Encoding" not in refused["headers"]
    not_modified = request(cache, accept_encoding="gzip", if_none_match=zipped["headers"]["ETag"])
    assert not_modified["status"].startswith("304") and not_modified["body"] == b""
    # The gzip ETag does not validate the identity body.
    plain = request(cache, if_none_match=zipped["headers"]["ETag"])
    assert plain["status"].startswith("200")
    assert app.calls == 1


def test_head_is_answered_without_a_body(store):
    app = FakeApp()
    cache = PageCache(app, store, state_header=True)
    request(cache)
    head = request(cache, method="HEAD")
    assert head["body"] == b"" and head["headers"]["Content-Length"] == str(len(app.body))
    assert app.calls == 1


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("status", "404 Not Found"),
        ("status", "302 Found"),
        ("headers", [("Content-Type", "text/html"), ("Set-Cookie", "a=b")]),
        ("headers", [("Content-Type", "text/html"), ("Cache-Control", "private")]),
        ("headers", [("Content-Type", "text/html"), ("Cache-Control", "no-store")]),
        ("headers", [("Content-Type", "text/html"), ("Vary", "Authorization")]),
        ("headers", [("Content-Type", "application/json")]),
    ],
)
def test_responses_that_are_not_public_are_never_kept(store, change, value):
    app = FakeApp()
    setattr(app, change, value)
    cache = PageCache(app, store, state_header=True)
    request(cache), request(cache)
    assert app.calls == 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"method": "POST"},
        {"cookie": "asih_language=id; sessionid=abc"},
        {"path": "/admin/pages/"},
        {"path": "/api/form-token/"},
    ],
)
def test_requests_that_may_be_personal_go_to_the_app(store, kwargs):
    app = FakeApp()
    cache = PageCache(app, store, state_header=True)
    request(cache, **kwargs), request(cache, **kwargs)
    assert app.calls == 2


def test_query_strings_and_hosts_are_separate_pages(store):
    app = FakeApp()
    cache = PageCache(app, store, state_header=True)
    request(cache), request(cache, query="komentar=2"), request(cache, host="other.example")
    assert app.calls == 3


def test_responses_that_vary_by_language_are_kept_per_language(store):
    app = FakeApp()
    app.headers = [("Content-Type", "application/xml"), ("Vary", "Accept-Language")]
    cache = PageCache(app, store, state_header=True)
    request(cache, path="/sitemap.xml", accept_language="id-ID,id;q=0.9")
    request(cache, path="/sitemap.xml", accept_language="id")
    assert app.calls == 1
    request(cache, path="/sitemap.xml", accept_language="en-GB")
    assert app.calls == 2


def test_purging_a_path_and_bumping_the_generation_retire_entries(store):
    app = FakeApp()
    cache = PageCache(app, store, state_header=True)
    request(cache), request(cache, path="/id/other/")
    store.purge_path("/id/guide/")
    request(cache), request(cache, path="/id/other/")
    assert app.calls == 3  # only the purged path was rendered again
    store.bump_generation()
    request(cache), request(cache, path="/id/other/")
    assert app.calls == 5


def test_a_page_rendered_during_an_invalidation_is_not_served_later(store):
    """Rendering takes time: an entry is filed under the counters read before rendering."""
    app = FakeApp()
    cache = PageCache(app, store, state_header=True)
    real_app = cache.app

    def slow_app(environ, start_response):
        store.purge_path("/id/guide/")  # a comment gets approved while this page renders
        return real_app(environ, start_response)

    cache.app = slow_app
    request(cache)
    cache.app = real_app
    assert request(cache)["headers"]["X-Page-Cache"] == "MISS"


def test_a_broken_store_means_uncached_answers_not_errors(tmp_path):
    class Broken(FileStore):
        def versions(self, path):
            raise OSError("disk gone")

    app = FakeApp()
    cache = PageCache(app, Broken(tmp_path / "pc"), state_header=True)
    assert request(cache)["body"] == app.body
    assert app.calls == 1


def test_damaged_entries_are_misses():
    entry = Entry.build("200 OK", [("Content-Type", "text/html")], b"x" * 1000)
    blob = entry.pack()
    assert Entry.unpack(blob).bodies == entry.bodies
    assert Entry.unpack(blob[:-3]) is None
    assert Entry.unpack(b"garbage") is None


def test_file_store_entries_expire(tmp_path):
    store = FileStore(tmp_path / "pc", ttl=0)
    app = FakeApp()
    cache = PageCache(app, store, state_header=True)
    request(cache), request(cache)
    assert app.calls == 2
