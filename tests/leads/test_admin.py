"""Staff: sign-ups in the admin, the CSV export behind its own permission, logged."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from asih.leads.models import SignUp

EXPORT_URL = "/admin/leads/export-signups.csv"


@pytest.fixture
def signups(db):
    now = timezone.now()
    common = {"stage": "born", "language": "id", "consent_text": "…", "consented_at": now}
    SignUp.objects.create(email="a@example.com", name="Ani", confirmed_at=now, **common)
    SignUp.objects.create(
        email="b@example.com", name="=HYPERLINK(1)", whatsapp="+6281234567890", confirmed_at=now,
        **common,
    )  # fmt: skip
    SignUp.objects.create(email="c@example.com", name="Unconfirmed", **common)
    SignUp.objects.create(
        email="d@example.com", name="Gone", confirmed_at=now, unsubscribed_at=now, **common
    )


def editor(django_user_model, *, can_export: bool):
    user = django_user_model.objects.create_user("editor", "e@example.com", "pw-123456789")
    group = Group.objects.get(name="Editors")
    user.groups.add(group)
    for codename in ("access_admin", "view_signup"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    if can_export:
        user.user_permissions.add(Permission.objects.get(codename="export_signups"))
    return user


@pytest.mark.django_db
@pytest.mark.usefixtures("signups")
def test_staff_with_the_permission_export_confirmed_sign_ups_and_it_is_logged(
    client, django_user_model
):
    user = editor(django_user_model, can_export=True)
    client.force_login(user)
    listing = client.get("/admin/leads/signups/")
    assert listing.status_code == 200
    assert EXPORT_URL in listing.content.decode()  # the button

    response = client.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["name", "email", "whatsapp"]
    assert [row[1] for row in rows[1:]] == ["a@example.com", "b@example.com"]
    assert rows[2][0] == "'=HYPERLINK(1)"  # no formula runs in the staff's spreadsheet
    assert rows[2][2] == "'+6281234567890"
    entry = ModelLogEntry.objects.get(action="leads.export_signups")
    assert entry.user_id == user.pk and entry.data == {"rows": 2}


@pytest.mark.django_db
@pytest.mark.usefixtures("signups")
def test_staff_without_the_permission_get_403_and_no_button(client, django_user_model):
    user = editor(django_user_model, can_export=False)
    client.force_login(user)
    assert client.get(EXPORT_URL).status_code == 403
    assert EXPORT_URL not in client.get("/admin/leads/signups/").content.decode()
    assert not ModelLogEntry.objects.filter(action="leads.export_signups").exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.usefixtures("signups")
def test_the_sign_up_listing_filters_by_confirmation_and_stage(admin_client):
    unconfirmed = admin_client.get("/admin/leads/signups/?confirmed=false").content.decode()
    assert "Unconfirmed" in unconfirmed and "Ani" not in unconfirmed
    confirmed = admin_client.get("/admin/leads/signups/?confirmed=true").content.decode()
    assert "Ani" in confirmed and "Unconfirmed" not in confirmed
    planning = admin_client.get("/admin/leads/signups/?stage=planning").content.decode()
    assert "Ani" not in planning


@pytest.mark.django_db
def test_the_export_permission_can_be_given_to_a_group_in_the_admin(admin_client):
    html = admin_client.get(f"/admin/groups/edit/{Group.objects.get(name='Editors').pk}/")
    with translation.override("id"):  # the admin's default language
        label = str(SignUp._meta.permissions[0][1])
    assert label in html.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["/admin/leads/signups/", "/admin/leads/consultations/"])
def test_staff_cannot_invent_a_reader_record(admin_client, prefix):
    assert 'href="' + prefix + 'new/"' not in admin_client.get(prefix).content.decode()
    response = admin_client.get(prefix + "new/")
    assert response.status_code in (302, 403)
