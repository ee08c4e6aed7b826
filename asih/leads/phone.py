"""Indonesian phone numbers as people type them (0812…, +62 812…, 62812…) → +62…"""

from __future__ import annotations

import re
import unicodedata

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

# Digits after the country code 62: mobile numbers are 9–13 long (8xx + 6–10 digits);
# landlines (area code + number) can be as short as 7.
MOBILE_DIGITS = (9, 13)
LANDLINE_DIGITS = (7, 13)


def normalise_phone(value: str, *, mobile_only: bool = True) -> str:
    """Return the number as +62…, or raise ValidationError saying what is wrong with it."""
    # Digits of other scripts (٠١٢, ０１２) are read as the digits they are: stored and
    # dialled as ASCII, never kept as typed (a wa.me link with them goes nowhere).
    text = "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() else char for char in value or ""
    ).strip()
    if not re.fullmatch(r"\+?[\d\s\-.()]+", text):
        raise ValidationError(PHONE_BAD_CHARACTERS, code="phone_characters")
    digits = re.sub(r"\D", "", text)
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0") and not text.startswith("+"):
        national = digits[1:]
    else:
        raise ValidationError(PHONE_NOT_INDONESIAN, code="phone_country")
    national = national.lstrip("0")  # "+62 0812…" is a common slip for "+62 812…"
    if mobile_only and not national.startswith("8"):
        raise ValidationError(PHONE_NOT_MOBILE, code="phone_not_mobile")
    shortest, longest = MOBILE_DIGITS if national.startswith("8") else LANDLINE_DIGITS
    if len(national) < shortest:
        raise ValidationError(PHONE_TOO_SHORT, code="phone_short")
    if len(national) > longest:
        raise ValidationError(PHONE_TOO_LONG, code="phone_long")
    return "+62" + national
