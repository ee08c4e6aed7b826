"""Light typo tolerance: a query stem no guide has becomes the nearest stem the guides do have.

Only asked when a search finds nothing, so a query spelled right costs nothing more. The
vocabulary (SearchTerm) is narrowed in SQL to the stems with the same first letter and a
length within reach; the edit distance of that handful is measured here.
"""

from django.db.models import Q

from .models import SearchTerm

# Shorter words are too easily one letter away from a different word ("asi" → "api").
MIN_LENGTH = 4
# From this length two slips are allowed ("oksitoksin" is one away, "oksitokin" two).
TWO_EDITS_FROM = 8


def max_edits(stem: str) -> int:
    if len(stem) < MIN_LENGTH:
        return 0
    return 2 if len(stem) >= TWO_EDITS_FROM else 1


def edit_distance(a: str, b: str, limit: int) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours needed to turn a into b
    (the optimal string alignment distance), or limit + 1 once it is sure to exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before and i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def _candidates(stems: list[str], language: str) -> set[str]:
    """Every indexed stem within reach of one of `stems`, themselves included when indexed:
    one query for the whole search (same first letter, length within the allowed edits)."""
    reach = Q()
    for stem in stems:
        edits = max_edits(stem)
        reach |= Q(initial=stem[0], length__gte=len(stem) - edits, length__lte=len(stem) + edits)
    return set(SearchTerm.objects.filter(reach, language=language).values_list("stem", flat=True))


def _nearest(stem: str, candidates: set[str]) -> str | None:
    # Fewest edits, then the same length, then alphabetical: a stable choice.
    edits = max_edits(stem)
    scored = []
    for candidate in candidates:
        distance = edit_distance(stem, candidate, edits)
        if distance <= edits:
            scored.append((distance, len(candidate) != len(stem), candidate))
    return min(scored)[2] if scored else None


def nearest_stem(stem: str, language: str) -> str | None:
    """The indexed stem closest to `stem` within its allowed edits (itself if indexed)."""
    if not max_edits(stem):
        return None
    return _nearest(stem, _candidates([stem], language))


def corrections(stems: list[str], language: str) -> dict[str, str]:
    """{typed stem: indexed stem} for each stem of the query that no guide has and that is
    near one that some guide has. Empty when every stem is known or none is near.

    Stems too short to correct are not looked at: they are searched as typed.
    """
    long_enough = [stem for stem in stems if max_edits(stem)]
    if not long_enough:
        return {}
    candidates = _candidates(long_enough, language)
    found = {}
    for stem in long_enough:
        if stem in candidates:
            continue
        nearest = _nearest(stem, candidates)
        if nearest is not None:
            found[stem] = nearest
    return found
