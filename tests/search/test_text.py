"""Words, stems, caps and highlighting: the analysis shared by the index and the query."""

import pytest

from asih.search import text


@pytest.mark.parametrize(
    ("language", "forms", "stem"),
    [
        ("id", ["pijat", "pemijatan", "Pijat"], "pijat"),
        ("id", ["susui", "menyusui"], "susu"),
        ("id", ["hamil", "kehamilan"], "hamil"),
        ("en", ["massage", "massaging", "Massages"], "massag"),
    ],
)
def test_word_forms_meet_at_their_stem(language, forms, stem):
    assert {text.stem_word(text.words(form)[0], language) for form in forms} == {stem}


def test_folding_turns_wide_and_accented_letters_into_plain_words():
    assert text.words("Ｐｉｊａｔ café ﬁt") == ["pijat", "cafe", "fit"]


def test_query_syntax_becomes_plain_words():
    assert text.query_terms('"pijat*" NEAR(susu) \'; DROP TABLE x; --', "id") == [
        "pijat",
        "near",
        "susu",
        "drop",
        "table",
        "x",
    ]


def test_query_is_capped_in_length_and_terms():
    long_query = " ".join(f"kata{number}" for number in range(500))
    terms = text.query_terms(long_query, "id")
    assert len(terms) == text.MAX_QUERY_TERMS
    assert text.query_terms("a" * 10_000, "id") == ["a" * text.MAX_QUERY_CHARS]


def test_query_without_words_has_no_terms():
    assert text.query_terms("  \"*'; -- 🙂 ‮ \u200b", "id") == []


def test_highlight_marks_every_form_and_escapes_the_rest():
    html = text.highlight("<b>Pemijatan</b> & pijat lembut", {"pijat"}, "id")
    assert html == "&lt;b&gt;<mark>Pemijatan</mark>&lt;/b&gt; &amp; <mark>pijat</mark> lembut"


def test_snippet_centres_on_the_first_match_with_ellipses():
    body = " ".join(["kata"] * 40 + ["menyusui"] + ["lain"] * 40)
    snippet = text.snippet(body, {"susu"}, "id", width=12)
    assert snippet.startswith("… kata")
    assert "<mark>menyusui</mark>" in snippet
    assert snippet.endswith(" …")


def test_block_text_reads_nested_stream_values(oxytocin):
    body = text.plain_body(oxytocin["id"].body)
    assert "tulang belakang" in body
    assert "<p>" not in body


def test_rich_text_becomes_plain_text_with_entities_decoded():
    from wagtail.rich_text import RichText

    assert text.block_text(RichText("<p>Ibu &amp; bayi <b>tenang</b></p>")) == ["Ibu & bayi tenang"]


@pytest.mark.parametrize(
    ("language", "query", "terms"),
    [
        ("en", "and", []),
        ("en", "massage and breastfeeding", ["massag", "breastfeed"]),
        ("en", "The oxytocin massage", ["oxytocin", "massag"]),
        ("id", "pijat dan susu yang di rumah", ["pijat", "susu", "rumah"]),
        ("id", "3", []),
        ("id", "langkah 3 dari 5", ["langkah"]),
    ],
)
def test_function_words_and_lone_digits_are_not_searched(language, query, terms):
    assert text.query_terms(query, language) == terms


@pytest.mark.parametrize(
    ("language", "query", "terms"),
    [("id", "vitamin d", ["vitamin", "d"]), ("id", "40 hari", ["40", "hari"])],
)
def test_single_letters_and_longer_numbers_are_still_searched(language, query, terms):
    assert text.query_terms(query, language) == terms
