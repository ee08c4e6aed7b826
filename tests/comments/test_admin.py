"""The moderation queue in the Wagtail admin: permissions, filters, actions, answer, erase, log."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from asih.comments import admin_views, moderation
from asih.comments.models import Comment

from .factories import CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/"


def _user(django_user_model, username, *codenames, **extra):
    user = django_user_model.objects.create_user(
        username=username,
        email=f"{username}@klinik.test",
        password="pw",
        first_name="Dewi",
        last_name="Lestari",
        **extra,
    )
    # The admin speaks each user's language; these users read English so the checks are stable
    # whether or not the Indonesian catalogue is compiled.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames),
    )
    return user


@pytest.fixture
def moderator(django_user_model):
    return _user(django_user_model, "bidan", "change_comment", "answer_comment")


@pytest.fixture
def front_desk(django_user_model):
    """Moderates comments but does not answer them as the clinic (a clinician's duty)."""
    return _user(django_user_model, "resepsionis", "change_comment")


@pytest.fixture
def outsider(django_user_model):
    """Can open the admin (an editor of pages, say) but may not moderate comments."""
    return _user(django_user_model, "penulis")


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def pending(guide):
    return CommentFactory(page=guide, status=Comment.Status.PENDING, name="Ibu Rina")


@pytest.fixture
def suspected(guide):
    return CommentFactory(
        page=guide,
        status=Comment.Status.SPAM,
        name="Promo Murah",
        body="Kunjungi situs kami sekarang juga",
        spam_reasons="blocked word: promo",
    )


def test_queue_lists_waiting_comments_newest_first_with_spam_reasons(
    mod_client, pending, suspected, guide
):
    CommentFactory(page=guide, status=Comment.Status.APPROVED, name="Sudah Tayang")
    response = mod_client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ibu Rina" in html and "Promo Murah" in html
    assert "Sudah Tayang" not in html  # default filter: waiting only
    assert html.index("Promo Murah") < html.index("Ibu Rina")  # newest first
    assert "blocked word: promo" in html
    assert list(response.context["comments"]) == [suspected, pending]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "approved"}, ["English Mum", "Sudah Tayang"]),
        ({"status": "spam"}, ["Promo Murah"]),
        ({"status": "all"}, ["English Mum", "Sudah Tayang", "Promo Murah", "Ibu Rina"]),
        ({"status": "all", "language": "en"}, ["English Mum"]),
        ({"status": "all", "q": "situs kami"}, ["Promo Murah"]),
        ({"status": "all", "q": "rina"}, ["Ibu Rina"]),
    ],
)
def test_queue_filters(mod_client, pending, suspected, guide, oxytocin, params, expected):
    CommentFactory(page=guide, status=Comment.Status.APPROVED, name="Sudah Tayang")
    CommentFactory(page=oxytocin["en"], status=Comment.Status.APPROVED, name="English Mum")
    response = mod_client.get(QUEUE, params)
    assert [c.name for c in response.context["comments"]] == expected


def test_queue_filters_by_guide(mod_client, pending, guide, guide_pages):
    other = guide_pages.exclude(pk=guide.pk).filter(locale=guide.locale).first()
    CommentFactory(page=other, status=Comment.Status.PENDING, name="Di Panduan Lain")
    response = mod_client.get(QUEUE, {"guide": other.pk})
    assert [c.name for c in response.context["comments"]] == ["Di Panduan Lain"]
    response = mod_client.get(QUEUE, {"guide": guide.pk})
    assert [c.name for c in response.context["comments"]] == ["Ibu Rina"]


