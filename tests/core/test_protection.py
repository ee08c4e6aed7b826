"""Shared defences of public forms: origin checks, rate limits, honeypot and timing."""

import time

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from asih.core import protection
from asih.core.protection import BotTrapMixin, RateLimit, is_same_origin, same_origin_post


@pytest.fixture
def rf():
    return RequestFactory()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, True),
        ({"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"}, False),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, False),
        ({"HTTP_SEC_FETCH_SITE": "none"}, False),
        ({"HTTP_ORIGIN": "http://testserver"}, True),
        ({"HTTP_ORIGIN": "http://evil.example"}, False),
        ({"HTTP_ORIGIN": "null"}, False),
        ({"HTTP_REFERER": "http://testserver/id/guide/"}, True),
        ({"HTTP_REFERER": "http://testserver.evil.example/"}, False),
        ({}, False),
    ],
)
def test_same_origin_judges_browser_headers(rf, headers, expected):
    assert is_same_origin(rf.post("/form/", **headers)) is expected


@pytest.mark.django_db
def test_same_origin_post_refuses_cross_site_with_a_message(rf):
    from django.utils import translation

    @same_origin_post
    def view(request):
        return HttpResponse("stored")

    with translation.override("id"):
        refused = view(rf.post("/form/", HTTP_ORIGIN="http://evil.example"))
    assert refused.status_code == 403
    assert "Formulir ini hanya bisa dikirim" in refused.content.decode()
    assert "stored" not in refused.content.decode()
    assert view(rf.post("/form/", HTTP_SEC_FETCH_SITE="same-origin")).content == b"stored"
    assert view(rf.get("/form/")).content == b"stored"
    as_json = view(rf.post("/form/", HTTP_ACCEPT="application/json"))
    assert as_json.status_code == 403 and b"error" in as_json.content


def test_form_token_endpoint_answers_only_get(client):
    response = client.post("/api/form-token/")  # a GET-only view: 405 whatever the origin
    assert response.status_code == 405


def test_rate_limit_counts_per_address_in_a_window(rf):
    limit = RateLimit("test", limit=3, window=60)
    first = rf.post("/", REMOTE_ADDR="10.0.0.1")
    other = rf.post("/", REMOTE_ADDR="10.0.0.2")
    now = 1_000_000.0
    assert [limit.hit(first, now=now) for _ in range(4)] == [False, False, False, True]
    assert limit.exceeded(first, now=now)
    assert not limit.hit(other, now=now)
    assert not limit.hit(first, now=now + 60)  # the next window starts afresh


def test_client_ip_trusts_forwarded_only_from_configured_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    assert protection.client_ip(request) == "127.0.0.1"
    settings.ASIH_TRUSTED_PROXY_COUNT = 1
    assert protection.client_ip(request) == "203.0.113.9"


def test_visitor_key_does_not_contain_the_address(rf):
    key = protection.visitor_key(rf.get("/", REMOTE_ADDR="198.51.100.7"))
    assert "198.51.100.7" not in key and len(key) == 32


class _Form(BotTrapMixin):
    pass


def test_bot_verdicts():
    now = time.time()
    token = protection.make_started_token(now - 30)
    assert _Form({"started": token}).bot_verdict(now=now) == "ok"
    assert _Form({}).bot_verdict(now=now) == "unverified"
    assert _Form({"started": token, "website": "http://spam"}).bot_verdict(now=now) == "spam"
    fast = protection.make_started_token(now - 1)
    assert _Form({"started": fast}).bot_verdict(now=now) == "spam"
    assert _Form({"started": token + "x"}).bot_verdict(now=now) == "spam"


def test_form_token_endpoint_is_never_cached(client):
    response = client.get("/api/form-token/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert protection.started_at(response.json()["started"]) is not None
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_posts_that_follow_an_email_link_share_one_limit_per_address(client):
    url = "/id/berhenti/not-a-real-token/"
    for _ in range(protection.LINK_ACTION_LIMIT.limit + 5):
        assert client.get(url).status_code != 429  # opening the link is never limited
    for _ in range(protection.LINK_ACTION_LIMIT.limit):
        assert client.post(url, REMOTE_ADDR="203.0.113.7").status_code != 429
    refused = client.post(url, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert "Anda sudah mengirim formulir ini berkali-kali" in refused.content.decode()
    assert "no-cache" in refused["Cache-Control"]
    # The comment unsubscribe link counts against the same limit; another address is untouched.
    comment_link = "/id/komentar/berhenti-langganan/not-a-real-token/"
    assert client.post(comment_link, REMOTE_ADDR="198.51.100.2").status_code == 400
    assert client.post(comment_link, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.post(url, REMOTE_ADDR="198.51.100.2").status_code != 429


@pytest.mark.django_db(transaction=True)
def test_without_redis_counts_live_in_the_database_shared_by_every_process(settings):
    """Issue 15, finding 12: with no REDIS_URL each process's memory held its own counts, so
    `make run`'s two workers accepted twice the limit. The database is what they share."""
    from django.db import connection

    from asih.core.models import RateCount

    settings.ASIH_RATE_LIMIT_STORE = "database"
    limit = RateLimit("test-db", limit=2, window=600)
    now = 1_000_000.0
    visitor = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
    assert [limit.hit(visitor, now=now) for _ in range(3)] == [False, False, True]
    assert limit.exceeded(visitor, now=now)
    row = RateCount.objects.get()
    assert row.count == 3 and "10.0.0.7" not in row.key  # a keyed hash, never the address
    # What another process sees: the same row, counted on by a second connection.
    connection.close()
    assert limit.hit(visitor, now=now)
    assert RateCount.objects.get().count == 4
    # A new window starts afresh and clears the windows that have passed.
    assert not limit.hit(visitor, now=now + 1200)
    assert RateCount.objects.count() == 1


def test_one_honeypot_check_for_every_form():
    from asih.core.protection import honeypot_filled

    assert honeypot_filled({"website": "http://spam"}) is True
    assert honeypot_filled({"website": "   "}) is False
    assert honeypot_filled({}) is False
