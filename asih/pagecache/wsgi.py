"""The page cache as a thin WSGI layer in front of Django.

A cache hit must not enter Django at all: measured on these machines, the same bytes through a
trivial Django view with two middlewares run at ~13% of what a bare WSGI callable achieves. So
this layer looks the request up, and only on a miss calls Django, keeps what came back if it is
a public page, and answers.

Only anonymous GET/HEAD requests are cached; a request carrying the session cookie (staff who
are logged in see the Wagtail user bar) always goes to Django. A response is kept only when it
is 200, sets no cookie, and does not say private/no-store/no-cache: those rules, not a list of
URLs, decide what is public.

A page is filed under what it depends on, so a visitor cannot make new entries at will: the
Host without case, trailing dot or default port, and only the query parameters that pages read
(`KEYED_PARAMS`). Campaign tags are dropped (the page without them is the same page); a request
with any other parameter is answered by Django and not kept. The store itself is bounded
(store.py). HEAD is answered exactly like GET without the body, and the cache's state is shown
(`X-Page-Cache`) only when asked for: neither tells a visitor what others have requested.
"""

from __future__ import annotations

from threading import Lock
from urllib.parse import parse_qsl, urlencode

from django.http.cookie import parse_cookie

from .entry import Entry

CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "text/xml",
    "application/atom+xml",
    "application/rss+xml",
    "text/plain",
)
MAX_BODY = 2 * 1024 * 1024

# Query parameters that change what a cacheable page shows: a stage's page of guides, a guide's
# page of comments, the reply form, the "sent" notice (asih/comments/templatetags), and the
# sign-up and consultation forms' preselection (asih/leads/views.py). Search (q, stage,
# category) is deliberately absent: results are never kept.
KEYED_PARAMS = frozenset({"page", "komentar", "balas", "terkirim", "tahap", "panduan", "langkah"})
# Tags that links shared through WhatsApp, social networks and ads carry: no page reads them.
CAMPAIGN_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "igshid", "mc_cid", "mc_eid"}
)
DEFAULT_PORTS = (":80", ":443")
# Never kept: the admin, JSON endpoints, files, and documents (Wagtail's view checks their
# collection's privacy on every request).
BYPASS_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/documents/")


class _Memory:
    """A small per-process cache in front of the shared store. Entries are immutable per key,
    so a read needs no lock (a dict lookup is atomic); writers take the lock and evict the
    oldest entries beyond `size`."""

    def __init__(self, size: int):
        self.size = size
        self.items: dict = {}
        self.lock = Lock()

    def get(self, key):
        return self.items.get(key)

    def put(self, key, entry):
        with self.lock:
            self.items.pop(key, None)
            self.items[key] = entry  # dicts keep insertion order: the first key is the oldest
            while len(self.items) > self.size:
                del self.items[next(iter(self.items))]