def test_queue_bad_filter_value_shows_error_not_500(mod_client, pending):
    response = mod_client.get(QUEUE, {"guide": "999999", "status": "nonsense"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"guide", "status"}
    assert list(response.context["comments"]) == [pending]  # falls back to the waiting queue


def test_queue_paginates(mod_client, guide):
    for _ in range(admin_views.PER_PAGE + 2):
        CommentFactory(page=guide, status=Comment.Status.PENDING)
    first = mod_client.get(QUEUE)
    second = mod_client.get(QUEUE, {"p": 2})
    assert len(first.context["comments"]) == admin_views.PER_PAGE
    assert len(second.context["comments"]) == 2


@pytest.mark.parametrize(
    ("action", "status", "log_action"),
    [
        ("approve", Comment.Status.APPROVED, "asih_comments.approve"),
        ("reject", Comment.Status.REJECTED, "asih_comments.reject"),
        ("spam", Comment.Status.SPAM, "asih_comments.spam"),
    ],
)
def test_row_action_calls_service_and_logs(
    mod_client, moderator, pending, action, status, log_action
):
    response = mod_client.post(f"{QUEUE}{pending.pk}/{action}/", {"next": f"{QUEUE}?status=all"})
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?status=all"
    pending.refresh_from_db()
    assert pending.status == status
    assert pending.moderated_by == moderator and pending.moderated_at is not None
    entry = ModelLogEntry.objects.get(action=log_action, object_id=str(pending.pk))
    assert entry.user == moderator
    assert entry.label == f"Comment #{pending.pk}"
    assert "rina" not in entry.label.lower()


def test_actions_refuse_get_unknown_action_and_missing_csrf(moderator, pending):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.get(f"{QUEUE}{pending.pk}/approve/").status_code == 405
    assert client.post(f"{QUEUE}{pending.pk}/approve/").status_code == 403  # no CSRF token
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING

    plain = Client()
    plain.force_login(moderator)
    response = plain.post(f"{QUEUE}{pending.pk}/delete/", follow=True)
    assert str(admin_views.UNKNOWN_ACTION_MESSAGE) in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING


def test_next_to_another_host_is_ignored(mod_client, pending):
    response = mod_client.post(f"{QUEUE}{pending.pk}/approve/", {"next": "https://evil.test/"})
    assert response["Location"] == reverse("comments_admin:queue")


def test_bulk_approve_reject_spam(mod_client, moderator, guide):
    comments = [CommentFactory(page=guide, status=Comment.Status.PENDING) for _ in range(3)]
    untouched = CommentFactory(page=guide, status=Comment.Status.PENDING)
    ids = [c.pk for c in comments]
    response = mod_client.post(f"{QUEUE}bulk/", {"action": "approve", "ids": ids}, follow=True)
    assert "3" in response.content.decode()
    assert set(Comment.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"approved"}
    untouched.refresh_from_db()
    assert untouched.status == Comment.Status.PENDING
    assert ModelLogEntry.objects.filter(action="asih_comments.approve").count() == 3

    mod_client.post(f"{QUEUE}bulk/", {"action": "reject", "ids": ids[:2]})
    mod_client.post(f"{QUEUE}bulk/", {"action": "spam", "ids": ids[2:]})
    statuses = dict(Comment.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {ids[0]: "rejected", ids[1]: "rejected", ids[2]: "spam"}


def test_bulk_without_selection_or_action_explains(mod_client, pending):
    response = mod_client.post(f"{QUEUE}bulk/", {"action": "approve"}, follow=True)
    assert str(admin_views.NO_SELECTION_MESSAGE) in response.content.decode()
    response = mod_client.post(f"{QUEUE}bulk/", {"action": "", "ids": [pending.pk]}, follow=True)
    assert str(admin_views.UNKNOWN_ACTION_MESSAGE) in response.content.decode()
    response = mod_client.post(
        f"{QUEUE}bulk/", {"action": "approve", "ids": ["x", ""]}, follow=True
    )
    assert str(admin_views.NO_SELECTION_MESSAGE) in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING


def test_answer_publishes_clinic_answer_and_approves_the_question(mod_client, moderator, pending):
    url = f"{QUEUE}{pending.pk}/answer/"
    form = mod_client.get(url)
    assert form.status_code == 200
    assert pending.body in form.content.decode()
    response = mod_client.post(url, {"body": "Dua kali sehari, pagi dan sore.", "next": QUEUE})
    assert response.status_code == 302
    reply = Comment.objects.get(parent=pending)
    assert reply.is_staff_answer and reply.status == Comment.Status.APPROVED
    assert reply.staff_name == "Dewi Lestari" and reply.staff_role
    assert reply.author_user == moderator
    pending.refresh_from_db()
    assert pending.status == Comment.Status.APPROVED
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(pending.pk)).values_list("action", flat=True)
    )
    assert actions == {"asih_comments.approve", "asih_comments.reply"}


