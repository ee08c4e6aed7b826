"""The guide page's comment section and the form's POST, as a visitor's browser sees them."""

import re

import pytest
from django.core.cache import cache

from asih.comments import services, spam
from asih.comments.models import Comment
from asih.core.protection import CROSS_SITE_MESSAGE, RATE_LIMIT_MESSAGE, make_started_token

from .factories import CommentFactory

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def post_url(guide, language="id"):
    return f"/{language}/komentar/kirim/{guide.pk}/"


def form_data(**overrides):
    data = {
        "name": "Ibu Rina",
        "email": "rina@example.test",
        "body": "Apakah pijat oksitosin boleh dilakukan setelah operasi caesar?",
        "follow_replies": "on",
        "website": "",
        "started": make_started_token(now=0),
    }
    data.update(overrides)
    return data


def test_guide_shows_form_and_empty_state(client, guide):
    html = client.get(guide.url).content.decode()
    assert 'id="komentar"' in html
    assert f'action="{post_url(guide)}"' in html
    assert 'name="website"' in html and 'data-module="asih-form-guard"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "0 komentar" in html or "0 comments" in html


def test_valid_post_redirects_303_to_the_thank_you_notice(client, guide):
    response = client.post(post_url(guide), form_data(), **SAME_ORIGIN)
    assert response.status_code == 303
    assert response["Location"] == f"{guide.url}?terkirim=1#komentar-terkirim"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING  # timing token fine, moderation by default
    assert comment.follow_replies is True
    assert response.cookies == {} or not response.cookies
    html = client.get(response["Location"]).content.decode()
    assert 'id="komentar-terkirim"' in html
    assert comment.body not in html  # not shown before approval


def test_post_without_timing_token_is_held_not_lost(client, guide):
    response = client.post(post_url(guide), form_data(started=""), **SAME_ORIGIN)
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.spam_reasons == spam.REASON_UNVERIFIED


def test_too_fast_post_is_held(client, guide):
    client.post(post_url(guide), form_data(started=make_started_token()), **SAME_ORIGIN)
    assert Comment.objects.get().spam_reasons == spam.REASON_BOT_TIMING


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"email": "bukan-email"}, "email"),
        ({"body": ""}, "body"),
        ({"body": "ok"}, "body"),
        ({"body": "x" * 3001}, "body"),
        ({"name": "n" * 81}, "name"),
        ({"name": "www.obat-murah.test"}, "name"),
        ({"body": "a http://a.test b http://b.test c http://c.test"}, "body"),
    ],
)
def test_errors_next_to_the_field_with_everything_kept(client, guide, overrides, field):
    data = form_data(**overrides)
    response = client.post(post_url(guide), data, **SAME_ORIGIN)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert re.search(
        rf'id="id_{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_{field}"', html
    )
    # What the person typed is still there (escaped), including the other fields.
    from django.utils.html import escape

    for name in ("name", "email", "body"):
        if data[name] and len(data[name]) < 3001:
            assert escape(data[name]) in html
    assert "checked" in html  # follow_replies kept
    assert Comment.objects.count() == 0


def test_errors_are_in_the_page_language(client, guide, oxytocin):
    html = client.post(post_url(guide), form_data(name=""), **SAME_ORIGIN).content.decode()
    assert '<html lang="id">' in html
    english = oxytocin["en"]
    html = client.post(post_url(english, "en"), form_data(name=""), **SAME_ORIGIN).content.decode()
    assert '<html lang="en">' in html
    assert "This field is required." in html


def test_duplicate_gets_polite_message(client, guide):
    client.post(post_url(guide), form_data(), **SAME_ORIGIN)
    response = client.post(post_url(guide), form_data(), **SAME_ORIGIN)
    assert response.status_code == 400
    assert 'class="comment-form__errors"' in response.content.decode()
    assert Comment.objects.count() == 1


def test_honeypot_refused_politely(client, guide):
    response = client.post(post_url(guide), form_data(website="http://x.test"), **SAME_ORIGIN)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Comment.objects.count() == 0


