"""Consultation requests: from a guide's call to action to the staff's inbox and the admin."""

import pytest
from django.utils import translation

from asih.leads.models import ConsultationRequest
from asih.leads.services import CONSULTATION_CONSENT


@pytest.fixture
def staff(settings):
    settings.ASIH_STAFF_EMAILS = ["bidan@klinik.example", "laktasi@klinik.example"]


def ask(post, capture, url="/id/konsultasi/", **overrides):
    data = {
        "name": "Sari",
        "phone": "+62 812-3456-7890",
        "email": "Sari@Example.com",
        "preferred_time": "evening",
        "question": "Berapa kali sehari pijat oksitosin sebaiknya dilakukan?",
        "consent": "on",
        **overrides,
    }
    with capture(execute=True):
        return post(url, data)


@pytest.mark.django_db
@pytest.mark.usefixtures("staff")
def test_a_request_from_a_guide_step_reaches_staff_and_the_reader(
    client, post, smtp_server, oxytocin, django_capture_on_commit_callbacks
):
    guide = oxytocin["id"]
    form_page = client.get(f"/id/konsultasi/?panduan={guide.pk}&langkah=3")
    html = form_page.content.decode()
    assert guide.title in html and f'name="panduan" value="{guide.pk}"' in html
    assert 'name="langkah" value="3"' in html
    assert "https://wa.me/6281200000000?text=" in html  # WhatsApp offered beside the form

    response = ask(post, django_capture_on_commit_callbacks, panduan=guide.pk, langkah=3)
    assert response.status_code == 303
    assert response["Location"] == "/id/konsultasi/terima-kasih/"
    request = ConsultationRequest.objects.get()
    assert (request.phone, request.email, request.guide, request.step, request.status) == (
        "+6281234567890",
        "sari@example.com",
        guide.page_ptr.specific,
        3,
        "new",
    )
    with translation.override("id"):  # the consent as the reader read it, in their language
        assert request.consent_text == str(CONSULTATION_CONSENT)

    staff_mail, reader_mail = sorted(smtp_server.wait_for(2), key=lambda m: "bidan" not in m["To"])
    assert staff_mail["To"] == "bidan@klinik.example, laktasi@klinik.example"
    staff_text = smtp_server.text_of(staff_mail)
    assert "+6281234567890" in staff_text and guide.title in staff_text
    assert f"/admin/leads/consultations/edit/{request.pk}/" in staff_text
    assert "Berapa kali sehari" in staff_text
    assert reader_mail["To"] == "sari@example.com"
    reader_text = smtp_server.text_of(reader_mail)
    assert "/id/berhenti/" in reader_text
    # The address was typed by whoever sent the form and is not confirmed: the receipt carries
    # nothing typed (issue 15, item 14), so nobody can mail their own words to a stranger.
    for typed in ("Berapa kali sehari", "Sari", "812", "3456"):
        assert typed not in reader_text
        assert typed not in smtp_server.html_of(reader_mail)
    assert "Pertanyaan Anda sudah kami terima" in reader_text


@pytest.mark.django_db
@pytest.mark.usefixtures("staff")
def test_without_an_email_the_reader_is_confirmed_on_the_page_only(
    client, post, smtp_server, django_capture_on_commit_callbacks
):
    response = ask(post, django_capture_on_commit_callbacks, url="/en/consultation/", email="")
    assert response["Location"] == "/en/consultation/thank-you/"
    (staff_mail,) = smtp_server.wait_for(1)
    assert "bidan@klinik.example" in staff_mail["To"]
    thanks = client.get(response["Location"]).content.decode()
    assert "Your question has reached the clinic" in thanks
    assert ConsultationRequest.objects.get().guide is None


@pytest.mark.django_db
def test_a_broken_guide_or_step_in_the_link_is_simply_dropped(
    post, django_capture_on_commit_callbacks
):
    response = ask(post, django_capture_on_commit_callbacks, panduan="999999", langkah="abc")
    assert response.status_code == 303
    request = ConsultationRequest.objects.get()
    assert (request.guide, request.step) == (None, None)


@pytest.mark.django_db
def test_a_guide_that_is_deleted_leaves_the_request(
    post, oxytocin, django_capture_on_commit_callbacks
):
    guide = oxytocin["en"]
    ask(post, django_capture_on_commit_callbacks, url="/en/consultation/", panduan=guide.pk)
    guide.delete()
    assert ConsultationRequest.objects.get().guide is None


@pytest.mark.django_db
def test_staff_move_a_request_along_in_the_admin(
    admin_client, post, django_capture_on_commit_callbacks
):
    ask(post, django_capture_on_commit_callbacks)
    request = ConsultationRequest.objects.get()
    listing = admin_client.get("/admin/leads/consultations/?status=new")
    assert listing.status_code == 200 and "Sari" in listing.content.decode()
    edit_url = f"/admin/leads/consultations/edit/{request.pk}/"
    assert admin_client.get(edit_url).status_code == 200
    response = admin_client.post(edit_url, {"status": "contacted"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "contacted"
    assert request.question.startswith("Berapa kali")  # staff cannot rewrite the question
    admin_client.get("/admin/")  # shows (and clears) the "saved" message with its edit link
    new = admin_client.get("/admin/leads/consultations/?status=new").content.decode()
    contacted = admin_client.get("/admin/leads/consultations/?status=contacted").content.decode()
    assert f"/edit/{request.pk}/" not in new
    assert f"/edit/{request.pk}/" in contacted


@pytest.mark.django_db
@pytest.mark.usefixtures("staff")
def test_a_name_with_direction_marks_is_isolated_in_the_emails(
    post, smtp_server, django_capture_on_commit_callbacks
):
    from asih.core.protection import make_started_token

    name = "Sari \u202eorang"
    response = ask(
        post, django_capture_on_commit_callbacks, name=name, started=make_started_token(now=0)
    )
    assert response.status_code == 303
    staff_mail, reader_mail = sorted(smtp_server.wait_for(2), key=lambda m: "bidan" not in m["To"])
    isolated = f"\u2068{name}\u2069"
    assert isolated in staff_mail["Subject"]
    assert isolated in smtp_server.text_of(staff_mail)
    assert f"<bdi>{name}</bdi>" in smtp_server.html_of(staff_mail)
    # The reader's address is not confirmed: the receipt carries nothing typed (issue 15,
    # item 14), so neither the name nor its direction mark can reach that inbox.
    reader_text = smtp_server.text_of(reader_mail)
    assert "Pertanyaan Anda sudah kami terima" in reader_text
    for part in (reader_mail["Subject"], reader_text, smtp_server.html_of(reader_mail)):
        assert "Sari" not in part and "\u202e" not in part