@pytest.mark.parametrize(
    ("body", "message"),
    [("", admin_views.ANSWER_REQUIRED_MESSAGE), ("ok", None), ("x" * 3001, None)],
)
def test_answer_errors_keep_the_text(mod_client, pending, body, message):
    response = mod_client.post(f"{QUEUE}{pending.pk}/answer/", {"body": body})
    assert response.status_code == 200
    errors = response.context["form"].errors["body"]
    if message:
        assert errors == [str(message)]
    assert body[:50] in response.content.decode()
    assert not Comment.objects.filter(parent=pending).exists()
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING


def test_erase_confirms_then_erases_and_logs_without_the_address(mod_client, moderator, guide):
    first = CommentFactory(page=guide, email="rina@example.test", status="pending")
    CommentFactory(page=guide, email="rina@example.test", status="approved")
    other = CommentFactory(page=guide, email="sari@example.test")
    url = f"{QUEUE}{first.pk}/erase/"
    confirm = mod_client.get(url)
    assert confirm.status_code == 200
    assert confirm.context["count"] == 2
    assert Comment.objects.filter(email="rina@example.test").count() == 2  # GET changes nothing
    response = mod_client.post(url)
    assert response.status_code == 302
    assert not Comment.objects.filter(email="rina@example.test").exists()
    assert Comment.objects.filter(pk=other.pk).exists()
    entry = ModelLogEntry.objects.get(action="asih_comments.erase")
    assert entry.user == moderator
    assert entry.data == {"comments_erased": 2}
    assert "rina" not in f"{entry.label} {entry.data}"


def test_erase_without_email_explains(mod_client, guide):
    comment = CommentFactory(page=guide, email="")
    response = mod_client.post(f"{QUEUE}{comment.pk}/erase/", follow=True)
    assert str(admin_views.NOTHING_TO_ERASE_MESSAGE) in response.content.decode()
    assert not ModelLogEntry.objects.filter(action="asih_comments.erase").exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("post", "bulk/"),
        ("post", "{pk}/approve/"),
        ("get", "{pk}/answer/"),
        ("post", "{pk}/answer/"),
        ("get", "{pk}/erase/"),
        ("post", "{pk}/erase/"),
    ],
)
def test_users_without_the_permission_get_403(client, outsider, pending, method, path):
    client.force_login(outsider)
    url = QUEUE + path.format(pk=pending.pk)
    data = {"action": "approve", "ids": [pending.pk], "body": "Jawaban"} if method == "post" else {}
    response = getattr(client, method)(url, data)
    assert response.status_code == 403
    assert "permission to moderate comments" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING
    assert Comment.objects.count() == 1


def test_anonymous_is_sent_to_login(client, pending):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_menu_and_dashboard_show_the_waiting_count_to_moderators_only(
    client, moderator, outsider, pending, suspected
):
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert "Comments (2)" in html  # menu label with the count
    assert "2 comments wait for moderation" in html  # dashboard panel
    assert f'href="{QUEUE}?status=waiting"' in html

    client.force_login(outsider)
    html = client.get("/admin/").content.decode()
    assert QUEUE not in html
    assert "wait for moderation" not in html


