"""Indonesian phone numbers as people type them (0812…, +62 812…, 62812…) → E.164 (+62…)."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_BAD_CHARACTERS = _(
    "Use only digits, spaces, dashes or dots, with an optional + at the start."
)
PHONE_NOT_INDONESIAN = _("Enter an Indonesian number starting with 08, +62 or 62.")
PHONE_NOT_MOBILE = _(
    "A WhatsApp number is a mobile number: after 0 or +62 it starts with 8, e.g. 0812 3456 7890."
)
PHONE_TOO_SHORT = _("This number is too short. Check it against your phone, e.g. 0812 3456 7890.")
PHONE_TOO_LONG = _("This number is too long. Check it against your phone, e.g. 0812 3456 7890.")
PHONE_NOT_IN_USE = _(
    "No Indonesian number starts like this. Check it against your phone, e.g. 0812 3456 7890."
)

INDONESIA = "ID"
COUNTRY_CODE = "62"

_LENGTH_ERRORS = {
    phonenumbers.ValidationResult.TOO_SHORT: (PHONE_TOO_SHORT, "phone_short"),
    # A number dialable only inside its own area (no area code) is one typed too short.
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: (PHONE_TOO_SHORT, "phone_short"),
    phonenumbers.ValidationResult.INVALID_LENGTH: (PHONE_TOO_SHORT, "phone_short"),
    phonenumbers.ValidationResult.TOO_LONG: (PHONE_TOO_LONG, "phone_long"),
}
_MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def _national_digits(value: str) -> str:
    """The digits after +62, from what was typed; the prefix rules are Asih's, not the library's:
    a bare "812…" or "+0812…" is refused rather than guessed at."""
    # Digits of other scripts (٠١٢, ０１２) are read as the digits they are: stored and
    # dialled as ASCII, never kept as typed (a wa.me link with them goes nowhere).
    text = "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() else char for char in value or ""
    ).strip()
    if not re.fullmatch(r"\+?[\d\s\-.()]+", text):
        raise ValidationError(PHONE_BAD_CHARACTERS, code="phone_characters")
    digits = re.sub(r"\D", "", text)
    if digits.startswith(COUNTRY_CODE):
        national = digits[len(COUNTRY_CODE) :]
    elif digits.startswith("0") and not text.startswith("+"):
        national = digits[1:]
    else:
        raise ValidationError(PHONE_NOT_INDONESIAN, code="phone_country")
    return national.lstrip("0")  # "+62 0812…" is a common slip for "+62 812…"


def normalise_phone(value: str, *, mobile_only: bool = True) -> str:
    """Return the number in E.164 (+62…), or raise ValidationError saying what is wrong with it."""
    national = _national_digits(value)
    if mobile_only and not national.startswith("8"):
        raise ValidationError(PHONE_NOT_MOBILE, code="phone_not_mobile")
    try:
        number = phonenumbers.parse("+" + COUNTRY_CODE + national)
    except phonenumbers.NumberParseException as error:
        # Only length is left to go wrong here: nothing at all, or more digits than any plan has.
        if error.error_type == phonenumbers.NumberParseException.TOO_LONG:
            raise ValidationError(PHONE_TOO_LONG, code="phone_long") from error
        raise ValidationError(PHONE_TOO_SHORT, code="phone_short") from error
    # Length first: "too short" helps more than "not in use" for a number cut off while typing.
    if mobile_only:
        fit = phonenumbers.is_possible_number_for_type_with_reason(
            number, phonenumbers.PhoneNumberType.MOBILE
        )
    else:
        fit = phonenumbers.is_possible_number_with_reason(number)
    if fit in _LENGTH_ERRORS:
        message, code = _LENGTH_ERRORS[fit]
        raise ValidationError(message, code=code)
    if not phonenumbers.is_valid_number_for_region(number, INDONESIA):
        raise ValidationError(PHONE_NOT_IN_USE, code="phone_not_in_use")
    if mobile_only and phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ValidationError(PHONE_NOT_MOBILE, code="phone_not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """+62 812-3456-7890: the number as the clinic's country writes it, for reading and tapping."""
    number = phonenumbers.parse("+" + e164.lstrip("+"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
