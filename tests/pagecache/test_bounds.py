"""Issue 15, finding 7: the page cache stays within a size, whatever visitors send."""

import os
import time

from asih.pagecache.store import FileStore
from asih.pagecache.wsgi import PageCache

from .test_wsgi import FakeApp, request, store  # noqa: F401  (the fixture)

# Small pages (under 512 bytes, so none is compressed: the test stays quick) and a small cap:
# 5,000 of them would take about 3 MB.
CAP = 256 * 1024  # bytes


def stored_bytes(store) -> int:  # noqa: F811
    if isinstance(store, FileStore):
        return sum(
            entry.stat().st_size for entry in (store.root / "entries").rglob("*") if entry.is_file()
        )
    return sum(
        store.client.strlen(key) for key in store.client.scan_iter(f"{store.prefix}:entry:*")
    )


def test_unknown_query_parameters_share_the_canonical_entry_or_skip(store):  # noqa: F811
    app = FakeApp()
    cache = PageCache(app, store)
    request(cache)
    # Campaign tags that WhatsApp and ads add: the page without them.
    for tag in ("utm_source=wa", "fbclid=abc", "utm_source=wa&utm_medium=chat"):
        request(cache, query=tag)
    assert app.calls == 1
    # A parameter no page reads: answered by the app, nothing kept.
    request(cache, query="x=1"), request(cache, query="x=1"), request(cache, query="y=2")
    assert app.calls == 4
    # A parameter pages do read is part of the key, in any order.
    request(cache, query="komentar=2&utm_source=wa"), request(cache, query="komentar=2")
    assert app.calls == 5


def test_host_variants_share_one_entry(store):  # noqa: F811
    app = FakeApp()
    cache = PageCache(app, store)
    for host in ("clinic.example", "CLINIC.example", "clinic.example.", "clinic.example:80"):
        request(cache, host=host)
    assert app.calls == 1
    request(cache, host="other.example")
    assert app.calls == 2


def test_5000_distinct_query_strings_keep_the_store_under_its_cap(store):  # noqa: F811
    store.max_bytes = CAP
    app = FakeApp(body=b"<p>" + os.urandom(240).hex().encode() + b"</p>")
    cache = PageCache(app, store)
    for number in range(5000):
        request(cache, query=f"komentar={number}")
        if number % 500 == 0:
            assert stored_bytes(store) <= CAP
    assert app.calls == 5000
    assert 0 < stored_bytes(store) <= CAP
    # The newest pages are the ones kept.
    request(cache, query="komentar=4999")
    assert app.calls == 5000


def test_expired_entries_are_swept_without_being_read(tmp_path):
    files_store = FileStore(tmp_path / "pc", ttl=60)
    app = FakeApp()
    cache = PageCache(app, files_store)
    for number in range(20):
        request(cache, query=f"komentar={number}")
    files = [p for p in (files_store.root / "entries").rglob("*") if p.is_file()]
    assert len(files) == 20
    old = time.time() - 120
    for path in files:
        os.utime(path, (old, old))
    files_store.sweep()
    assert [p for p in (files_store.root / "entries").rglob("*") if p.is_file()] == []


def test_redis_entries_live_no_longer_than_the_ttl(redis_url):
    import uuid

    from asih.pagecache.store import RedisStore

    redis_store = RedisStore(redis_url, ttl=90, prefix=f"asih-test:{uuid.uuid4().hex}")
    try:
        request(PageCache(FakeApp(), redis_store))
        keys = list(redis_store.client.scan_iter(f"{redis_store.prefix}:entry:*"))
        assert keys and all(0 < redis_store.client.ttl(key) <= 90 for key in keys)
    finally:
        for key in redis_store.client.scan_iter(f"{redis_store.prefix}:*"):
            redis_store.client.delete(key)
