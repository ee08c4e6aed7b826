"""Editors' related-guide choices are checked like the admin form checks them."""

import pytest
from django.core.exceptions import ValidationError

from asih.search.models import CHOICE_OTHER_LANGUAGE, CHOICE_SELF, RelatedGuideChoice

pytestmark = pytest.mark.django_db


def test_a_guide_cannot_pin_itself(oxytocin):
    choice = RelatedGuideChoice(page=oxytocin["id"], guide=oxytocin["id"], kind="pin")
    with pytest.raises(ValidationError) as error:
        choice.full_clean()
    assert error.value.message_dict["guide"] == [str(CHOICE_SELF)]


def test_a_guide_cannot_pin_another_languages_guide(oxytocin):
    choice = RelatedGuideChoice(page=oxytocin["id"], guide=oxytocin["en"], kind="exclude")
    with pytest.raises(ValidationError) as error:
        choice.full_clean()
    assert error.value.message_dict["guide"] == [str(CHOICE_OTHER_LANGUAGE)]


def test_a_same_language_choice_is_valid(oxytocin, guide_pages):
    other = guide_pages.filter(locale=oxytocin["id"].locale).exclude(pk=oxytocin["id"].pk).first()
    RelatedGuideChoice(page=oxytocin["id"], guide=other, kind="pin").full_clean()


def test_a_choice_on_a_guide_not_yet_saved_is_not_checked_against_it(oxytocin):
    choice = RelatedGuideChoice(guide=oxytocin["id"], kind="pin")
    choice.clean()  # no page yet: nothing to compare, and no crash
    assert choice.page_id is None
