"""Reply emails to followers and the staff digest, delivered to a real local SMTP server."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from asih.comments import notifications, services
from asih.comments.models import Comment

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_digest_window():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks (the mail task) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def follower(guide):
    return CommentFactory(
        page=guide,
        name="Ibu Rina",
        email="rina@example.test",
        follow_replies=True,
        follow_confirmed_at=timezone.now(),
        body="Berapa kali sehari pijat oksitosin sebaiknya dilakukan?",
    )


def _links(text):
    return re.findall(r"https?://\S+", text)


def test_approved_reply_emails_the_follower_in_the_guides_language(
    smtp_server, deliver, guide, follower, staff_user
):
    reply = CommentFactory(
        page=guide,
        parent=follower,
        status=Comment.Status.PENDING,
        name="Ayu <3",
        body="Saya biasanya dua kali sehari. <b>Semangat</b> & sabar ya!",
    )
    with deliver():
        services.comment_approve(comment=reply, by_user=staff_user)
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "rina@example.test"
    assert guide.title in message["Subject"]
    text = smtp_server.text_of(message)
    html = smtp_server.html_of(message)
    # Plain text is not escaped; HTML is.
    assert "Ayu <3" in text and "<b>Semangat</b> & sabar ya!" in text
    assert "&lt;b&gt;Semangat&lt;/b&gt; &amp; sabar ya!" in html and "<b>Semangat" not in html
    assert 'lang="id"' in html
    comment_url, unsubscribe_url = _links(text)
    assert urlsplit(comment_url).path == guide.url
    assert urlsplit(comment_url).fragment == f"komentar-{reply.pk}"
    assert urlsplit(unsubscribe_url).path.startswith("/id/komentar/berhenti-langganan/")
    assert f'href="{unsubscribe_url}"' in html
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_english_guide_sends_english_links(smtp_server, deliver, oxytocin, staff_user):
    page = oxytocin["en"]
    parent = CommentFactory(
        page=page, email="mum@example.test", follow_replies=True, follow_confirmed_at=timezone.now()
    )
    with deliver():
        services.comment_reply_as_staff(parent=parent, user=staff_user, body="Twice a day.")
    (message,) = smtp_server.wait_for(1)
    assert page.title in message["Subject"]
    html = smtp_server.html_of(message)
    assert 'lang="en"' in html
    text = smtp_server.text_of(message)
    # The clinic's answer carries the staff member's name and role.
    # Each isolated (first-strong isolate … pop isolate) so direction marks stay inside it.
    assert "\u2068Dewi Lestari\u2069 (\u2068Staff\u2069)" in text
    assert "Twice a day." in text
    assert urlsplit(_links(text)[1]).path.startswith("/en/comment/unsubscribe/")


def test_unsubscribe_link_works_and_stops_further_emails(
    smtp_server, deliver, client, guide, follower, staff_user
):
    with deliver():
        services.comment_reply_as_staff(parent=follower, user=staff_user, body="Dua kali.")
    (message,) = smtp_server.wait_for(1)
    unsubscribe_url = _links(smtp_server.text_of(message))[1]
    assert client.get(urlsplit(unsubscribe_url).path).status_code == 200  # shows the button
    response = client.post(urlsplit(unsubscribe_url).path)
    assert response.status_code == 200
    follower.refresh_from_db()
    assert follower.unsubscribed_at is not None

    with deliver():
        services.comment_reply_as_staff(parent=follower, user=staff_user, body="Dan lagi.")
    smtp_server.wait_for(1)
    assert len(smtp_server.messages) == 1  # nothing new after the unsubscribe


def test_no_email_to_the_replys_own_author_or_non_followers(
    smtp_server, deliver, guide, staff_user, mailoutbox_count
):
    quiet = CommentFactory(page=guide, email="diam@example.test", follow_replies=False)
    mine = CommentFactory(
        page=guide,
        email="rina@example.test",
        follow_replies=True,
        follow_confirmed_at=timezone.now(),
    )
    with deliver():
        # Rina answers her own question: she is not told about her own reply.
        own = CommentFactory(
            page=guide, parent=mine, email="rina@example.test", status=Comment.Status.PENDING
        )
        services.comment_approve(comment=own, by_user=staff_user)
        other = CommentFactory(page=guide, parent=quiet, status=Comment.Status.PENDING)
        services.comment_approve(comment=other, by_user=staff_user)
    assert mailoutbox_count() == 0


def test_one_email_per_reply_and_per_address_across_the_thread(
    smtp_server, deliver, guide, follower, staff_user, mailoutbox_count
):
    # Rina also replied in her own thread and follows that too: still one email per reply.
    CommentFactory(
        page=guide,
        parent=follower,
        email="rina@example.test",
        follow_replies=True,
        follow_confirmed_at=timezone.now(),
    )
    sari = CommentFactory(
        page=guide,
        parent=follower,
        email="sari@example.test",
        follow_replies=True,
        follow_confirmed_at=timezone.now(),
    )
    reply = CommentFactory(page=guide, parent=sari, status=Comment.Status.PENDING, name="Ayu")
    with deliver():
        services.comment_approve(comment=reply, by_user=staff_user)
        # Approving again (or rejecting and re-approving a published reply) sends nothing new.
        services.comment_approve(comment=reply, by_user=staff_user)
    messages = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["rina@example.test", "sari@example.test"]
    assert mailoutbox_count() == 2


def test_pending_or_spam_reply_sends_nothing(
    smtp_server, deliver, guide, follower, mailoutbox_count
):
    with deliver():
        notifications.comment_notify_followers(
            comment=CommentFactory(page=guide, parent=follower, status=Comment.Status.SPAM)
        )
    assert mailoutbox_count() == 0


# --- Staff digest ---------------------------------------------------------------------------


@pytest.fixture
def staff_emails(settings):
    settings.ASIH_STAFF_EMAILS = ["moderasi@klinik.test", "bidan@klinik.test"]
    return settings.ASIH_STAFF_EMAILS


def _submit(guide, n, verdict="ok"):
    return services.comment_submit(
        page=guide,
        data={
            "name": f"Ibu Nomor {n}",
            "email": f"ibu{n}@example.test",
            "body": f"Pertanyaan ke-{n}: kapan sebaiknya mulai memijat?",
        },
        visitor_hash=f"{n:032d}",
        bot_verdict=verdict,
    )


def test_three_waiting_comments_make_one_staff_email(smtp_server, deliver, guide, staff_emails):
    with deliver():
        for n in range(3):
            _submit(guide, n, verdict="unverified" if n == 2 else "ok")
    (message,) = smtp_server.wait_for(1)
    assert sorted(a.strip() for a in message["To"].split(",")) == sorted(staff_emails)
    text = smtp_server.text_of(message)
    assert "Ibu Nomor 0" in text
    assert urlsplit(_links(text)[-1]).path == "/admin/comments/"
    assert 'lang="id"' in smtp_server.html_of(message)  # the clinic's language
    assert len(smtp_server.messages) == 1


def test_digest_lists_count_and_all_waiting_after_the_window(
    smtp_server, deliver, guide, staff_emails
):
    with deliver():
        _submit(guide, 1)
    with deliver():
        _submit(guide, 2)
    smtp_server.wait_for(1)
    first = smtp_server.text_of(smtp_server.messages[0])
    assert "Ibu Nomor 1" in first and "Ibu Nomor 2" not in first

    # Within the window the timer sends nothing; after it, the rest goes out as one email.
    call_command("send_comment_digest")
    assert len(smtp_server.messages) == 1
    cache.delete(notifications._DIGEST_LOCK_KEY)  # the 15 minutes have passed
    with deliver():
        call_command("send_comment_digest")
    smtp_server.wait_for(2)
    second = smtp_server.text_of(smtp_server.messages[1])
    assert "2" in smtp_server.messages[1]["Subject"]
    assert "Ibu Nomor 1" in second and "Ibu Nomor 2" in second


def test_digest_command_with_nothing_new_sends_nothing(
    smtp_server, deliver, guide, staff_emails, capsys
):
    with deliver():
        _submit(guide, 1)
    smtp_server.wait_for(1)
    with deliver():
        call_command("send_comment_digest", "--now")
    assert "Nothing new" in capsys.readouterr().out
    assert len(smtp_server.messages) == 1
    with deliver():
        _submit(guide, 2)
        call_command("send_comment_digest", "--now")  # new comment, window ignored
    assert "Digest sent" in capsys.readouterr().out
    smtp_server.wait_for(2)


def test_digest_falls_back_to_moderators_and_superusers(
    smtp_server, deliver, guide, settings, django_user_model
):
    from django.contrib.auth.models import Permission

    settings.ASIH_STAFF_EMAILS = []
    django_user_model.objects.create_superuser("root", "root@klinik.test", "pw")
    moderator = django_user_model.objects.create_user("bidan", "bidan@klinik.test", "pw")
    moderator.user_permissions.add(
        Permission.objects.get(content_type__app_label="comments", codename="change_comment")
    )
    django_user_model.objects.create_user("penulis", "penulis@klinik.test", "pw")
    django_user_model.objects.create_superuser("lama", "lama@klinik.test", "pw", is_active=False)
    assert notifications.staff_recipients() == ["bidan@klinik.test", "root@klinik.test"]
    with deliver():
        _submit(guide, 1)
    (message,) = smtp_server.wait_for(1)
    assert "root@klinik.test" in message["To"] and "penulis" not in message["To"]


@pytest.fixture
def mailoutbox_count(smtp_server):
    """How many emails the SMTP server got, after giving a late delivery time to arrive."""

    def count():
        import time

        time.sleep(0.2)
        return len(smtp_server.messages)

    return count


def test_direction_marks_in_names_are_isolated_in_emails(
    smtp_server, deliver, guide, follower, staff_user
):
    rlo = "\u202e"
    follower.name = f"Rina {rlo}xx"
    follower.save()
    reply = CommentFactory(
        page=guide, parent=follower, status=Comment.Status.PENDING, name=f"Ayu {rlo}gnaro"
    )
    with deliver():
        services.comment_approve(comment=reply, by_user=staff_user)
    (message,) = smtp_server.wait_for(1)
    text = smtp_server.text_of(message)
    html = smtp_server.html_of(message)
    assert f"\u2068Ayu {rlo}gnaro\u2069" in text and f"\u2068Rina {rlo}xx\u2069" in text
    assert f"<bdi>Ayu {rlo}gnaro</bdi>" in html and f"<bdi>Rina {rlo}xx</bdi>" in html


# --- Issue 15, items 8 and 14: reply emails only after a confirmed opt-in; queued by id -----


def test_reply_emails_need_the_address_to_confirm_first(
    smtp_server, deliver, client, guide, staff_user, mailoutbox_count
):
    # A stranger types someone else's address and ticks "email me when someone replies".
    with deliver():
        asked = services.comment_submit(
            page=guide,
            data={
                "name": "Orang Asing",
                "email": "korban@example.test",
                "body": "Kata-kata orang asing untuk kotak masuk orang lain.",
                "follow_replies": True,
            },
            visitor_hash="1" * 32,
            bot_verdict="ok",
        )
    (question,) = smtp_server.wait_for(1)
    assert question["To"] == "korban@example.test"
    text, html = smtp_server.text_of(question), smtp_server.html_of(question)
    for typed in ("Orang Asing", "Kata-kata orang asing"):
        assert typed not in text and typed not in html  # nothing typed reaches the inbox
    services.comment_approve(comment=asked, by_user=staff_user)
    with deliver():
        services.comment_reply_as_staff(parent=asked, user=staff_user, body="Jawaban klinik.")
    assert mailoutbox_count() == 1  # not confirmed: no reply email

    (confirm_url,) = [u for u in _links(text) if "/komentar/ikuti/" in u]
    path = urlsplit(confirm_url).path
    assert client.get(path).status_code == 200  # a mail scanner opening it confirms nothing
    asked.refresh_from_db()
    assert asked.follow_confirmed_at is None
    assert client.post(path).status_code == 200
    asked.refresh_from_db()
    assert asked.follow_confirmed_at is not None
    with deliver():
        services.comment_reply_as_staff(parent=asked, user=staff_user, body="Jawaban kedua.")
    reply = smtp_server.wait_for(2)[1]
    assert "Jawaban kedua." in smtp_server.text_of(reply)


def test_a_comment_held_as_spam_asks_nobody(smtp_server, deliver, guide, mailoutbox_count):
    with deliver():
        services.comment_submit(
            page=guide,
            data={"name": "Bot", "email": "korban@example.test", "body": "Beli sekarang ya.",
                  "follow_replies": True},
            visitor_hash="2" * 32,
            bot_verdict="spam",
        )  # fmt: skip
    assert mailoutbox_count() == 0


def test_the_task_queue_holds_no_address_or_comment_text(
    smtp_server, guide, follower, staff_user, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.ASIH_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply_as_staff(parent=follower, user=staff_user, body="Dua kali sehari.")
    (row,) = DBTaskResult.objects.all()
    queued = str(row.args_kwargs)
    for private in ("rina@example.test", "Ibu Rina", "Dua kali sehari", "bidan@klinik.test"):
        assert private not in queued
    row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "rina@example.test"
    assert "Dua kali sehari." in smtp_server.text_of(message)
