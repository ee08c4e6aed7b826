import pytest
from django.core.exceptions import ValidationError

from asih.core.models import ClinicSettings, normalise_whatsapp
from asih.core.phone import (
    PHONE_BAD_CHARACTERS,
    PHONE_NOT_INDONESIAN,
    PHONE_NOT_MOBILE,
    PHONE_TOO_SHORT,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812 3456 7890", "6281234567890"),
        ("+62 812-3456-7890", "6281234567890"),
        ("62812345678", "62812345678"),
        ("(0812) 3456.789", "628123456789"),
    ],
)
def test_whatsapp_numbers_in_indonesian_formats_are_stored_international(typed, stored):
    assert normalise_whatsapp(typed) == stored


# The clinic's number goes through the leads' normaliser, so it says what is wrong the same way.
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", PHONE_BAD_CHARACTERS),
        ("12345", PHONE_NOT_INDONESIAN),
        ("021 555 1234", PHONE_NOT_MOBILE),
        ("+1 415 555 0100", PHONE_NOT_INDONESIAN),
        ("0812abc4567", PHONE_BAD_CHARACTERS),
        ("0812 34", PHONE_TOO_SHORT),
    ],
)
def test_other_numbers_are_refused_with_a_clear_message(typed, message):
    with pytest.raises(ValidationError) as error:
        normalise_whatsapp(typed)
    assert error.value.messages == [str(message)]


def test_clinic_settings_clean_normalises_and_formats(db):
    from wagtail.models import Site

    clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    clinic.whatsapp_number = "0812 3456 7890"
    clinic.full_clean()
    assert clinic.whatsapp_number == "6281234567890"
    assert clinic.whatsapp_display == "+62 812-3456-7890"
    assert clinic.whatsapp_url == "https://wa.me/6281234567890"


def test_clinic_settings_clean_reports_bad_number_on_the_field(db):
    from wagtail.models import Site

    clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    clinic.whatsapp_number = "hello"
    with pytest.raises(ValidationError) as error:
        clinic.full_clean()
    assert "whatsapp_number" in error.value.message_dict
