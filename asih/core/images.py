"""Editors' images on public pages: SVGs as they are, rasters as <picture> with AVIF/WebP."""

from __future__ import annotations

from functools import cache

from django.utils.html import format_html, format_html_join

# Widths of the renditions offered in srcset; never wider than the original (no upscaling).
RENDITION_WIDTHS = (400, 800, 1200)
# The <img> fallback's src: the largest rendition up to this width.
FALLBACK_WIDTH = 800
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp"}


@cache
def modern_formats() -> tuple[str, ...]:
    """The <source> formats, best first: AVIF only when this Pillow can encode it."""
    from PIL import features

    return ("avif", "webp") if features.check("avif") else ("webp",)


def is_svg(image) -> bool:
    return image.file.name.lower().endswith(".svg")


def fallback_format(image) -> str:
    """The <img> format for browsers without AVIF/WebP: JPEG for photos, PNG where there may be
    transparency (PNG, GIF, WebP and AVIF originals)."""
    extension = image.file.name.rsplit(".", 1)[-1].lower()
    return "jpeg" if extension in ("jpg", "jpeg") else "png"


def rendition_widths(image) -> list[int]:
    widths = [width for width in RENDITION_WIDTHS if width < image.width]
    if image.width <= RENDITION_WIDTHS[-1]:
        widths.append(image.width)
    return widths


def picture_renditions(image) -> dict[str, list]:
    """{format: [renditions, narrowest first]} for the sources and the fallback, in one query."""
    widths = rendition_widths(image)
    formats = (*modern_formats(), fallback_format(image))
    specs = {fmt: [f"width-{width}|format-{fmt}" for width in widths] for fmt in formats}
    renditions = image.get_renditions(*(spec for group in specs.values() for spec in group))
    return {fmt: [renditions[spec] for spec in group] for fmt, group in specs.items()}


def _srcset(renditions) -> str:
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)


def render_image(
    image, *, alt="", css_class="", sizes="100vw", loading="lazy", fetchpriority=""
) -> str:
    """The HTML of an image with explicit width and height, so nothing shifts when it loads.

    `loading="eager"` with `fetchpriority="high"` is for the image that is likely the largest
    contentful paint (a guide's hero); everything below the fold stays lazy."""
    if image is None:
        return ""
    priority = format_html(' fetchpriority="{}"', fetchpriority) if fetchpriority else ""
    if is_svg(image):
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" class="{}" loading="{}" '
            'decoding="async"{}>',
            image.file.url,
            image.width,
            image.height,
            alt,
            css_class,
            loading,
            priority,
        )
    renditions = picture_renditions(image)
    fallback = renditions[fallback_format(image)]
    chosen = [r for r in fallback if r.width <= FALLBACK_WIDTH][-1:] or fallback[:1]
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((MIME_TYPES[fmt], _srcset(renditions[fmt]), sizes) for fmt in modern_formats()),
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'class="{}" loading="{}" decoding="async"{}></picture>',
        sources,
        chosen[0].url,
        _srcset(fallback),
        sizes,
        chosen[0].width,
        chosen[0].height,
        alt,
        css_class,
        loading,
        priority,
    )
