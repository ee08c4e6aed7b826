"""Every field of the three forms: a clear message next to it in the page's language."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from asih.core import phone
from asih.leads import forms, models
from asih.leads.models import ConsultationRequest, PrivacyRequest, SignUp


def today():
    return timezone.localdate()


def valid_signup(**overrides):
    data = {
        "name": "Sari",
        "email": "sari@example.com",
        "whatsapp": "",
        "stage": "planning",
        "due_date": "",
        "birth_date": "",
        "consent": "on",
    }
    return {**data, **overrides}


SIGNUP_CASES = [
    ({"name": ""}, "name", forms.NAME_REQUIRED),
    ({"name": "x" * 81}, "name", forms.NAME_TOO_LONG),
    ({"email": ""}, "email", forms.EMAIL_REQUIRED),
    ({"email": "sari@"}, "email", forms.EMAIL_INVALID),
    ({"whatsapp": "0812 34"}, "whatsapp", phone.PHONE_TOO_SHORT),
    ({"whatsapp": "+1 202 555 0100"}, "whatsapp", phone.PHONE_NOT_INDONESIAN),
    ({"stage": ""}, "stage", forms.STAGE_REQUIRED),
    ({"stage": "grandparent"}, "stage", forms.STAGE_REQUIRED),
    ({"stage": "pregnant"}, "due_date", models.DUE_DATE_REQUIRED),
    ({"stage": "pregnant", "due_date": "31/02/2026"}, "due_date", forms.DATE_INVALID),
    (
        {"stage": "pregnant", "due_date": (today() - timedelta(days=30)).isoformat()},
        "due_date",
        models.DUE_DATE_PAST,
    ),
    (
        {"stage": "pregnant", "due_date": (today() + timedelta(days=400)).isoformat()},
        "due_date",
        models.DUE_DATE_TOO_FAR,
    ),
    ({"stage": "born"}, "birth_date", models.BIRTH_DATE_REQUIRED),
    (
        {"stage": "born", "birth_date": (today() + timedelta(days=2)).isoformat()},
        "birth_date",
        models.BIRTH_DATE_FUTURE,
    ),
    ({"stage": "born", "birth_date": "2001-01-01"}, "birth_date", models.BIRTH_DATE_TOO_OLD),
    ({"consent": ""}, "consent", models.CONSENT_REQUIRED),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "url"), [("id", "/id/daftar/"), ("en", "/en/sign-up/")])
@pytest.mark.parametrize(("overrides", "field", "message"), SIGNUP_CASES)
def test_signup_errors_next_to_the_field_in_the_page_language_with_values_kept(
    post, language, url, overrides, field, message
):
    data = valid_signup(**overrides)
    response = post(url, data)
    assert response.status_code == 400
    form = response.context["form"]
    with translation.override(language):
        expected = str(message)
    assert form.errors[field] == [expected]
    html = response.content.decode()
    assert escape(expected) in html
    if data["email"]:
        assert f'value="{data["email"]}"' in html
    assert "no-store" in response["Cache-Control"]
    assert SignUp.objects.count() == 0


@pytest.mark.django_db
def test_the_signup_form_keeps_everything_typed(post):
    data = valid_signup(
        name="Sari <Lestari>", whatsapp="0812 3456 7890", stage="pregnant", due_date="2001-01-01"
    )
    html = post("/id/daftar/", data).content.decode()
    assert 'value="Sari &lt;Lestari&gt;"' in html
    assert 'value="0812 3456 7890"' in html
    assert 'value="2001-01-01"' in html
    assert 'value="pregnant"' in html and "checked" in html.split('value="pregnant"')[1][:40]
    assert 'name="consent"' in html and "checked" in html.split('name="consent"')[1][:40]


@pytest.mark.django_db
def test_the_consent_box_is_unticked_and_says_what_the_data_is_for(client):
    html = client.get("/en/sign-up/").content.decode()
    consent = html.split('name="consent"')[1][:60]
    assert "checked" not in consent
    assert "to send me the complete guide" in html
    assert 'href="/en/privacy/"' in html


def valid_consultation(**overrides):
    data = {
        "name": "Sari",
        "phone": "0812 3456 7890",
        "email": "",
        "preferred_time": "morning",
        "question": "Apakah pijat oksitosin boleh setelah operasi sesar?",
        "consent": "on",
    }
    return {**data, **overrides}


CONSULTATION_CASES = [
    ({"name": ""}, "name", forms.NAME_REQUIRED),
    ({"phone": ""}, "phone", forms.PHONE_REQUIRED),
    ({"phone": "12345"}, "phone", phone.PHONE_NOT_INDONESIAN),
    ({"phone": "0812-34"}, "phone", phone.PHONE_TOO_SHORT),
    ({"phone": "0812 abc"}, "phone", phone.PHONE_BAD_CHARACTERS),
    ({"email": "not-an-email"}, "email", forms.EMAIL_INVALID),
    ({"preferred_time": "midnight"}, "preferred_time", forms.PREFERRED_TIME_INVALID),
    ({"question": "   "}, "question", forms.QUESTION_REQUIRED),
    ({"question": "a" * 1501}, "question", forms.QUESTION_TOO_LONG),
    ({"consent": ""}, "consent", models.CONSENT_REQUIRED),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "url"), [("id", "/id/konsultasi/"), ("en", "/en/consultation/")]
)
@pytest.mark.parametrize(("overrides", "field", "message"), CONSULTATION_CASES)
def test_consultation_errors_in_the_page_language(post, language, url, overrides, field, message):
    response = post(url, valid_consultation(**overrides))
    assert response.status_code == 400
    with translation.override(language):
        assert response.context["form"].errors[field] == [str(message)]
    assert "Apakah pijat oksitosin" in response.content.decode() or field == "question"
    assert ConsultationRequest.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "kind": "export"}, "email", forms.EMAIL_REQUIRED),
        ({"email": "x@", "kind": "export"}, "email", forms.EMAIL_INVALID),
        ({"email": "sari@example.com"}, "kind", forms.KIND_REQUIRED),
        ({"email": "sari@example.com", "kind": "sell"}, "kind", forms.KIND_REQUIRED),
    ],
)
@pytest.mark.parametrize(("language", "url"), [("id", "/id/privasi/"), ("en", "/en/privacy/")])
def test_privacy_request_errors_in_the_page_language(post, language, url, data, field, message):
    response = post(url, data)
    assert response.status_code == 400
    with translation.override(language):
        assert response.context["form"].errors[field] == [str(message)]
    assert PrivacyRequest.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize(
    "url", ["/id/daftar/", "/id/konsultasi/", "/id/privasi/", "/id/berhenti/x/"]
)
def test_form_pages_refuse_other_methods(client, method, url):
    response = getattr(client, method)(url, "name=A", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert not (SignUp.objects.exists() or ConsultationRequest.objects.exists())
    assert not PrivacyRequest.objects.exists()
