"""Reads: search results with snippets, a guide's related list, what to suggest when empty."""

from dataclasses import dataclass, field

from asih.core.visibility import public_pages, restricted
from asih.guides.models import GuideCategory, GuidePage, StageIndexPage

from . import backends, text, typos
from .models import RelatedGuide, SearchEntry

PER_PAGE = 10
MAX_PAGE = 100  # deeper pages are never useful and only cost the database


@dataclass
class SearchHit:
    entry: SearchEntry
    title: str
    snippet: str
    url: str


@dataclass
class SearchResults:
    query: str
    terms: list[str]
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    # True when no guide had every word and the list shows guides with any of them.
    any_term: bool = False
    # Words of the query that were not searched: function words ("and", "yang"), lone digits.
    ignored: list[str] = field(default_factory=list)
    # (word as typed, indexed stem searched instead) for each word no guide has.
    corrected: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def guide_search(
    *,
    query: str,
    language: str,
    stage_id: int | None = None,
    category_id: int | None = None,
    page: int = 1,
    request=None,
) -> SearchResults:
    """Guides in `language` matching every stem of `query` (or, failing that, any), ranked.

    When nothing matches, a word no guide has is swapped for the nearest indexed stem (a light
    typo tolerance: "pijet" → pijat) before falling back to any word.
    """
    pairs = text.query_words(query, language)
    terms = [stem for _, stem in pairs]
    results = SearchResults(query=query, terms=terms)
    skipped = (word for word in text.words(query) if not text.is_searchable(word, language))
    results.ignored = list(dict.fromkeys(skipped))
    if not terms:
        return results
    filters = backends.Filters(language=language, stage_id=stage_id, category_id=category_id)
    page = min(max(1, page), MAX_PAGE)
    ids, total, page = _ranked_page(terms, filters, page, any_term=False)
    if total == 0:
        fixes = typos.corrections(terms, language)
        if fixes:
            fixed = list(dict.fromkeys(fixes.get(term, term) for term in terms))
            ids, total, page = _ranked_page(fixed, filters, page, any_term=False)
            if total == 0 and len(fixed) > 1:
                ids, total, page = _ranked_page(fixed, filters, page, any_term=True)
                results.any_term = total > 0
            if total:
                terms = results.terms = fixed
                results.corrected = [(word, fixes[stem]) for word, stem in pairs if stem in fixes]
    if total == 0 and len(terms) > 1:
        results.any_term = True
        ids, total, page = _ranked_page(terms, filters, page, any_term=True)
    results.total = total
    results.pages = min(MAX_PAGE, -(-total // PER_PAGE))
    results.page = page if total else 1
    if total == 0:
        return results
    entries = SearchEntry.objects.filter(pk__in=ids).select_related("page", "stage")
    by_id = {entry.pk: entry for entry in entries}
    wanted = set(terms)
    for pk in ids:
        entry = by_id.get(pk)
        if entry is None:
            continue
        # The summary is the better snippet unless only the body holds a searched word.
        in_summary = wanted & set(entry.summary_terms.split())
        in_body = wanted & set(entry.body_terms.split())
        source = entry.body if in_body - in_summary else entry.summary
        results.hits.append(
            SearchHit(
                entry=entry,
                title=text.highlight(entry.title, wanted, language),
                snippet=text.snippet(source, wanted, language),
                url=entry.page.get_url(request),
            )
        )
    return results


def _ranked_page(terms, filters, page: int, *, any_term: bool) -> tuple[list[int], int, int]:
    """(ids, total, page shown): one query, and two more only for a page past the last."""
    ids, total = backends.ranked_page(
        terms, filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE, any_term=any_term
    )
    if ids or page == 1:
        return ids, total, page
    total = backends.count(terms, filters, any_term=any_term)
    last = max(1, min(MAX_PAGE, -(-total // PER_PAGE)))
    if not total:
        return [], 0, page
    ids, total = backends.ranked_page(
        terms, filters, limit=PER_PAGE, offset=(last - 1) * PER_PAGE, any_term=any_term
    )
    return ids, total, last


def search_stages(*, language: str):
    return list(
        public_pages(StageIndexPage.objects)
        .filter(locale__language_code=language)
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth")
    )


def search_categories(*, language: str):
    return list(GuideCategory.objects.filter(locale__language_code=language).order_by("name"))


def starter_guides(*, stages, limit: int = 4):
    """The first guides of each stage, in the editors' tree order: a place to begin.

    A small query per stage (there are three), so the cost does not grow with the guides.
    """
    per_stage = [
        list(
            public_pages(GuidePage.objects.child_of(stage))
            .order_by("path")
            .only("id", "title", "summary", "url_path", "path", "depth")[:limit]
        )
        for stage in stages
    ]
    firsts = [guides[0] for guides in per_stage if guides]
    rest = [guide for guides in per_stage for guide in guides[1:]]
    return (firsts + rest)[:limit]


def related_guides_of(*, page, request=None) -> list[dict]:
    """A guide's stored related list (title, url, stage, summary) in two queries."""
    rows = (
        RelatedGuide.objects.filter(from_page_id=page.pk, to_page__live=True)
        .exclude(restricted("to_page__path"))
        .select_related("to_page", "to_page__search_entry__stage")
        .order_by("rank")
    )
    cards = []
    for row in rows:
        guide = row.to_page
        entry = getattr(guide, "search_entry", None)
        cards.append(
            {
                "title": guide.title,
                "url": guide.get_url(request),
                "summary": guide.summary,
                "stage": entry.stage.title if entry and entry.stage else "",
                "pinned": row.pinned,
            }
        )
    return cards
