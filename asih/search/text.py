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


def query_terms(text: str, language: str) -> list[str]:
    """The distinct stems of a query, in order, within the length and term caps."""
    terms = []
    for stem in stems(text[:MAX_QUERY_CHARS], language):
        if stem not in terms:
            terms.append(stem)
        if len(terms) == MAX_QUERY_TERMS:
            break
    return terms


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
