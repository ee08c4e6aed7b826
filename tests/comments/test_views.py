"""The guide page's comment section and the form's POST, as a visitor's browser sees them."""

import re

import pytest
from django.core.cache import cache

from asih.comments import services, spam
from asih.comments.models import Comment
from asih.core.localized_urls import reverse_in
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
    return reverse_in(language, "comments:submit", page_id=guide.pk)


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


def test_valid_post_shows_the_sender_their_own_comment_waiting(client, guide):
    response = client.post(post_url(guide), form_data(), **SAME_ORIGIN)
    assert response.status_code == 303
    assert response["Location"].startswith("/id/komentar/terkirim/")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING  # timing token fine, moderation by default
    assert comment.follow_replies is True
    assert response.cookies == {} or not response.cookies
    sent = client.get(response["Location"])
    assert sent.status_code == 200
    # Never cached anywhere: it shows a comment nobody else may see yet.
    assert "no-store" in sent["Cache-Control"] and "private" in sent["Cache-Control"]
    html = sent.content.decode()
    assert "operasi caesar" in html and "Ibu Rina" in html
    assert "Menunggu persetujuan klinik" in html
    assert "belum ada komentar" not in html.lower()
    assert "rina@example.test" not in html
    assert 'name="robots" content="noindex"' in html
    # The guide page itself still shows nothing of it, and no per-visitor notice.
    guide_html = client.get(guide.url).content.decode()
    assert "boleh dilakukan setelah operasi caesar" not in guide_html


def test_the_sent_page_shows_only_that_comment(client, guide):
    other = CommentFactory(page=guide, name="Ibu Lain", body="Komentar orang lain yang terbit.")
    CommentFactory(
        page=guide, name="Ibu Tunggu", body="Komentar lain yang menunggu.", status="pending"
    )
    location = client.post(post_url(guide), form_data(), **SAME_ORIGIN)["Location"]
    html = client.get(location).content.decode()
    assert "operasi caesar" in html
    assert other.body not in html and "Ibu Lain" not in html
    assert "Komentar lain yang menunggu" not in html


def test_the_sent_link_is_signed_and_expires(client, guide):
    from django.core import signing

    from asih.comments.views import SENT_LINK_MAX_AGE

    location = client.post(post_url(guide), form_data(), **SAME_ORIGIN)["Location"]
    comment = Comment.objects.get()
    forged = f"/id/komentar/terkirim/{comment.pk}/"
    assert client.get(forged).status_code == 404
    tampered = location.rstrip("/")[:-2] + "xx/"
    assert client.get(tampered).status_code == 404
    import time

    real_time = time.time
    try:
        time.time = lambda: real_time() + SENT_LINK_MAX_AGE + 5
        expired = client.get(location)
    finally:
        time.time = real_time
    assert expired.status_code == 410
    assert "operasi caesar" not in expired.content.decode()
    assert signing.loads(location.split("/")[-2], salt="asih.comments.sent") == comment.pk


def test_the_sent_page_in_english_and_after_approval(client, guide, oxytocin):
    english = oxytocin["en"]
    location = client.post(post_url(english, "en"), form_data(), **SAME_ORIGIN)["Location"]
    assert location.startswith("/en/comment/sent/")
    html = client.get(location).content.decode()
    assert '<html lang="en">' in html
    assert "Waiting for the clinic" in html
    comment = Comment.objects.get()
    comment.status = Comment.Status.APPROVED
    comment.save()
    response = client.get(location)
    assert response.status_code == 303
    assert response["Location"] == f"{english.url}#komentar-{comment.pk}"


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
    assert "Enter your name." in html


def test_duplicate_gets_polite_message(client, guide):
    client.post(post_url(guide), form_data(), **SAME_ORIGIN)
    response = client.post(post_url(guide), form_data(), **SAME_ORIGIN)
    assert response.status_code == 400
    assert 'class="form-errors"' in response.content.decode()
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


def test_rate_limit_through_redis_is_shared_by_app_servers(client, guide, settings, redis_url):
    """Two app servers = two processes with their own cache connection, one Redis behind them."""
    import uuid

    import redis
    from django.core.cache import caches

    prefix = f"asih-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
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
        # Only this test's keys: later tests in this process share the private Redis.
        server = redis.Redis.from_url(redis_url)
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


# --- Errors on a page of their own (issue 19, item 2) ----------------------------------------


