"""Requests declared in a charset that cannot be read are read as UTF-8 (a thin WSGI layer).

Django decodes the query string and the body with whatever the Content-Type's charset names, as
soon as it builds the request. Some names Python accepts are not text encodings at all (base64,
rot13, zlib): decoding fails while the request object is built, before any middleware, and the
visitor gets a 500. Others (unicode_escape, utf-7) turn a few bytes into lone surrogates that no
page or database can encode: a 500 further on. Browsers send UTF-8, so any charset outside a
short list of real text encodings is dropped from the header here, and Django reads the request
as UTF-8 (bytes that are not UTF-8 become U+FFFD), as it already does with a name it does not
know.
"""

from __future__ import annotations

import codecs
import re

READABLE_CHARSETS = frozenset(
    {"utf-8", "ascii", "latin-1", "iso8859-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be"}
)
_CHARSET_PARAM = re.compile(r";\s*charset\s*=\s*(\"[^\"]*\"|[^;]*)", re.IGNORECASE)


def is_readable_charset(label: str) -> bool:
    try:
        return codecs.lookup(label.strip().strip('"')).name in READABLE_CHARSETS
    except LookupError:
        return False


def readable_content_type(value: str) -> str:
    """The Content-Type without any charset parameter that is not a readable text encoding."""

    def keep_or_drop(match: re.Match) -> str:
        return match.group(0) if is_readable_charset(match.group(1)) else ""

    return _CHARSET_PARAM.sub(keep_or_drop, value)


def clean_environ(environ: dict) -> dict:
    content_type = environ.get("CONTENT_TYPE")
    if content_type and "charset" in content_type.lower():
        environ["CONTENT_TYPE"] = readable_content_type(content_type)
    return environ


def readable_charset(app):
    """Wrap a WSGI application so that it only ever sees readable charsets."""

    def application(environ, start_response):
        return app(clean_environ(environ), start_response)

    return application
