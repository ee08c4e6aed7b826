"""The full-text index on this database (SQLite FTS5 or PostgreSQL tsvector): same answers."""

import pytest
from django.db import connection

from asih.search import backends, text
from asih.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def _titles(query, language="id", **filters):
    terms = text.query_terms(query, language)
    ids = backends.ranked_ids(terms, backends.Filters(language=language, **filters), limit=50)
    return list(SearchEntry.objects.filter(pk__in=ids).values_list("title", flat=True))


def test_the_loaded_guides_are_indexed_in_both_languages(guide_pages):
    assert SearchEntry.objects.count() == guide_pages.count() == 16
    assert set(SearchEntry.objects.values_list("language", flat=True)) == {"id", "en"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [("pemijatan", "Pijat Oksitosin"), ("pijat", "Pijat Laktasi"), ("susui", "Menyusui")],
)
def test_indonesian_forms_find_each_other(query, expected):
    assert any(expected in title for title in _titles(query))


def test_english_forms_find_each_other():
    titles = _titles("massaging", language="en")
    assert any("Oxytocin Massage" in title for title in titles)
    assert any("Lactation Massage" in title for title in titles)


def test_the_index_follows_updates_and_deletes(publish_guide):
    page = publish_guide(title="Zebrakata pertama")
    assert _titles("zebrakata") == ["Zebrakata pertama"]
    page.title = "Kudakata kedua"
    page.save_revision().publish()
    assert _titles("zebrakata") == []
    assert _titles("kudakata") == ["Kudakata kedua"]
    page.delete()
    assert _titles("kudakata") == []
    assert not SearchEntry.objects.filter(pk=page.pk).exists()


def test_the_database_has_its_own_full_text_structure():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'asih_search_fts'")
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname = 'asih_search_match_gin'"
            )
        assert cursor.fetchone() is not None
