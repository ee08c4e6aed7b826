"""Each role signs in, does its work, and is refused outside it; new staff get a password link."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from asih.comments.models import Comment
from asih.core.models import Clinician, Person
from asih.leads.models import ConsultationRequest, SignUp
from asih.staff import roles

pytestmark = pytest.mark.django_db


def permission_names(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.mark.parametrize("role", roles.ROLES)
def test_each_role_holds_exactly_its_permissions(role):
    group = Group.objects.get(name=role)
    expected = {f"{app}.{codename}" for app, _model, codename in roles.MODEL_PERMISSIONS[role]}
    assert permission_names(group) == expected
    page_permissions = GroupPagePermission.objects.filter(group=group)
    assert {p.permission.codename for p in page_permissions} == set(roles.PAGE_PERMISSIONS[role])
    assert all(p.page.depth == 1 for p in page_permissions)


@pytest.fixture
def records(oxytocin):
    guide = oxytocin["id"]
    now = timezone.now()
    consultation = ConsultationRequest.objects.create(
        name="Sari",
        phone="6281234567890",
        question="Kapan mulai pijat?",
        language="id",
        consent_text="ok",
        consented_at=now,
        guide=guide,
    )
    signup = SignUp.objects.create(
        email="sari@example.com",
        name="Sari",
        stage="pregnant",
        consent_text="ok",
        consented_at=now,
        confirmed_at=now,
    )
    comment = Comment.objects.create(
        page=guide,
        language="id",
        name="Rina",
        email="rina@example.com",
        body="Tanya ya",
        status=Comment.Status.PENDING,
        visitor_hash="a" * 32,
    )
    return {"guide": guide, "consultation": consultation, "signup": signup, "comment": comment}


@pytest.fixture
def sign_in(client, django_user_model):
    def as_role(role):
        user = django_user_model.objects.create_user(
            role.lower().replace(" ", ""), f"{role[:4].lower()}@klinik.example", "p" * 12
        )
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return user

    return as_role


def allowed(response):
    return response.status_code == 200


def refused(response):
    # Wagtail answers a missing permission with 403 or a redirect to the dashboard.
    return response.status_code == 403 or (
        response.status_code == 302 and "/login/" not in response["Location"]
    )


def urls(records):
    return {
        "edit_guide": reverse("wagtailadmin_pages:edit", args=[records["guide"].pk]),
        "add_image": reverse("wagtailimages:add"),
        "people": reverse("wagtailsnippets_core_person:list"),
        "comments": reverse("comments_admin:queue"),
        "answer": reverse("comments_admin:answer", args=[records["comment"].pk]),
        "consultations": reverse("leads_consultations:index"),
        "consultation": reverse("leads_consultations:edit", args=[records["consultation"].pk]),
        "consultation_inspect": reverse(
            "leads_consultations:inspect", args=[records["consultation"].pk]
        ),
        "signups": reverse("leads_signups:index"),
        "export": reverse("leads_export_signups"),
    }


def test_an_editor_writes_guides_and_stays_out_of_readers_data(client, sign_in, records):
    user = sign_in(roles.EDITORS)
    url = urls(records)
    for name in ("edit_guide", "add_image", "people"):
        assert allowed(client.get(url[name])), name
    for name in ("comments", "consultations", "consultation", "signups", "export"):
        assert refused(client.get(url[name])), name
    # Writes a draft and submits it for review; cannot publish it past the review.
    permissions = records["guide"].permissions_for_user(user)
    assert permissions.can_edit() and not permissions.can_publish()
    editor_html = client.get(url["edit_guide"]).content.decode()
    assert 'name="action-submit"' in editor_html and "Tinjauan medis" in editor_html
    assert 'name="action-publish"' not in editor_html


def test_a_clinician_moderates_answers_and_reads_consultations(client, sign_in, records):
    sign_in(roles.CLINICIANS)
    url = urls(records)
    for name in ("edit_guide", "comments", "answer", "consultations", "consultation_inspect"):
        assert allowed(client.get(url[name])), name
    for name in ("consultation", "signups", "export", "add_image", "people"):
        assert refused(client.get(url[name])), name
    approve = reverse("comments_admin:moderate", args=[records["comment"].pk, "approve"])
    assert client.post(approve).status_code == 302
    records["comment"].refresh_from_db()
    assert records["comment"].status == Comment.Status.APPROVED


def test_front_desk_handles_requests_and_sign_ups_but_not_guides(client, sign_in, records):
    sign_in(roles.FRONT_DESK)
    url = urls(records)
    for name in ("comments", "consultations", "consultation", "signups", "export"):
        assert allowed(client.get(url[name])), name
    # Moderates comments, but answering as the clinic is a clinician's duty.
    for name in ("edit_guide", "add_image", "people", "answer"):
        assert refused(client.get(url[name])), name
    response = client.post(url["consultation"], {"status": "contacted"})
    assert response.status_code == 302
    records["consultation"].refresh_from_db()
    assert records["consultation"].status == "contacted"
    assert "sari@example.com" in client.get(url["export"]).content.decode()


def test_create_staff_makes_a_clinician_with_profile_and_emails_a_password_link(
    client, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_staff",
            "sari",
            "sari@klinik.example",
            "--name",
            "Sari Wulandari",
            "--role",
            roles.CLINICIANS,
            "--credentials",
            "Bidan, IBCLC",
            "--title",
            "Bidan koordinator",
            stdout=open("/dev/null", "w"),
        )
    profile = Clinician.objects.get(user__username="sari")
    assert (profile.name, profile.credentials) == ("Sari Wulandari", "Bidan, IBCLC")
    assert profile.user.groups.filter(name=roles.CLINICIANS).exists()
    assert not profile.user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["sari@klinik.example"]
    assert "Akun staf" in message.subject  # Indonesian by default
    assert "Klinisi" in message.body
    link = re.search(r"http://localhost(/admin/password_reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "Pijat-oksitosin-2026", "new_password2": "Pijat-oksitosin-2026"},
    )
    assert response.status_code == 302
    profile.user.refresh_from_db()
    assert profile.user.check_password("Pijat-oksitosin-2026")


def test_create_staff_for_the_front_desk_and_its_refusals(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_staff",
            "dewi",
            "dewi@klinik.example",
            "--name",
            "Dewi",
            "--role",
            roles.FRONT_DESK,
            "--title",
            "Admin klinik",
            "--language",
            "en",
            stdout=open("/dev/null", "w"),
        )
    assert Person.objects.get(user__username="dewi").role == "Admin klinik"
    assert "Your staff account" in mail.outbox[-1].subject  # her language: English
    with pytest.raises(CommandError):
        call_command(
            "create_staff",
            "rina",
            "rina@klinik.example",
            "--name",
            "Rina",
            "--role",
            roles.CLINICIANS,
        )
    with pytest.raises(CommandError):
        call_command(
            "create_staff", "dewi", "x@klinik.example", "--name", "X", "--role", roles.EDITORS
        )
