"""Writes: keep the search index and the related-guide lists in step with published guides."""

import math
from collections import Counter

from django.db import transaction

from asih.core.signals import public_content_changed

from . import backends, text
from .models import RelatedGuide, RelatedGuideChoice, SearchEntry, SearchTerm

RELATED_MAX = 6
RELATED_MIN = 3
# Below this a guide is shown only to reach RELATED_MIN, never to fill the list.
RELATED_THRESHOLD = 0.3
STAGE_BONUS = 0.1
CATEGORY_BONUS = 0.1
# How many of a guide's own terms look for candidates, and how many candidates are scored.
PROFILE_TERMS = 12
CANDIDATES = 60
# Title words count more than summary words, which count more than body words.
FIELD_WEIGHTS = {"title_terms": 3.0, "summary_terms": 2.0, "body_terms": 1.0}

# Words too common to tell guides apart; only used to choose candidate-finding terms.
STOP_STEMS = {
    "id": set(
        "yang dan di ke dari untuk dengan ini itu atau pada dalam tidak bisa akan ada juga agar "
        "saat jika karena oleh sebagai lebih sudah masih perlu harus dapat setelah sebelum "
        "selama hingga sampai tetap satu dua tiga kali hari minggu bulan ibu anda kami".split()
    ),
    "en": set(
        "the a an and or of to in on for with is are be it this that as at by from your you "
        "can if not when do does have has after before during more may will one two three "
        "time day week month".split()
    ),
}


def search_entry_sync(*, page) -> SearchEntry:
    """Write (or rewrite) a live guide's index row from its current content."""
    language = page.locale.language_code
    parent = page.get_parent()
    body = text.plain_body(page.body)
    entry = SearchEntry(
        page_id=page.pk,
        language=language,
        stage_id=parent.pk if parent is not None and parent.depth > 1 else None,
        title=page.title,
        summary=page.summary,
        body=body,
        title_terms=" ".join(text.stems(page.title, language)),
        summary_terms=" ".join(text.stems(page.summary, language)),
        body_terms=" ".join(text.stems(body, language)),
    )
    entry.full_clean(exclude=["page", "stage"], validate_unique=False)
    with transaction.atomic():
        entry.save()
        entry.categories.set(page.categories.values_list("pk", flat=True))
        search_terms_add(
            language=language,
            stems={
                stem
                for column in (entry.title_terms, entry.summary_terms, entry.body_terms)
                for stem in column.split()
            },
        )
    return entry


def search_terms_add(*, language: str, stems: set[str]) -> None:
    """Add the stems the vocabulary lacks (a stem already there is left as it is)."""
    fitting = {stem for stem in stems if len(stem) <= text.VOCABULARY_MAX_LENGTH}
    known = set(
        SearchTerm.objects.filter(language=language, stem__in=fitting).values_list(
            "stem", flat=True
        )
    )
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(language=language, stem=stem, initial=stem[0], length=len(stem))
            for stem in sorted(fitting - known)
        ],
        ignore_conflicts=True,  # another process may add the same stem meanwhile
    )


def search_entry_remove(*, page_id: int) -> None:
    SearchEntry.objects.filter(page_id=page_id).delete()


def _profile(entry: SearchEntry) -> Counter:
    """Weighted stem counts of a guide: what its text is about."""
    counts = Counter()
    for field, weight in FIELD_WEIGHTS.items():
        for stem in getattr(entry, field).split():
            counts[stem] += weight
    return counts


