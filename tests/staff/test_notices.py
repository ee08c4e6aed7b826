"""New consultation requests and comments awaiting moderation reach the responsible groups."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from asih.comments.models import Comment
from asih.comments.notifications import comment_notify_staff_pending
from asih.leads.models import ConsultationRequest
from asih.staff import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    people = {}
    for username, role in (
        ("desk", roles.FRONT_DESK),
        ("bidan", roles.CLINICIANS),
        ("writer", roles.EDITORS),
    ):
        user = django_user_model.objects.create_user(
            username, f"{username}@klinik.example", "x" * 12
        )
        user.groups.add(Group.objects.get(name=role))
        people[role] = user
    return people


def ask(client, capture):
    data = {
        "name": "Sari",
        "phone": "+62 812-3456-7890",
        "preferred_time": "evening",
        "question": "Berapa kali sehari pijat oksitosin sebaiknya dilakukan?",
        "consent": "on",
    }
    with capture(execute=True):
        return client.post("/id/konsultasi/", data, HTTP_SEC_FETCH_SITE="same-origin")


def test_a_consultation_request_reaches_front_desk_and_clinicians(
    client, staff, settings, django_capture_on_commit_callbacks
):
    settings.ASIH_STAFF_EMAILS = []
    mail.outbox.clear()
    assert ask(client, django_capture_on_commit_callbacks).status_code == 303
    [message] = mail.outbox
    assert sorted(message.to) == ["bidan@klinik.example", "desk@klinik.example"]
    assert "Permintaan konsultasi baru" in message.subject or "konsultasi" in message.subject


def test_the_override_still_wins(client, staff, settings, django_capture_on_commit_callbacks):
    settings.ASIH_STAFF_EMAILS = ["kepala@klinik.example"]
    mail.outbox.clear()
    ask(client, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["kepala@klinik.example"]]


def test_waiting_comments_reach_the_moderators(
    staff, settings, oxytocin, django_capture_on_commit_callbacks
):
    settings.ASIH_STAFF_EMAILS = []
    Comment.objects.create(
        page=oxytocin["id"],
        language="id",
        name="Rina",
        email="rina@example.com",
        body="Tanya ya",
        status=Comment.Status.PENDING,
        visitor_hash="a" * 32,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert comment_notify_staff_pending(force=True)
    assert sorted(mail.outbox[0].to) == ["bidan@klinik.example", "desk@klinik.example"]


def test_the_dashboard_counts_new_requests_for_those_who_handle_them(client, staff, oxytocin):
    now = timezone.now()
    for _ in range(2):
        ConsultationRequest.objects.create(
            name="Sari",
            phone="6281234567890",
            question="Tanya",
            language="id",
            consent_text="ok",
            consented_at=now,
        )
    client.force_login(staff[roles.FRONT_DESK])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "2 permintaan konsultasi baru" in html
    client.force_login(staff[roles.EDITORS])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "permintaan konsultasi baru" not in html
