"""Text that cannot rearrange a page: names and user text isolated from the words around them.

A right-to-left override (U+202E) or other direction mark in a name would otherwise mirror the
rest of its line. HTML gets <bdi>; plain text and attribute values, where no element can go,
get first-strong isolate … pop directional isolate (U+2068 … U+2069), the same rule in text.
"""

from django.utils.html import format_html

FSI, PDI = "\u2068", "\u2069"


def bdi(value):
    """For `{% blocktranslate with name=x|bdi %}`: the name escaped, the <bdi> around it not."""
    return format_html("<bdi>{}</bdi>", value)


def isolate(value):
    return f"{FSI}{value}{PDI}" if value not in (None, "") else value
