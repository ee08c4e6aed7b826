"""Privacy: the page, self-service export and erasure confirmed by email, the purge command."""

import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from asih.core import privacy
from asih.leads.models import ConsultationRequest, PrivacyRequest, SignUp
from asih.leads.services import LINK_EXPIRED, LINK_USED, PURGE_UNCONFIRMED_DAYS

LINK = re.compile(r"http://localhost(/(?:id/privasi/konfirmasi|en/privacy/confirm)/[^/\s]+/)")


def make_signup(email="sari@example.com", **fields):
    values = {
        "name": "Sari",
        "stage": "planning",
        "language": "id",
        "consent_text": "…",
        "consented_at": timezone.now(),
        **fields,
    }
    return SignUp.objects.create(email=email, **values)


def make_consultation(email="sari@example.com", **fields):
    values = {
        "name": "Sari",
        "phone": "+6281234567890",
        "question": "Kapan mulai pijat?",
        "consent_text": "…",
        "consented_at": timezone.now(),
        **fields,
    }
    return ConsultationRequest.objects.create(email=email, **values)


@pytest.fixture
def request_link(post, smtp_server, django_capture_on_commit_callbacks):
    def send(kind, email="SARI@example.com", url="/id/privasi/"):
        before = len(smtp_server.messages)
        with django_capture_on_commit_callbacks(execute=True):
            response = post(url, {"email": email, "kind": kind})
        assert response.status_code == 303
        mail = smtp_server.wait_for(before + 1)[-1]
        return LINK.search(smtp_server.text_of(mail)).group(1)

    return send


@pytest.mark.django_db
def test_the_privacy_page_says_what_is_kept_and_links_from_the_footer(client):
    html = client.get("/id/").content.decode()
    assert 'href="/id/privasi/"' in html
    page = client.get("/en/privacy/")
    text = page.content.decode()
    assert page.cookies == {} and "csrfmiddlewaretoken" not in text
    for fact in (
        "Law No. 27 of 2022",
        f"deleted after {PURGE_UNCONFIRMED_DAYS} days",
        "up to one year",
        "No analytics",
        "withdraw your consent",
        "Klinik Ibu &amp; Anak Asih (contoh)",
        'action="#request"',
    ):
        assert fact in text


@pytest.mark.django_db
def test_an_export_downloads_everything_held_about_the_address(client, post, request_link):
    make_signup(whatsapp="+6281234567890")
    make_consultation()
    make_consultation(email="someone@example.com", name="Other")
    link = request_link("export", url="/en/privacy/")
    assert PrivacyRequest.objects.get().email == "sari@example.com"
    page = client.get(link)
    assert page.status_code == 200 and "Download my data" in page.content.decode()
    response = post(link, {})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="asih-data.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["email"] == "sari@example.com"
    assert [row["whatsapp"] for row in data["data"]["sign-ups"]] == ["+6281234567890"]
    assert [row["name"] for row in data["data"]["consultations"]] == ["Sari"]
    assert len(data["data"]["privacy-requests"]) == 1
    assert "Other" not in response.content.decode()
    again = post(link, {})
    assert again.status_code == 410
    assert str(LINK_USED).rstrip(".") in again.content.decode()
    assert 'href="/en/privacy/#request"' in again.content.decode()  # the way to ask again


@pytest.mark.django_db
def test_an_erasure_removes_the_rows_from_every_registered_table(
    client, post, request_link, admin_user
):
    signup = make_signup()
    consultation = make_consultation()
    log(signup, "wagtail.edit", user=admin_user)  # an admin edit leaves the name in the log
    other = make_signup(email="other@example.com")
    make_consultation(email="other@example.com")
    link = request_link("erase", email="Sari@Example.com", url="/en/privacy/")
    page = client.get(link).content.decode()
    assert "This cannot be undone" in page
    assert SignUp.objects.filter(email="sari@example.com").exists()  # opening it erased nothing

    response = post(link, {})
    assert response.status_code == 200
    assert not SignUp.objects.filter(email="sari@example.com").exists()
    assert not ConsultationRequest.objects.filter(email="sari@example.com").exists()
    assert not PrivacyRequest.objects.filter(email="sari@example.com").exists()
    assert not ModelLogEntry.objects.filter(object_id=str(signup.pk), label="Sari").exists()
    assert not ConsultationRequest.objects.filter(pk=consultation.pk).exists()
    # Every registered holder (comments too, once that app registers) has nothing left.
    assert all(rows == [] for rows in privacy.export_for_email("sari@example.com").values())
    assert SignUp.objects.get() == other  # other people's data stays
    assert ConsultationRequest.objects.filter(email="other@example.com").count() == 1
    assert post(link, {}).status_code == 404  # the request itself is gone too


@pytest.mark.django_db
def test_the_privacy_email_has_an_unsubscribe_link_and_is_not_sent_twice_at_once(
    post, smtp_server, request_link, django_capture_on_commit_callbacks
):
    request_link("export")
    mail = smtp_server.messages[0]
    assert "/id/berhenti/" in mail["List-Unsubscribe"]
    assert "/id/berhenti/" in smtp_server.text_of(mail)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post("/id/privasi/", {"email": "sari@example.com", "kind": "export"})
    assert response.status_code == 303
    assert callbacks == [] and PrivacyRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_privacy_link_expires(client, request_link, monkeypatch):
    make_signup()
    link = request_link("erase")
    later = timezone.now() + timedelta(hours=25)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    response = client.get(link)
    assert response.status_code == 410
    assert str(LINK_EXPIRED) in response.content.decode()
    assert SignUp.objects.count() == 1