def _cosine(a: dict, b: dict) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(weight * b.get(term, 0.0) for term, weight in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _tfidf(profiles: dict[int, Counter]) -> dict[int, dict]:
    # Document frequency over the candidate pool: words every candidate shares weigh little.
    documents = len(profiles)
    frequency = Counter()
    for profile in profiles.values():
        frequency.update(profile.keys())
    return {
        pk: {
            term: (1 + math.log(weight)) * math.log(1 + documents / frequency[term])
            for term, weight in profile.items()
        }
        for pk, profile in profiles.items()
    }


def _categories_of(page_ids: set[int]) -> dict[int, set[int]]:
    """Each guide's category ids, in one query over the index's relation."""
    through = SearchEntry.categories.through
    found = {pk: set() for pk in page_ids}
    pairs = through.objects.filter(searchentry_id__in=page_ids).values_list(
        "searchentry_id", "guidecategory_id"
    )
    for page_id, category_id in pairs:
        found[page_id].add(category_id)
    return found


def related_scores(entry: SearchEntry) -> list[tuple[int, float]]:
    """(page id, score) of the guides most like this one, best first, same language only.

    Candidates come from the full-text index (any of the guide's most frequent distinct
    stems), so the work stays bounded however many guides exist; they are then scored by
    cosine similarity of TF-IDF stem weights plus a bonus for the same stage and for each
    shared category.
    """
    profile = _profile(entry)
    stop = STOP_STEMS.get(entry.language, set())
    terms = [term for term, _ in profile.most_common() if term not in stop and len(term) > 2]
    terms = terms[:PROFILE_TERMS]
    filters = backends.Filters(language=entry.language, exclude_ids=(entry.page_id,))
    candidate_ids = backends.related_candidate_ids(terms, filters, limit=CANDIDATES)
    if entry.stage_id:
        # Guides of the same stage compete too, even when they share no distinctive word.
        candidate_ids += list(
            SearchEntry.objects.filter(language=entry.language, stage_id=entry.stage_id)
            .exclude(pk=entry.page_id)
            .order_by("title")
            .values_list("pk", flat=True)[:RELATED_MAX]
        )
    candidates = list(
        SearchEntry.objects.filter(pk__in=set(candidate_ids)).only(
            "page_id", "stage_id", *FIELD_WEIGHTS
        )
    )
    categories = _categories_of({entry.page_id} | {candidate.page_id for candidate in candidates})
    profiles = {candidate.page_id: _profile(candidate) for candidate in candidates}
    profiles[entry.page_id] = profile
    vectors = _tfidf(profiles)
    own = vectors[entry.page_id]
    scored = []
    for candidate in candidates:
        score = _cosine(own, vectors[candidate.page_id])
        if entry.stage_id and candidate.stage_id == entry.stage_id:
            score += STAGE_BONUS
        shared = categories[entry.page_id] & categories[candidate.page_id]
        score += CATEGORY_BONUS * len(shared)
        scored.append((candidate.page_id, round(score, 6)))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored


def related_recompute(*, page_id: int) -> bool:
    """Rewrite one guide's related list (pins first, exclusions honoured); True if it changed."""
    entry = SearchEntry.objects.filter(pk=page_id).first()
    before = list(
        RelatedGuide.objects.filter(from_page_id=page_id).values_list("to_page_id", "rank")
    )
    rows = []
    if entry is not None:
        choices = list(
            RelatedGuideChoice.objects.filter(page_id=page_id)
            .order_by("sort_order", "pk")
            .values_list("guide_id", "kind")
        )
        excluded = {pk for pk, kind in choices if kind == RelatedGuideChoice.Kind.EXCLUDE}
        pinned = [pk for pk, kind in choices if kind == RelatedGuideChoice.Kind.PIN]
        # Only live guides in the same language may be pinned (they have an index row).
        pinned_live = set(
            SearchEntry.objects.filter(pk__in=pinned, language=entry.language).values_list(
                "pk", flat=True
            )
        )
        pinned = [pk for pk in dict.fromkeys(pinned) if pk in pinned_live and pk not in excluded]
        for pk in pinned[:RELATED_MAX]:
            rows.append(RelatedGuide(from_page_id=page_id, to_page_id=pk, score=0, pinned=True))
        for pk, score in related_scores(entry):
            if len(rows) >= RELATED_MAX:
                break
            if pk in excluded or pk in pinned:
                continue
            if score < RELATED_THRESHOLD and len(rows) >= RELATED_MIN:
                break
            rows.append(RelatedGuide(from_page_id=page_id, to_page_id=pk, score=score))
        for rank, row in enumerate(rows, start=1):
            row.rank = rank
    after = [(row.to_page_id, row.rank) for row in rows]
    if after == before:
        return False
    with transaction.atomic():
        RelatedGuide.objects.filter(from_page_id=page_id).delete()
        RelatedGuide.objects.bulk_create(rows)
    return True


def _announce(page_ids: set[int]) -> None:
    from asih.guides.models import GuidePage

    if page_ids:
        pages = list(GuidePage.objects.filter(pk__in=page_ids))
        if pages:
            public_content_changed.send(sender=RelatedGuide, pages=pages)


def related_refresh_around(*, page_id: int) -> set[int]:
    """Recompute a guide's list and the lists it now appears in or appeared in before."""
    listed_it_before = set(
        RelatedGuide.objects.filter(to_page_id=page_id).values_list("from_page_id", flat=True)
    )
    changed = set()
    if related_recompute(page_id=page_id):
        changed.add(page_id)
    neighbours = set(
        RelatedGuide.objects.filter(from_page_id=page_id).values_list("to_page_id", flat=True)
    )
    for other in sorted((neighbours | listed_it_before) - {page_id}):
        if related_recompute(page_id=other):
            changed.add(other)
    return changed


def guide_published(*, page) -> None:
    """A guide went live or changed: re-index it and refresh the related lists around it."""
    search_entry_sync(page=page)
    _announce(related_refresh_around(page_id=page.pk))


def guide_unpublished(*, page) -> None:
    """A guide left the site: drop its index row and every list it was in."""
    listed_it = set(
        RelatedGuide.objects.filter(to_page_id=page.pk).values_list("from_page_id", flat=True)
    )
    search_entry_remove(page_id=page.pk)
    RelatedGuide.objects.filter(from_page_id=page.pk).delete()
    changed = {other for other in sorted(listed_it) if related_recompute(page_id=other)}
    _announce(changed)


def search_index_rebuild() -> int:
    """Re-index every live guide, then recompute every related list; returns the guide count."""
    from asih.guides.models import GuidePage

    pages = list(GuidePage.objects.live().select_related("locale"))
    live_ids = {page.pk for page in pages}
    SearchEntry.objects.exclude(pk__in=live_ids).delete()
    # The vocabulary is rebuilt from the guides indexed now: stems only gone guides used go.
    SearchTerm.objects.all().delete()
    RelatedGuide.objects.exclude(from_page_id__in=live_ids).delete()
    for page in pages:
        search_entry_sync(page=page)
    changed = {page.pk for page in pages if related_recompute(page_id=page.pk)}
    _announce(changed)
    return len(pages)
