"""Light typo tolerance: a query stem no guide has becomes the nearest stem the guides do have.

Only asked when a search finds nothing, so a query spelled right costs nothing more. The
vocabulary (SearchTerm) is narrowed in SQL to the stems with the same first letter and a
length within reach; the edit distance of that handful is measured here.
"""

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


def known_stems(stems: list[str], language: str) -> set[str]:
    return set(
        SearchTerm.objects.filter(language=language, stem__in=stems).values_list("stem", flat=True)
    )


def nearest_stem(stem: str, language: str) -> str | None:
    """The indexed stem closest to `stem` within its allowed edits (fewest edits, then the
    same length, then alphabetical: a stable choice), or None."""
    edits = max_edits(stem)
    if not edits:
        return None
    candidates = SearchTerm.objects.filter(
        language=language,
        initial=stem[0],
        length__gte=len(stem) - edits,
        length__lte=len(stem) + edits,
    ).values_list("stem", flat=True)
    scored = []
    for candidate in candidates:
        distance = edit_distance(stem, candidate, edits)
        if distance <= edits:
            scored.append((distance, len(candidate) != len(stem), candidate))
    return min(scored)[2] if scored else None


def corrections(stems: list[str], language: str) -> dict[str, str]:
    """{typed stem: indexed stem} for each stem of the query that no guide has and that is
    near one that some guide has. Empty when every stem is known or none is near."""
    known = known_stems(stems, language)
    found = {}
    for stem in stems:
        if stem in known:
            continue
        nearest = nearest_stem(stem, language)
        if nearest is not None:
            found[stem] = nearest
    return found
