"""PNG copies of the site's images for the structured data: search engines read PNG, not SVG.

A copy's address names the image, a width from PNG_WIDTHS and a fingerprint of the file, so a
replaced file gets a new address and the old one can be cached for a year. Drawn once per
(image, width, file) and kept in Django's cache.
"""

from __future__ import annotations

import hashlib
import io

from django.core.cache import cache
from django.urls import reverse
from PIL import Image

# 512 for the clinic's logo (Google asks for at least 112×112), 1200 for pictures.
PNG_WIDTHS = (512, 1200)
CACHE_SECONDS = 60 * 60 * 24 * 30


def fingerprint(image) -> str:
    # Wagtail fills file_hash on upload; an older row without one is named by its file.
    return (image.file_hash or hashlib.sha1(image.file.name.encode()).hexdigest())[:12]


def png_path(image, width: int) -> str:
    if width not in PNG_WIDTHS:
        raise ValueError(f"PNG copies come in widths {PNG_WIDTHS}, not {width}")
    return reverse(
        "image_png",
        kwargs={"image_id": image.pk, "width": width, "print_": fingerprint(image)},
    )


def png_of(image, width: int) -> bytes:
    """The image as a PNG `width` pixels wide (never wider than a raster original)."""
    key = f"asih:png:{image.pk}:{width}:{fingerprint(image)}"
    data = cache.get(key)
    if data is None:
        data = _draw(image, width)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _draw(image, width: int) -> bytes:
    with image.open_file() as stream:
        source = stream.read()
    if image.is_svg():
        import cairosvg  # only loaded for SVG files: it pulls in cairo

        picture = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=source, output_width=width)))
    else:
        picture = Image.open(io.BytesIO(source))
        picture.thumbnail((width, width * 4))
    out = io.BytesIO()
    picture.convert("RGBA").save(out, "PNG", optimize=True)
    return out.getvalue()