@pytest.mark.django_db
def test_a_privacy_request_for_an_unknown_address_still_sends_a_link(request_link, post):
    # The reply is the same whether or not the address is known: the page reveals nothing.
    link = request_link("export", email="nobody@example.com")
    data = json.loads(post(link, {}).content)
    assert data["data"]["sign-ups"] == [] and data["data"]["consultations"] == []


@pytest.mark.django_db
def test_the_purge_command_deletes_only_old_unconfirmed_sign_ups(monkeypatch):
    now = timezone.now()
    old_unconfirmed = make_signup(email="old@example.com")
    make_signup(email="new@example.com")
    make_signup(email="confirmed@example.com", confirmed_at=now - timedelta(days=30))
    old_request = PrivacyRequest.objects.create(
        email="x@example.com",
        kind="export",
        token_hash="a" * 64,
        expires_at=now - timedelta(days=9),
    )
    SignUp.objects.filter(email__in=["old@example.com", "confirmed@example.com"]).update(
        updated_at=now - timedelta(days=PURGE_UNCONFIRMED_DAYS, hours=1)
    )
    from io import StringIO

    out = StringIO()
    call_command("purge_unconfirmed_signups", stdout=out)
    assert "Deleted 1 unconfirmed sign-up(s)" in out.getvalue()
    assert set(SignUp.objects.values_list("email", flat=True)) == {
        "new@example.com",
        "confirmed@example.com",
    }
    assert not SignUp.objects.filter(pk=old_unconfirmed.pk).exists()
    assert not PrivacyRequest.objects.filter(pk=old_request.pk).exists()
    call_command("purge_unconfirmed_signups", "--days", "1", stdout=out)
    assert SignUp.objects.count() == 2  # a fresh one survives even a 1-day purge


@pytest.mark.django_db
def test_the_purge_command_deletes_consultations_after_a_year():
    from io import StringIO

    from asih.leads.services import PURGE_CONSULTATIONS_DAYS

    old = make_consultation(email="old@example.com")
    recent = make_consultation(email="recent@example.com")
    ConsultationRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=PURGE_CONSULTATIONS_DAYS, hours=1)
    )
    out = StringIO()
    call_command("purge_unconfirmed_signups", stdout=out)
    assert "Deleted 1 consultation request(s)" in out.getvalue()
    assert list(ConsultationRequest.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_the_purge_command_refuses_a_zero_day_window():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("purge_unconfirmed_signups", "--days", "0")
    with pytest.raises(CommandError):
        call_command("purge_unconfirmed_signups", "--consultation-days", "0")


# --- Issue 15, items 8 and 16: the export shows waiting details; erasure reaches the queue ---


@pytest.mark.django_db
def test_the_export_includes_details_typed_again_and_waiting_for_their_link(
    django_capture_on_commit_callbacks,
):
    from asih.leads import services

    signup = make_signup(whatsapp="+6281234567890", confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False):  # the email itself is not the point
        services.signup_request(
            name="Sari Baru", email="sari@example.com", stage="planning",
            whatsapp="0811-2222-3333", language="id", site_url="http://testserver",
        )  # fmt: skip
    signup.refresh_from_db()
    assert signup.whatsapp == "+6281234567890"  # not applied until the link is followed …
    (row,) = privacy.export_for_email("sari@example.com")["sign-ups"]
    (waiting,) = row["waiting_for_confirmation"]  # … but held, so it is in the export
    assert (waiting["name"], waiting["whatsapp"]) == ("Sari Baru", "+6281122223333")


@pytest.mark.django_db
def test_erasure_removes_the_addresses_email_tasks_too(
    settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from asih.leads import services

    settings.ASIH_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ASIH_STAFF_EMAILS = ["bidan@klinik.example"]
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("sari@example.com", "other@example.com"):
            services.signup_request(
                name="Sari", email=email, stage="planning", language="id",
                site_url="http://testserver",
            )  # fmt: skip
            services.consultation_submit(
                name="Sari", phone="0812 3456 7890", question="Kapan mulai pijat?", email=email,
                language="id", site_url="http://testserver",
            )  # fmt: skip
    emails = DBTaskResult.objects.filter(task_path__endswith="deliver_email_by_reference")
    assert emails.count() == 6  # per address: confirm link, staff notice, reader's receipt
    privacy.erase_for_email("sari@example.com")
    left = [row.args_kwargs["kwargs"]["params"] for row in emails.all()]
    other_signup = SignUp.objects.get(email="other@example.com")
    other_request = ConsultationRequest.objects.get(email="other@example.com")
    expected = [
        {"link_id": other_signup.links.get().pk, "site_url": "http://testserver"},
        {"consultation_id": other_request.pk, "site_url": "http://testserver"},
        # The staff notice: the request's id and the staff's language (ASIH_STAFF_EMAILS: "id").
        {"consultation_id": other_request.pk, "language": "id"},
    ]
    # (PostgreSQL's jsonb reorders keys: compare in one canonical form.)
    canonical = lambda rows: sorted(json.dumps(row, sort_keys=True) for row in rows)  # noqa: E731
    assert canonical(left) == canonical(expected)


@pytest.mark.django_db
def test_the_privacy_page_states_the_retention_the_code_keeps(client):
    from asih.comments.services import UNPUBLISHED_KEEP_DAYS
    from asih.core.backup import BACKUPS_KEPT
    from asih.core.privacy import SIGN_IN_RECORDS_KEEP_DAYS

    text = client.get("/en/privacy/").content.decode()
    assert f"never published is deleted after {UNPUBLISHED_KEEP_DAYS} days" in text
    assert f"These records are deleted after {SIGN_IN_RECORDS_KEEP_DAYS} days" in text
    assert f"Only the newest {BACKUPS_KEPT} backups are kept" in text
    assert f"at most {BACKUPS_KEPT} days later" in text
    assert "neither stored nor logged" in text