class PageCache:
    def __init__(
        self,
        app,
        store,
        *,
        session_cookie: str = "sessionid",
        bypass_prefixes: tuple[str, ...] = BYPASS_PREFIXES,
        language_codes: tuple[str, ...] = ("id", "en"),
        memory_entries: int = 512,
        keyed_params: frozenset[str] = KEYED_PARAMS,
        state_header: bool = False,
    ):
        self.app = app
        self.store = store
        self.session_cookie = session_cookie
        self.bypass_prefixes = bypass_prefixes
        self.language_codes = language_codes
        self.memory = _Memory(memory_entries)
        self.keyed_params = keyed_params
        self.state_header = state_header
        self._encodings: dict = {}
        self._hosts: dict = {}

    # -- WSGI -----------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        cookie = environ.get("HTTP_COOKIE")
        if (
            method not in ("GET", "HEAD")
            # Cheap substring test first: most requests carry no session (or no cookie at all).
            or (cookie and self.session_cookie in cookie and self._has_session(cookie))
            or path.startswith(self.bypass_prefixes)
        ):
            return self.app(environ, start_response)
        query = environ.get("QUERY_STRING", "")
        if query:
            query = self._canonical_query(query)
            if query is None:  # a parameter no page is known to read: never kept
                return self.app(environ, start_response)
        raw_host = environ.get("HTTP_HOST", "")
        host = self._hosts.get(raw_host) or self._canonical_host(raw_host)

        base = f"{host}|{path}?{query}"
        try:
            versions = self.store.versions(path)
            entry = self._lookup(versions, path, base, environ)
        except OSError:
            return self.app(environ, start_response)  # a broken store: serve uncached
        if entry is not None:
            return self._answer(entry, environ, start_response, "HIT")
        # Django renders the canonical request, so the entry is exactly what its key says; a
        # HEAD is rendered as the GET it stands for, so both get the same headers.
        canonical = {**environ, "REQUEST_METHOD": "GET", "QUERY_STRING": query}
        if host:
            canonical["HTTP_HOST"] = host
        return self._render_and_keep(versions, path, base, canonical, environ, start_response)

    # -- internals ------------------------------------------------------------------------

    def _has_session(self, cookie_header: str) -> bool:
        # Parsed as Django parses it: "sessionid =x" is a session too.
        return self.session_cookie in parse_cookie(cookie_header)

    def _canonical_query(self, query: str) -> str | None:
        kept = []
        for name, value in parse_qsl(query, keep_blank_values=True):
            if name in self.keyed_params:
                kept.append((name, value))
            elif not (name.startswith("utm_") or name in CAMPAIGN_PARAMS):
                return None
        kept.sort(key=lambda item: item[0])  # stable: repeated names keep their order
        return urlencode(kept)

    def _canonical_host(self, host: str) -> str:
        canonical = self._hosts.get(host)
        if canonical is None:
            canonical = host.lower().rstrip(".")
            if canonical.endswith(DEFAULT_PORTS):
                canonical = canonical.rsplit(":", 1)[0].rstrip(".")
            if len(self._hosts) < 256:  # a site answers to a handful of names
                self._hosts[host] = canonical
        return canonical

    def _language_of(self, environ) -> str:
        accept = environ.get("HTTP_ACCEPT_LANGUAGE", "")
        for part in accept.split(","):
            code = part.split(";")[0].strip().lower()[:2]
            if code in self.language_codes:
                return code
        return "-"

    def _lookup(self, versions, path, base, environ):
        entry = self._find(versions, path, base)
        # Responses that vary by Accept-Language are filed under the language they were made
        # for; the plain key says which kind of response this URL gave.
        if entry is not None and entry.status == "vary-language":
            entry = self._find(versions, path, f"{base}|lang={self._language_of(environ)}")
            if entry is not None and entry.status == "vary-language":
                return None
        return entry

    def _find(self, versions, path, variant):
        key = (versions, variant)
        entry = self.memory.get(key)
        if entry is None:
            blob = self.store.get(versions, path, variant)
            if blob is None:
                return None
            entry = Entry.unpack(blob)
            if entry is None:
                return None
            self.memory.put(key, entry)
        return entry

    def _render_and_keep(self, versions, path, base, canonical, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: captured.setdefault("written", []).append(data)

        result = self.app(canonical, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        body = b"".join(captured.get("written", [])) + body
        status, headers = captured["status"], captured["headers"]

        if not self._is_public(status, headers, body):
            start_response(status, headers)
            return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

        entry = Entry.build(status, headers, body)
        variant = base
        try:
            if self._varies_by_language(headers):
                marker = Entry(status="vary-language", headers=[], bodies={})
                self.store.put(versions, path, base, marker.pack())
                variant = f"{base}|lang={self._language_of(environ)}"
            self.store.put(versions, path, variant, entry.pack())
        except OSError:
            pass  # the page is still answered; the next request tries again
        return self._answer(entry, environ, start_response, "MISS")

    @staticmethod
    def _header(headers, name: str) -> str:
        name = name.lower()
        return ", ".join(v for k, v in headers if k.lower() == name)

    def _varies_by_language(self, headers) -> bool:
        return "accept-language" in self._header(headers, "Vary").lower()

    def _is_public(self, status: str, headers, body: bytes) -> bool:
        if not status.startswith("200") or len(body) > MAX_BODY:
            return False
        if self._header(headers, "Set-Cookie"):
            return False
        cache_control = self._header(headers, "Cache-Control").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        vary = {v.strip().lower() for v in self._header(headers, "Vary").split(",") if v.strip()}
        # Cookie: requests with the session cookie never reach the cache, so an anonymous
        # rendering is the rendering for everyone without one.
        if vary - {"cookie", "accept-language", "accept-encoding"}:
            return False
        content_type = self._header(headers, "Content-Type").lower()
        return content_type.startswith(CACHEABLE_TYPES)

    def _answer(self, entry: Entry, environ, start_response, state: str):
        # The answer's headers depend only on the entry, the encoding and HIT/MISS: built once
        # per entry and kept on it, so a cache hit does as little Python work as possible.
        encoding = self._encoding_for(entry, environ.get("HTTP_ACCEPT_ENCODING", ""))
        prepared = entry.prepared.get((encoding, state))
        if prepared is None:
            prepared = self._prepare(entry, encoding, state)
            entry.prepared[(encoding, state)] = prepared
        etag, headers, not_modified_headers, body = prepared
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match and (
            if_none_match.strip() == "*"
            or etag in [tag.strip() for tag in if_none_match.split(",")]
        ):
            start_response("304 Not Modified", list(not_modified_headers))
            return [b""]
        start_response(entry.status, list(headers))
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def _encoding_for(self, entry: Entry, accept_encoding: str) -> str:
        key = (accept_encoding, tuple(entry.bodies))
        encoding = self._encodings.get(key)
        if encoding is None:
            encoding = entry.choose_encoding(accept_encoding)
            if len(self._encodings) < 256:  # browsers send a handful of distinct values
                self._encodings[key] = encoding
        return encoding

    def _prepare(self, entry: Entry, encoding: str, state: str):
        etag = entry.etag if encoding == "identity" else f'{entry.etag[:-1]}-{encoding}"'
        headers = [(k, v) for k, v in entry.headers if k.lower() != "vary"]
        vary = [v.strip() for v in self._header(entry.headers, "Vary").split(",") if v.strip()]
        if "accept-encoding" not in {v.lower() for v in vary}:
            vary.append("Accept-Encoding")
        headers += [("ETag", etag), ("Vary", ", ".join(vary))]
        if self.state_header:  # for tests and benchmarks only (see the module's docstring)
            headers.append(("X-Page-Cache", state))
        not_modified = tuple(
            (k, v)
            for k, v in headers
            if k.lower() in ("cache-control", "etag", "vary", "x-page-cache", "expires")
        )
        body = entry.bodies[encoding]
        if encoding != "identity":
            headers.append(("Content-Encoding", encoding))
        headers.append(("Content-Length", str(len(body))))
        return etag, tuple(headers), not_modified, body


def wrap(app):
    """Put the page cache in front of a Django WSGI app when settings.ASIH_PAGE_CACHE is on."""
    from django.conf import settings

    from .store import get_store

    if not getattr(settings, "ASIH_PAGE_CACHE", False):
        return app
    return PageCache(
        app,
        get_store(),
        session_cookie=settings.SESSION_COOKIE_NAME,
        language_codes=tuple(code for code, _ in settings.LANGUAGES),
        state_header=settings.DEBUG or getattr(settings, "ASIH_PAGE_CACHE_STATE_HEADER", False),
    )
