"""Hypothesis strategies for hostile input: odd Unicode, huge strings, wrong types, broken bytes."""

from __future__ import annotations

import json
from functools import cache
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

# Characters that break naive code: NUL and other controls, lone surrogates, bidi and
# zero-width marks, a BOM, non-characters, combining marks, characters outside the BMP,
# digits that are not ASCII, fullwidth forms, HTML/SQL/format metacharacters.
NASTY_CHARS = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\xa0"
    "\ud800\udbff\udc00\udfff"
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\ufeff\ufffe\uffff\ufffd\u0300\u0301\u20dd"
    "\U0001f600\U0001f937\U00010000\U0010ffff"
    "٠١٢٣٤٥٦٧٨٩०१२३０１２３"
    "<>&\"'`%{}\\;=?#/+ \t\r\n"
)
NASTY_WORDS = [
    "",
    " ",
    "\x00",
    "null",
    "None",
    "undefined",
    "0",
    "-1",
    "1e309",
    "NaN",
    "true",
    "[]",
    "{}",
    "%s%s%n",
    "%(x)s",
    "{0}",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "../../etc/passwd",
    "\u202eevil\u202c",
    "9" * 5000,
    "1" + "0" * 30,
    "-" + "9" * 40,
    "１２",
    "٣",
]


@cache
def unicode_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Any code point (surrogates included) mixed with the nasty ones."""
    return st.text(
        alphabet=st.one_of(st.characters(codec=None), st.sampled_from(NASTY_CHARS)),
        max_size=max_size,
    )


@cache
def huge_text() -> st.SearchStrategy[str]:
    """Tens of thousands of characters, made by repeating a short hostile chunk."""
    return st.tuples(unicode_text(8), st.integers(10_000, 60_000)).map(
        lambda pair: ((pair[0] or "x") * (pair[1] // max(1, len(pair[0] or "x")) + 1))[: pair[1]]
    )


# Strategies are built once: building them per example costs more than a request.
@cache
def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    return st.one_of(
        unicode_text(max_size),
        st.sampled_from(NASTY_WORDS),
        huge_text(),
    )


@cache
def hostile_value() -> st.SearchStrategy:
    """A field's replacement: hostile text, the field missing (None), or repeated (a list)."""
    return st.one_of(
        hostile_text(),
        hostile_text(),
        st.none(),
        st.lists(hostile_text(20), min_size=2, max_size=4),
    )


@st.composite
def mutated_form(draw, valid: st.SearchStrategy[dict], most: int = 3) -> tuple[dict, list[str]]:
    """A form that would pass, with up to `most` fields replaced by hostile values.

    Every field hostile at once would almost never reach the accepting path; this way about a
    quarter of the forms are valid (with odd but legal Unicode) and the rest fail in few places.
    Returns the fields and the names made hostile.
    """
    data = draw(valid)
    hostile = draw(st.lists(st.sampled_from(sorted(data)), max_size=most, unique=True))
    for name in hostile:
        original = data[name]
        data[name] = draw(hostile_value())
        if isinstance(data[name], list) and draw(st.booleans()):
            # A repeated field whose last value (the one Django reads) is the valid one.
            data[name] = [*data[name], original]
    if draw(st.integers(0, 3)) == 0:
        data[draw(unicode_text(12))] = draw(hostile_text(20))  # a field nobody asked for
    return {name: value for name, value in data.items() if value is not None}, hostile


def as_server_reads(value) -> str | None:
    """The text Django hands the form for a field sent as `value` in UTF-8 (last one repeated)."""
    if isinstance(value, list):
        value = value[-1] if value else None
    if value is None:
        return None
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _encode(value: str) -> bytes:
    # surrogatepass: a lone surrogate goes out as the invalid bytes it would be, as a hostile
    # client could send them; the server must cope.
    return value.encode("utf-8", "surrogatepass")


def urlencode_raw(data: dict) -> bytes:
    """application/x-www-form-urlencoded without the client's encoder (which refuses surrogates)."""
    pairs = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(quote_from_bytes(_encode(name)) + "=" + quote_from_bytes(_encode(item)))
    return "&".join(pairs).encode("ascii")


def multipart_raw(data: dict, boundary: str = "HostileBoundary7MA4YWxk") -> bytes:
    lines = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            lines += [
                b"--" + boundary.encode(),
                b'Content-Disposition: form-data; name="'
                + _encode(name).replace(b'"', b"%22")
                + b'"',
                b"",
                _encode(item),
            ]
    lines += [b"--" + boundary.encode() + b"--", b""]
    return b"\r\n".join(lines)


MULTIPART = "multipart/form-data; boundary=HostileBoundary7MA4YWxk"
URLENCODED = "application/x-www-form-urlencoded"


def encode_form(data: dict, *, multipart: bool) -> tuple[bytes, str]:
    """The fields as a multipart or url-encoded body, with its Content-Type."""
    return (multipart_raw(data), MULTIPART) if multipart else (urlencode_raw(data), URLENCODED)


def raw_query() -> st.SearchStrategy[str]:
    """A query string as the WSGI server passes it (latin-1 text of arbitrary bytes)."""
    return st.one_of(
        st.binary(max_size=200).map(lambda raw: raw.decode("latin-1")),
        st.binary(max_size=60).map(lambda raw: "q=" + quote_from_bytes(raw)),
        st.lists(st.sampled_from(["a", "=", "&", "%", "%ZZ", "%ff", "%00", "%ED%A0%80", ";"])).map(
            "".join
        ),
    )


# Content-Type values: real ones, wrong ones, broken ones and charsets Python decodes oddly.
CONTENT_TYPES = [
    URLENCODED,
    URLENCODED + "; charset=utf-8",
    URLENCODED + "; charset=latin-1",
    URLENCODED + "; charset=utf-16",
    URLENCODED + "; charset=unicode_escape",
    URLENCODED + "; charset=base64",
    URLENCODED + "; charset=nonsense",
    MULTIPART,
    MULTIPART + "; charset=utf-7",
    MULTIPART + "; charset=rot13",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "application/json",
    "application/json; charset=utf-32",
    "text/plain",
    "text/plain; charset=raw_unicode_escape",
    "application/xml",
    "",
    "\x00/\x00",
]


def raw_body() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=300),
        st.sampled_from(
            [
                b"",
                b"\xff\xfe\x00\x00",
                b"name=%ff%fe&email=%ED%A0%80",
                b"\\ud800=\\udfff",
                b"+2ADcAA-=+2ADcAA-",
                b"aGVsbG8=",
                b"a=1&" * 200,
                b'--HostileBoundary7MA4YWxk\r\nContent-Disposition: form-data; name="x\r\n\r\n',
                json.dumps({"name": ["x"], "email": {"a": 1}}).encode(),
            ]
        ),
    )


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        unicode_text(30),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(unicode_text(8), children, max_size=4)
    ),
    max_leaves=8,
)
