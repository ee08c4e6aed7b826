"""A staff answer carries the person's public name and role, never their login name."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from asih.comments.models import Comment
from asih.core.models import Clinician
from asih.staff import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(oxytocin):
    return Comment.objects.create(
        page=oxytocin["id"],
        language="id",
        name="Rina",
        email="rina@example.com",
        body="Boleh dipijat setiap hari?",
        status=Comment.Status.APPROVED,
        follow_replies=True,
        follow_confirmed_at=timezone.now(),  # reply emails go to confirmed followers only
        visitor_hash="a" * 32,
    )


@pytest.fixture
def clinician(django_user_model):
    user = django_user_model.objects.create_user("admin7", "b@klinik.example", "x" * 12)
    user.groups.add(Group.objects.get(name=roles.CLINICIANS))
    return user


def reply_email_to_rina():
    """The one email that told the question's author about the answer (text and HTML)."""
    (message,) = [m for m in mail.outbox if m.to == ["rina@example.com"]]
    return message.body + "".join(content for content, _type in message.alternatives)


def answer(client, question, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("comments_admin:answer", args=[question.pk]),
            {"body": "Boleh, Ibu, selama terasa nyaman."},
        )


def test_without_a_profile_the_form_asks_for_one_and_never_shows_the_login_name(
    client, clinician, question, django_capture_on_commit_callbacks
):
    client.force_login(clinician)
    form = client.get(reverse("comments_admin:answer", args=[question.pk])).content.decode()
    assert "asih-profile-needed" in form and reverse("asih_public_profile") in form
    assert answer(client, question, django_capture_on_commit_callbacks).status_code == 302
    reply = Comment.objects.get(parent=question)
    assert (reply.staff_name, reply.staff_role) == ("Tim klinik", "Staf")
    html = client.get(question.page.url).content.decode()
    assert "Tim klinik" in html and "admin7" not in html
    email = reply_email_to_rina()
    assert "Tim klinik" in email and "admin7" not in email


def test_with_a_profile_the_answer_shows_name_and_role(
    client, clinician, question, django_capture_on_commit_callbacks
):
    Clinician.objects.create(
        name="Sari Wulandari", credentials="IBCLC", role="Konselor laktasi", user=clinician
    )
    client.force_login(clinician)
    form = client.get(reverse("comments_admin:answer", args=[question.pk])).content.decode()
    assert "asih-profile-needed" not in form
    answer(client, question, django_capture_on_commit_callbacks)
    reply = Comment.objects.get(parent=question)
    assert (reply.staff_name, reply.staff_role) == ("Sari Wulandari", "Konselor laktasi")
    html = client.get(question.page.url).content.decode()
    assert "Sari Wulandari" in html and "Konselor laktasi" in html
    email = reply_email_to_rina()
    assert "Sari Wulandari" in email and "admin7" not in email
