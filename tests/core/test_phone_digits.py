"""Numbers typed with digits of another script are stored as ASCII digits (found by fuzzing:
"0812 3456 78٩٠" was accepted and stored as "+62812345678٩٠", which no phone can dial)."""

import pytest

from asih.core.phone import normalise_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812 3456 78٩٠", "+6281234567890"),
        ("٠٨١٢٣٤٥٦٧٨٩٠", "+6281234567890"),
        ("０８１２-３４５６-７８９０", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
    ],
)
def test_digits_of_any_script_are_stored_as_ascii(typed, stored):
    assert normalise_phone(typed) == stored
