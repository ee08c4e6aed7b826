"""Defences shared by every public form: same-origin POSTs, per-IP rate limits and bot traps.

Why no CSRF token: public pages are the same bytes for every anonymous visitor so that they can
be cached whole (in nginx, Redis or a CDN). A per-visitor CSRF token in the HTML, or the cookie
that goes with it, would break that. Instead a public POST is accepted only when the browser
says it came from this site: `Sec-Fetch-Site: same-origin` (sent by every current browser, and
not settable by page scripts), or failing that an `Origin` (or `Referer`) whose scheme and host
are this site's. A cross-site form or fetch carries `Sec-Fetch-Site: cross-site` and an
`Origin` of the other site, so it is refused. Forms handled this way never act on a login
session (they only record what the visitor typed), so there is no ambient authority to steal.

The bot traps are two hidden fields: a honeypot that people never see, and `started`, a signed
timestamp that a small script fetches from `form_token` when the visitor first touches the
form (the HTML cannot carry it without becoming per-visitor). A form sent faster than a person
could type is a bot; a form without a timestamp (JavaScript off, or a script that posts
directly) is "unverified" and the feature decides what that means — comments are held for
moderation, never dropped.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

CROSS_SITE_MESSAGE = _(
    "This form can only be sent from a page of this site. Please open the page again and retry."
)
RATE_LIMIT_MESSAGE = _(
    "You have sent this form many times in a short while. Please wait a few minutes and try again."
)

_TOKEN_SALT = "asih.core.protection.started"
HONEYPOT_FIELD = "website"
STARTED_FIELD = "started"


# --- Same-origin POSTs ---------------------------------------------------------------------


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_same_origin(request: HttpRequest) -> bool:
    """Whether the browser says this request was made by a page of this site."""
    fetch_site = request.headers.get("Sec-Fetch-Site", "").lower()
    if fetch_site:
        # "none" is a user typing the URL or a bookmark: never a form post.
        return fetch_site == "same-origin"
    own_origin = f"{request.scheme}://{request.get_host()}".lower()
    origin = request.headers.get("Origin")
    if origin:
        return origin.lower() != "null" and origin.lower() == own_origin
    referer = request.headers.get("Referer")
    if referer:
        return _origin_of(referer) == own_origin
    return False


def same_origin_post(view):
    """Exempt a public form view from the CSRF token and check the request's origin instead.

    GET and HEAD pass untouched (the view renders the form); any other method must come from a
    page of this site or gets a 403 page that says why, in the page's language.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") and not is_same_origin(request):
            return forbidden_cross_site(request)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def forbidden_cross_site(request: HttpRequest):
    if _wants_json(request):
        return JsonResponse({"error": str(CROSS_SITE_MESSAGE)}, status=403)
    html = render_to_string(
        "core/form_refused.html", {"message": CROSS_SITE_MESSAGE}, request=request
    )
    return HttpResponseForbidden(html)


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    content_type = request.headers.get("Content-Type", "")
    return "application/json" in accept or "application/json" in content_type