def test_rate_limit_429_keeps_the_text(client, guide):
    for number in range(5):
        response = client.post(
            post_url(guide), form_data(body=f"Pertanyaan nomor {number} untuk bidan"), **SAME_ORIGIN
        )
        assert response.status_code == 303
    response = client.post(
        post_url(guide), form_data(body="Pertanyaan keenam untuk bidan"), **SAME_ORIGIN
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Pertanyaan keenam untuk bidan" in html
    from django.utils import translation

    with translation.override("id"):
        assert str(RATE_LIMIT_MESSAGE) in html
    assert Comment.objects.count() == 5


def test_cross_site_post_refused(client, guide):
    response = client.post(post_url(guide), form_data(), HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    response = client.post(post_url(guide), form_data(), HTTP_ORIGIN="https://evil.test")
    assert response.status_code == 403
    response = client.post(post_url(guide), form_data())  # no origin information at all
    assert response.status_code == 403
    assert Comment.objects.count() == 0
    from django.utils import translation

    with translation.override("id"):
        assert str(CROSS_SITE_MESSAGE) in response.content.decode()


def test_get_on_post_url_not_allowed(client, guide):
    assert client.get(post_url(guide)).status_code == 405


def test_unknown_or_unpublished_guide_404(client, guide):
    assert client.post("/id/komentar/kirim/999999/", form_data(), **SAME_ORIGIN).status_code == 404
    guide.unpublish()
    assert client.post(post_url(guide), form_data(), **SAME_ORIGIN).status_code == 404


def test_reply_link_works_without_js(client, guide):
    top = CommentFactory(page=guide, name="Ibu Sari")
    html = client.get(guide.url).content.decode()
    assert f'href="{guide.url}?balas={top.pk}#form-komentar"' in html
    html = client.get(f"{guide.url}?balas={top.pk}").content.decode()
    assert "Ibu Sari" in html
    assert f'name="parent" value="{top.pk}"' in html
    assert re.search(r'class="comment-form__replying"\s*>', html)  # not hidden
    response = client.post(post_url(guide), form_data(parent=top.pk), **SAME_ORIGIN)
    assert response.status_code == 303
    assert Comment.objects.get(parent=top).name == "Ibu Rina"


def test_reply_to_missing_comment_keeps_text(client, guide):
    response = client.post(post_url(guide), form_data(parent=999999), **SAME_ORIGIN)
    assert response.status_code == 400
    assert "operasi caesar" in response.content.decode()


def test_bogus_reply_and_page_params_are_ignored(client, guide):
    for query in ("?balas=abc", "?balas=99999", "?komentar=abc", "?komentar=-3", "?komentar=999"):
        assert client.get(guide.url + query).status_code == 200


def test_approved_comments_threads_and_answer_badge(client, guide, staff_user):
    question = CommentFactory(page=guide, name="Ibu Ayu", body="Kapan waktu terbaik?")
    CommentFactory(page=guide, name="Tersembunyi", body="Belum disetujui", status="pending")
    services.comment_reply_as_staff(parent=question, user=staff_user, body="Sebelum menyusui.")
    html = client.get(guide.url).content.decode()
    assert "Kapan waktu terbaik?" in html and "Sebelum menyusui." in html
    assert "Belum disetujui" not in html and "Tersembunyi" not in html
    assert "thread--answered" in html and "comment--staff" in html
    assert "Dewi Lestari" in html
    assert "2 komentar" in html or "2 comments" in html


def test_approval_shows_at_once(client, guide, django_capture_on_commit_callbacks):
    comment = CommentFactory(page=guide, status="pending", body="Terima kasih atas panduannya")
    assert "Terima kasih atas panduannya" not in client.get(guide.url).content.decode()
    # The page's rendered comments are kept until the approval is committed and announced.
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment)
    assert "Terima kasih atas panduannya" in client.get(guide.url).content.decode()


def test_pagination_with_rel_links(client, guide):
    CommentFactory.create_batch(45, page=guide)
    html = client.get(guide.url).content.decode()
    assert html.count('class="thread') == 20
    assert f'rel="next" href="{guide.url}?komentar=2#komentar"' in html
    assert 'rel="prev"' not in html
    html = client.get(guide.url + "?komentar=2").content.decode()
    assert f'rel="prev" href="{guide.url}#komentar"' in html
    assert f'rel="next" href="{guide.url}?komentar=3#komentar"' in html
    html = client.get(guide.url + "?komentar=3").content.decode()
    assert html.count('class="thread') == 5 and 'rel="next"' not in html


def _guide_queries(client, guide, django_assert_max_num_queries):
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(guide.url)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        assert client.get(guide.url).status_code == 200
        elapsed = time.perf_counter() - started
    print(
        f"{len(queries)} queries, {elapsed * 1000:.0f} ms"
    )  # figures for the report, not asserted
    return len(queries)


def test_query_count_same_for_5_and_5000_comments(client, guide, django_assert_max_num_queries):
    top = CommentFactory.create_batch(5, page=guide)
    CommentFactory(page=guide, parent=top[0])
    few = _guide_queries(client, guide, django_assert_max_num_queries)
    parents = Comment.objects.bulk_create(
        Comment(
            page=guide,
            language="id",
            name=f"P{i}",
            email=f"p{i}@x.test",
            body="Isi " * 5,
            status="approved",
        )
        for i in range(4000)
    )
    Comment.objects.bulk_create(
        Comment(
            page=guide,
            language="id",
            parent=parents[i],
            name=f"R{i}",
            email="r@x.test",
            body="Balasan",
            status="approved",
        )
        for i in range(0, 4000, 4)
    )
    assert Comment.objects.filter(page=guide).count() >= 5000
    many = _guide_queries(client, guide, django_assert_max_num_queries)
    print(f"guide page queries: {few} with 5 comments, {many} with 5000")
    assert many == few


def test_no_email_ip_or_internal_field_in_public_html(client, guide, staff_user):
    comment = CommentFactory(
        page=guide,
        email="rahasia@example.test",
        visitor_hash="h" * 32,
        spam_reasons="internal-reason-xyz",
        follow_replies=True,
    )
    services.comment_reply_as_staff(parent=comment, user=staff_user, body="Jawaban")
    html = client.get(guide.url, REMOTE_ADDR="203.0.113.77").content.decode()
    for secret in (
        "rahasia@example.test",
        "bidan@klinik.test",
        "h" * 32,
        "internal-reason-xyz",
        "203.0.113.77",
    ):
        assert secret not in html


def test_same_bytes_and_no_cookie_for_two_visitors(client, guide):
    CommentFactory.create_batch(3, page=guide)
    from django.test import Client

    first = Client(REMOTE_ADDR="198.51.100.1", HTTP_USER_AGENT="Phone A").get(guide.url)
    second = Client(REMOTE_ADDR="198.51.100.2", HTTP_USER_AGENT="Phone B").get(guide.url)
    assert first.content == second.content
    assert not first.cookies and not second.cookies
    assert "csrf" not in first.content.decode().lower()


def test_closed_comments_hide_the_form_and_refuse(client, guide, comment_settings):
    comment_settings.comments_open = False
    comment_settings.save()
    html = client.get(guide.url).content.decode()
    assert 'name="body"' not in html
    response = client.post(post_url(guide), form_data(), **SAME_ORIGIN)
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_xss_corpus_is_inert_in_the_guide_page(client, guide):
    from html.parser import HTMLParser

    from tests.xss.corpus import MARKER, payloads

    corpus = payloads()
    Comment.objects.bulk_create(
        Comment(
            page=guide,
            language="id",
            name=payload[:80],
            email="x@x.test",
            body=payload,
            status="approved",
        )
        for payload in corpus
    )

    class Section(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside = False
            self.bad = []

        def handle_starttag(self, tag, attrs):
            if tag == "section" and ("id", "komentar") in attrs:
                self.inside = True
            if self.inside and (
                tag in {"script", "img", "svg", "iframe", "style", "object", "embed", "base"}
                or any(name.startswith("on") or name == "data-x" for name, _ in attrs)
                # The reader's name is data in data-reply-name; in an id or class it is injected.
                or any(name in ("id", "class") and MARKER in (value or "") for name, value in attrs)
                or any(name == "style" for name, _ in attrs)
            ):
                self.bad.append((tag, attrs))

    seen = ""
    for number in range(1, len(corpus) // 20 + 2):
        html = client.get(f"{guide.url}?komentar={number}").content.decode()
        parser = Section()
        parser.feed(html)
        assert parser.bad == []
        seen += html
    # Template syntax typed by a reader stays literal text.
    assert "{{ 7*7 }}{% load static %}{% debug %}" in seen


def test_all_errors_shown_at_once(client, guide):
    response = client.post(post_url(guide), form_data(name="", email="x", body="ok"), **SAME_ORIGIN)
    html = response.content.decode()
    for field in ("name", "email", "body"):
        assert f'id="id_{field}-error"' in html
    assert "minlength" not in html


def test_rate_limit_through_redis_is_shared_by_app_servers(client, guide, settings):
    """Two app servers = two processes with their own cache connection, one Redis behind them."""
    import uuid

    import redis
    from django.core.cache import caches

    prefix = f"asih-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    try:
        for number in range(5):
            # Each post alternates "servers": a fresh connection each time, shared counts.
            caches["default"].close()
            response = client.post(
                post_url(guide), form_data(body=f"Pertanyaan lewat Redis {number}"), **SAME_ORIGIN
            )
            assert response.status_code == 303
        caches["default"].close()
        response = client.post(post_url(guide), form_data(body="Keenam"), **SAME_ORIGIN)
        assert response.status_code == 429
    finally:
        # Only this test's keys: other people's data in the shared Redis stays untouched.
        server = redis.Redis(host="127.0.0.1", port=6379, db=0)
        for key in server.scan_iter(f"{prefix}*"):
            server.delete(key)


def test_corrections_do_not_use_up_the_comment_limit_but_floods_stop(client, guide):
    for _ in range(4):  # someone fixing their email several times
        response = client.post(post_url(guide), form_data(email="salah"), **SAME_ORIGIN)
        assert response.status_code == 400
    for number in range(5):
        response = client.post(
            post_url(guide), form_data(body=f"Komentar benar nomor {number}"), **SAME_ORIGIN
        )
        assert response.status_code == 303
    # Junk posts: the looser cap on every post (20 in ten minutes) ends them too.
    statuses = [
        client.post(post_url(guide), form_data(name=""), **SAME_ORIGIN).status_code
        for _ in range(12)
    ]
    assert statuses[:11] == [400] * 11 and statuses[11] == 429