def test_a_field_of_spaces_comes_back_on_a_short_page_with_an_error_summary(client, guide):
    response = client.post(
        post_url(guide), form_data(name="   ", body="     \r\n   "), **SAME_ORIGIN
    )
    assert response.status_code == 400
    html = response.content.decode()
    # Not the whole guide again: no steps, no comment list, just the form and its errors.
    assert 'class="comments__list"' not in html and "guide-cta" not in html
    assert len(html) < 30_000
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("Galat: ")
    summary = re.search(r'<div class="form-errors"[^>]*>', html).group(0)
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    # Specific messages in the page's language, each linking to its field.
    assert '<a href="#id_name">Tuliskan nama Anda.</a>' in html
    assert 'href="#id_body"' in html
    assert "novalidate" in re.search(r"<form [^>]*comment-form__form[^>]*>", html).group(0)
    assert "Bidang ini tidak boleh kosong" not in html
    assert f'href="{guide.url}#komentar"' in html  # the way back to the guide


def test_error_page_in_english_says_error(client, oxytocin):
    english = oxytocin["en"]
    response = client.post(post_url(english, "en"), form_data(email="nope"), **SAME_ORIGIN)
    html = response.content.decode()
    assert re.search(r"<title>Error: ", html)
    assert "Enter an email address like nama@contoh.com." in html
    assert '<a href="#id_email">' in html


def test_the_required_note_is_gone_and_required_fields_say_so(client, guide):
    html = client.get(guide.url).content.decode()
    form = html[html.index('id="form-komentar"') :]
    assert "Kolom bertanda" not in form and "Fields marked" not in form
    assert 'class="field__required"' not in form
    for name in ("name", "email", "body"):
        assert re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*required', form), name


# --- Emergency first (issue 14, item 5) ------------------------------------------------------


def test_the_comment_form_says_it_is_not_for_emergencies_before_the_form(client, guide, oxytocin):
    from asih.core.models import ClinicSettings

    clinic = ClinicSettings.for_site(guide.get_site())
    clinic.whatsapp_number = "6281234567890"
    clinic.save()
    from asih.pagecache.store import get_store

    get_store().clear()
    html = client.get(guide.url).content.decode()
    section = html[html.index('id="form-komentar"') :]
    line = re.search(r'<p class="not-emergency">.*?</p>', section, re.S).group(0)
    assert section.index("not-emergency") < section.index("<form")
    assert "Bukan untuk keadaan darurat" in line
    assert re.search(r'href="/id/[^"]*/tanda-bahaya-kehamilan/"', line)
    assert 'href="tel:+6281234567890"' in line and 'href="https://wa.me/6281234567890"' in line
    english = client.get(oxytocin["en"].url).content.decode()
    line = re.search(r'<p class="not-emergency">.*?</p>', english, re.S).group(0)
    assert "Not for emergencies" in line and "danger signs" in line.lower()


# --- Line breaks count as one (issue 14, item 9) ---------------------------------------------


def test_a_comment_at_the_limit_with_line_breaks_is_accepted(client, guide):
    line = "a" * 49
    lines = [line] * 60  # 60 lines of 49 characters + 59 line breaks = 2,999 characters
    typed = "\n".join(lines)
    assert len(typed) == 2999
    sent = typed.replace("\n", "\r\n")  # what the browser sends: 3,058 characters
    response = client.post(post_url(guide), form_data(body=sent), **SAME_ORIGIN)
    assert response.status_code == 303, response.content.decode()[:2000]
    assert Comment.objects.get().body == typed


def test_over_the_limit_says_the_count_the_reader_sees(client, guide):
    typed = "\n".join(["b" * 50] * 60)  # 3,059 characters as the reader counts them
    response = client.post(
        post_url(guide), form_data(body=typed.replace("\n", "\r\n")), **SAME_ORIGIN
    )
    assert response.status_code == 400
    assert "3059" in response.content.decode() or "3.059" in response.content.decode()


def test_the_comment_box_carries_maxlength_and_the_counter_wording(client, guide):
    html = client.get(guide.url).content.decode()
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert 'maxlength="3000"' in textarea
    assert 'data-count-left="{count} karakter tersisa"' in textarea


# --- Bidirectional text stays in its place (issue 14, item 10) -------------------------------


def test_names_and_text_with_direction_marks_are_isolated(client, guide):
    rlo = "\u202e"
    top = CommentFactory(page=guide, name=f"Ibu {rlo}ayuS", body=f"Halo {rlo}olah")
    CommentFactory(page=guide, name=f"{rlo}Balas", body="Balasan", parent=top)
    html = client.get(guide.url).content.decode()
    assert f"<bdi>Ibu {rlo}ayuS</bdi>" in html
    assert 'class="comment__body" dir="auto"' in html
    html = client.get(f"{guide.url}?balas={top.pk}").content.decode()
    assert f"<bdi>Ibu {rlo}ayuS</bdi>" in html.split('class="comment-form__replying-text"')[1]


def test_the_error_page_still_says_whom_the_reader_answers(client, guide):
    top = CommentFactory(page=guide, name="Ibu Sari")
    response = client.post(post_url(guide), form_data(parent=top.pk, body="ok"), **SAME_ORIGIN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Membalas <bdi>Ibu Sari</bdi>" in html
    assert f'name="parent" value="{top.pk}"' in html