# --- Rate limits ---------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The visitor's address, trusting X-Forwarded-For only from as many proxies as configured."""
    proxies = getattr(settings, "ASIH_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [p.strip() for p in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def axes_client_ip(request: HttpRequest) -> str | None:
    """The address django-axes records: it goes into an IP-address column (PostgreSQL's inet),
    so anything that is not an address (a test request without one, a forged header) is None."""
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def visitor_key(request: HttpRequest) -> str:
    """A stable, non-reversible key for the visitor's address (no IP is stored anywhere)."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{client_ip(request)}".encode())
    return digest.hexdigest()[:32]


def _count_in_database(key: str, *, expires_at: int, now: int) -> int:
    """Add one to `key` and return its count: one atomic upsert, shared by every process."""
    from django.db import connections, router

    from asih.core.models import RateCount

    alias = router.db_for_write(RateCount)
    connection = connections[alias]
    table = connection.ops.quote_name(RateCount._meta.db_table)
    with connection.cursor() as cursor:
        # SQLite (3.35+) and PostgreSQL both take INSERT … ON CONFLICT … RETURNING: two app
        # servers counting the same key at once each get their own, distinct count.
        cursor.execute(
            f'INSERT INTO {table} ("key", "count", "expires_at") VALUES (%s, 1, %s) '
            f'ON CONFLICT ("key") DO UPDATE SET "count" = {table}."count" + 1 '
            f'RETURNING "count"',
            [key, expires_at],
        )
        count = cursor.fetchone()[0]
        if count == 1:  # a new window: drop the counters whose windows have passed
            cursor.execute(f'DELETE FROM {table} WHERE "expires_at" < %s', [now])
    return count


def _read_from_database(key: str, *, now: int) -> int:
    from asih.core.models import RateCount

    row = RateCount.objects.filter(key=key, expires_at__gte=now).values_list("count").first()
    return row[0] if row else 0


def _shared_store() -> str:
    """Where counts live: "cache" (Redis, shared by every server) or "database"."""
    return getattr(settings, "ASIH_RATE_LIMIT_STORE", "cache")


def count_use(key: str, *, window: int, now: float | None = None) -> int:
    """Count one use of `key` (which names its window) and return the uses so far."""
    now = time.time() if now is None else now
    if _shared_store() == "database":
        return _count_in_database(key, expires_at=int(now) + window + 5, now=int(now))
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def uses_so_far(key: str, *, now: float | None = None) -> int:
    now = time.time() if now is None else now
    if _shared_store() == "database":
        return _read_from_database(key, now=int(now))
    return cache.get(key) or 0


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` uses of `scope` per visitor address in a fixed window of `window` seconds."""

    scope: str
    limit: int
    window: int

    def _key(self, who: str, now: float) -> str:
        bucket = int(now // self.window)
        return f"asih:rl:{self.scope}:{who}:{bucket}"

    def hit(self, request: HttpRequest, *, now: float | None = None) -> bool:
        """Count one use; True when the visitor is over the limit (the use is still counted).

        Counts live in Redis when REDIS_URL is set, else in the database: either way every
        app-server process shares them (a process's own memory would multiply the limit).
        """
        return self.hit_for(visitor_key(request), now=now)

    def hit_for(self, who: str, *, now: float | None = None) -> bool:
        """The same, for a key other than the visitor's address (an account, an email)."""
        now = time.time() if now is None else now
        return count_use(self._key(who, now), window=self.window, now=now) > self.limit

    def exceeded(self, request: HttpRequest, *, now: float | None = None) -> bool:
        """Whether the visitor is already over the limit, without counting a use."""
        now = time.time() if now is None else now
        return uses_so_far(self._key(visitor_key(request), now), now=now) > self.limit


# Posts that follow a link from an email (confirm, erase, unsubscribe) carry a token instead of
# form fields; they get one shared, generous limit, which also bounds guessing tokens.
LINK_ACTION_LIMIT = RateLimit("link-actions", limit=60, window=3600)


def limit_posts(rate: RateLimit):
    """Answer 429 (a page in the visitor's language, or JSON) once an address goes over `rate`.

    Only POSTs count: following the link (GET) shows a page and changes nothing.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") and rate.hit(request):
                return too_many_posts(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def too_many_posts(request: HttpRequest):
    if _wants_json(request):
        response = JsonResponse({"error": str(RATE_LIMIT_MESSAGE)}, status=429)
    else:
        html = render_to_string(
            "core/form_refused.html", {"message": RATE_LIMIT_MESSAGE}, request=request
        )
        response = HttpResponse(html, status=429)
    add_never_cache_headers(response)
    return response


# --- Bot traps -----------------------------------------------------------------------------


def make_started_token(now: float | None = None) -> str:
    return signing.dumps(int(time.time() if now is None else now), salt=_TOKEN_SALT)


def started_at(token: str) -> int | None:
    """The time a form was first touched, or None if the token is missing or tampered."""
    if not token:
        return None
    try:
        value = signing.loads(token, salt=_TOKEN_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


@require_GET
def form_token(request):
    """A fresh signed timestamp for the bot-trap field; never cached (it is per visitor)."""
    response = JsonResponse({"started": make_started_token()})
    add_never_cache_headers(response)
    return response


def honeypot_filled(data) -> bool:
    """The hidden honeypot field is filled only by bots that fill every field they find."""
    return bool(str(data.get(HONEYPOT_FIELD) or "").strip())


class BotTrapMixin(forms.Form):
    """Adds the honeypot and timing fields; `bot_verdict()` says what they show.

    Verdicts: "ok" (a person took a plausible time), "unverified" (no timestamp: JavaScript off
    or a direct post), "spam" (honeypot filled, too fast, or a forged timestamp).
    """

    website = forms.CharField(
        required=False,
        max_length=200,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def _clean_fields(self):
        super()._clean_fields()
        # The traps are hidden: an error on them would refuse the form with no message the
        # visitor can see. What they hold (too long, garbage) is for bot_verdict() to judge.
        for name in (HONEYPOT_FIELD, STARTED_FIELD):
            self._errors.pop(name, None)

    def bot_verdict(self, *, now: float | None = None) -> str:
        data = self.data
        if honeypot_filled(data):
            return "spam"
        token = (data.get(STARTED_FIELD) or "").strip()
        if not token:
            return "unverified"
        started = started_at(token)
        if started is None:
            return "spam"
        elapsed = (time.time() if now is None else now) - started
        if elapsed < getattr(settings, "ASIH_FORM_MIN_SECONDS", 3):
            return "spam"
        return "ok"
