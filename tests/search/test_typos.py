"""Typo tolerance: the distance it measures and the nearest indexed stem it picks."""

import pytest

from asih.search import text, typos
from asih.search.models import SearchTerm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("pijat", "pijat", 0),
        ("pijet", "pijat", 1),
        ("oksitoksin", "oksitosin", 1),
        ("oksitoisn", "oksitosin", 1),  # two neighbours swapped is one slip
        ("oksitokin", "oksitosin", 1),
        ("oksitsoin", "oksitosin", 1),
        ("pijat", "pijit", 1),
        ("susu", "pijat", 5),
    ],
)
def test_edit_distance_counts_slips(a, b, distance):
    assert typos.edit_distance(a, b, limit=5) == distance


def test_edit_distance_stops_past_its_limit():
    assert typos.edit_distance("abcdefgh", "zyxwvuts", limit=2) == 3
    assert typos.edit_distance("pijat", "pijatanku", limit=2) == 3


@pytest.mark.parametrize(
    ("typed", "nearest"),
    [("pijet", "pijat"), ("oksitoksin", "oksitosin"), ("payudra", "payudara")],
)
def test_an_unknown_stem_finds_the_nearest_indexed_one(typed, nearest):
    assert typos.nearest_stem(typed, "id") == nearest


def test_short_words_and_far_words_are_left_alone():
    assert typos.nearest_stem("asu", "id") is None  # too short to guess safely
    assert typos.nearest_stem("zzzqqq", "id") is None
    assert typos.corrections(["pijat", "pijet"], "id") == {"pijet": "pijat"}


def test_the_vocabulary_is_per_language():
    assert SearchTerm.objects.filter(language="id", stem="pijat").exists()
    assert not SearchTerm.objects.filter(language="en", stem="pijat").exists()
    typed = text.stem_word("massege", "en")
    assert typos.nearest_stem(typed, "en") == "massag"
    assert typos.nearest_stem(typed, "id") != "massag"


def test_publishing_adds_the_guides_stems(publish_guide):
    assert typos.nearest_stem("zebrakatax", "id") is None
    publish_guide(title="Zebrakata pertama")
    assert typos.nearest_stem("zebrakatax", "id") == "zebrakata"
