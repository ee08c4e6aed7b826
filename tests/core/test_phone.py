"""Indonesian numbers as people type them become E.164 (+62…); anything else says what is wrong.
The leads' forms and the clinic's WhatsApp setting use this one normaliser."""

import pytest
from django.core.exceptions import ValidationError

from asih.core.phone import (
    PHONE_BAD_CHARACTERS,
    PHONE_NOT_IN_USE,
    PHONE_NOT_INDONESIAN,
    PHONE_NOT_MOBILE,
    PHONE_TOO_LONG,
    PHONE_TOO_SHORT,
    normalise_phone,
    phone_display,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("081234567890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812.3456.7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62-812-3456-7890", "+6281234567890"),
        ("62812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("  0812 345 678  ", "+62812345678"),  # 9 digits after 62: the shortest mobile
        ("0812 3456 7890 1", "+62812345678901"),  # 12 digits: the longest
    ],
)
def test_indonesian_mobile_numbers_are_stored_as_plus_62(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0812 3456 789O", PHONE_BAD_CHARACTERS),  # a letter O for a zero
        ("0812/3456/7890", PHONE_BAD_CHARACTERS),
        ("08123+4567890", PHONE_BAD_CHARACTERS),
        ("+1 415 555 0100", PHONE_NOT_INDONESIAN),
        ("+081234567890", PHONE_NOT_INDONESIAN),
        ("812 3456 7890", PHONE_NOT_INDONESIAN),
        ("021 555 1234", PHONE_NOT_MOBILE),  # a Jakarta landline is no WhatsApp number
        ("0812 345 67", PHONE_TOO_SHORT),
        ("+62 812", PHONE_TOO_SHORT),
        ("0812 3456 7890 1234", PHONE_TOO_LONG),
        # Indonesia's numbering plan has no 13-digit mobile numbers (the old hand-made check
        # allowed them); phonenumbers knows the plan.
        ("0812 3456 7890 12", PHONE_TOO_LONG),
        ("0800 1234 5678", PHONE_NOT_IN_USE),
        ("", PHONE_BAD_CHARACTERS),
    ],
)
def test_wrong_numbers_say_what_is_wrong(typed, message):
    with pytest.raises(ValidationError) as caught:
        normalise_phone(typed)
    assert caught.value.messages == [str(message)]


def test_a_landline_is_accepted_where_a_phone_number_will_do():
    assert normalise_phone("(021) 555-1234", mobile_only=False) == "+62215551234"
    with pytest.raises(ValidationError) as caught:
        normalise_phone("021 55", mobile_only=False)
    assert caught.value.messages == [str(PHONE_TOO_SHORT)]


def test_the_clinic_number_is_shown_as_the_country_writes_it():
    assert phone_display("+6281234567890") == "+62 812-3456-7890"
    assert phone_display("6281234567890") == "+62 812-3456-7890"