def test_menu_count_follows_the_queue(client, moderator, pending):
    client.force_login(moderator)
    assert "Comments (1)" in client.get("/admin/").content.decode()
    moderation.comment_moderate(comment=pending, action="approve", user=moderator)
    html = client.get("/admin/").content.decode()
    assert "Comments (1)" not in html
    assert "0 comments wait for moderation" in html


def test_superuser_can_moderate(client, django_user_model, pending):
    admin = django_user_model.objects.create_superuser("root", "root@klinik.test", "pw")
    client.force_login(admin)
    assert client.get(QUEUE).status_code == 200
    assert moderation.can_moderate(admin)


def test_change_permission_is_offered_to_groups():
    from wagtail import hooks

    offered = set()
    for hook in hooks.get_hooks("register_permissions"):
        offered.update(hook().values_list("content_type__app_label", "codename"))
    assert ("comments", "change_comment") in offered


def test_queue_queries_do_not_grow_with_the_number_of_comments(mod_client, guide):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(n):
        Comment.objects.all().delete()
        for _ in range(n):
            parent = CommentFactory(page=guide)
            CommentFactory(page=guide, parent=parent, status=Comment.Status.PENDING)
        with CaptureQueriesContext(connection) as captured:
            assert mod_client.get(QUEUE).status_code == 200
        return len(captured)

    queries_for(1)  # warm the per-process caches (site root paths, content types)
    few, many = queries_for(2), queries_for(12)
    assert few == many, (few, many)


RLO = "\u202e"  # right-to-left override: mirrors whatever follows it on the line


def test_direction_marks_in_a_name_stay_inside_it_in_the_queue_and_answer(mod_client, guide):
    comment = CommentFactory(
        page=guide, status=Comment.Status.PENDING, name=f"Ayu {RLO}gnaro", body=f"Tanya {RLO}x"
    )
    html = mod_client.get(QUEUE).content.decode()
    assert f"<strong><bdi>Ayu {RLO}gnaro</bdi></strong>" in html
    assert 'class="asih-comment-queue__body" dir="auto"' in html
    # In an attribute no <bdi> can go: first-strong isolate … pop isolate around the name.
    assert f"\u2068Ayu {RLO}gnaro\u2069" in html
    html = mod_client.get(f"{QUEUE}{comment.pk}/answer/").content.decode()
    heading = html.split('id="original-heading"')[1].split("</h2>")[0]
    assert f"<bdi>Ayu {RLO}gnaro</bdi>" in heading
    assert '<blockquote dir="auto">' in html


def test_the_answer_form_counts_a_line_break_as_one(mod_client, pending):
    typed = "\n".join(["c" * 49] * 60)  # 2,999 characters as typed, 3,058 as sent
    response = mod_client.post(
        f"{QUEUE}{pending.pk}/answer/", {"body": typed.replace("\n", "\r\n"), "next": QUEUE}
    )
    assert response.status_code == 302
    assert Comment.objects.get(parent=pending).body == typed
    html = mod_client.get(f"{QUEUE}{pending.pk}/answer/").content.decode()
    assert 'maxlength="3000"' in re.search(r"<textarea[^>]*>", html).group(0)


def test_a_moderator_who_is_not_a_clinician_cannot_answer(client, front_desk, pending):
    client.force_login(front_desk)
    assert client.get(QUEUE).status_code == 200  # moderating: yes
    url = f"{QUEUE}{pending.pk}/answer/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"body": "Jawaban dari meja depan."}).status_code == 403
    assert not Comment.objects.filter(parent=pending).exists()


def test_the_queue_offers_answer_only_to_those_who_may_answer(
    client, front_desk, mod_client, pending
):
    answer_link = f"{QUEUE}{pending.pk}/answer/"
    assert answer_link in mod_client.get(QUEUE).content.decode()
    client.force_login(front_desk)
    assert answer_link not in client.get(QUEUE).content.decode()
