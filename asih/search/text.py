"""Text analysis shared by indexing, querying and related guides: words, stems, snippets."""

import functools
import html
import re
import threading
import unicodedata

import snowballstemmer
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# Snowball algorithms per site language; anything else falls back to English.
STEMMER_NAMES = {"id": "indonesian", "en": "english"}
WORD_RE = re.compile(r"[^\W_]+")
# Caps applied to every query before it reaches the database.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12
# Longer "words" (pasted links, long numbers) are never worth correcting a typo towards.
VOCABULARY_MAX_LENGTH = 40

# Function words a query never searches for: nearly every guide has them, so "and" alone listed
# every English guide, and in a longer query they only narrow nothing at a cost. Kept short:
# a word that can carry meaning in a health question ("tidak", "after", "vitamin a") stays.
QUERY_STOPWORDS = {
    "en": frozenset(
        "a an and are as at be but by for from how in is it its of on or so that the their "
        "then there these this those to was were what when which with".split()
    ),
    "id": frozenset(
        "yang dan di ke dari untuk dengan pada dalam oleh bagi atau serta ini itu adalah ialah "
        "agar supaya karena tentang sebagai akan juga".split()
    ),
}

_local = threading.local()  # snowball stemmers keep state: one per thread


def _stemmer(language: str):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    name = STEMMER_NAMES.get(language, "english")
    if name not in stemmers:
        stemmers[name] = snowballstemmer.stemmer(name)
    return stemmers[name]


def fold(text: str) -> str:
    """Compatibility forms and accents folded away, lower case: 'Ｃafé' → 'cafe'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return WORD_RE.findall(fold(text))


def stems(text: str, language: str) -> list[str]:
    return [stem_word(word, language) for word in words(text)]


@functools.lru_cache(maxsize=100_000)
def stem_word(word: str, language: str) -> str:
    # Cached: highlighting stems every word of a snippet, and guides share a vocabulary.
    return _stemmer(language).stemWord(word)


def is_searchable(word: str, language: str) -> bool:
    """False for a function word of the language and for a lone digit ("3" is in every guide
    that numbers its steps); numbers such as "40" and single letters ("vitamin d") stay."""
    if len(word) == 1 and word.isdigit():
        return False
    return word not in QUERY_STOPWORDS.get(language, QUERY_STOPWORDS["en"])


def query_words(text: str, language: str) -> list[tuple[str, str]]:
    """(word as typed, its stem) for each searchable word of a query whose stem is new,
    in order, within the length and term caps."""
    pairs, seen = [], set()
    for word in words(text[:MAX_QUERY_CHARS]):
        if not is_searchable(word, language):
            continue
        stem = stem_word(word, language)
        if stem in seen:
            continue
        seen.add(stem)
        pairs.append((word, stem))
        if len(pairs) == MAX_QUERY_TERMS:
            break
    return pairs


def query_terms(text: str, language: str) -> list[str]:
    """The distinct stems of a query's searchable words, in order, within the caps."""
    return [stem for _, stem in query_words(text, language)]


def block_text(value) -> list[str]:
    """Every piece of readable text inside a StreamField value, in reading order."""
    if value is None or isinstance(value, bool | int | float):
        return []
    if isinstance(value, str):
        return [value]
    if hasattr(value, "source"):  # RichText
        return [html.unescape(strip_tags(value.source))]
    if hasattr(value, "block_type") and hasattr(value, "value"):  # a StreamChild
        return block_text(value.value)
    if isinstance(value, dict) or hasattr(value, "items"):
        parts = []
        for item in value.values():
            parts += block_text(item)
        return parts
    if isinstance(value, list | tuple) or hasattr(value, "__iter__"):
        parts = []
        for item in value:
            parts += block_text(item)
        return parts
    return []


def plain_body(body) -> str:
    return " ".join(" ".join(block_text(list(body))).split())


def highlight(text: str, terms: set[str], language: str) -> SafeString:
    """The text escaped, with each word whose stem is a query term wrapped in <mark>."""
    out, position = [], 0
    for match in WORD_RE.finditer(text):
        word = match.group()
        if stem_word(fold(word), language) in terms:
            out.append(escape(text[position : match.start()]))
            out.append(f"<mark>{escape(word)}</mark>")
            position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


def snippet(text: str, terms: set[str], language: str, *, width: int = 28) -> SafeString:
    """About `width` words around the first matching word, highlighted, with ellipses."""
    tokens = text.split()
    if not tokens:
        return mark_safe("")
    first = next(
        (
            index
            for index, token in enumerate(tokens)
            if any(stem_word(w, language) in terms for w in words(token))
        ),
        0,
    )
    start = max(0, first - width // 3)
    end = min(len(tokens), start + width)
    piece = " ".join(tokens[start:end])
    marked = highlight(piece, terms, language)
    before = "… " if start > 0 else ""
    after = " …" if end < len(tokens) else ""
    return mark_safe(f"{before}{marked}{after}")
