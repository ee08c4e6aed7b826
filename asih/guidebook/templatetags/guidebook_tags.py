"""Template helpers of the printed complete guide: print-sized images and callout labels."""

from django import template

from asih.core.images import fallback_format
from asih.guides.blocks import CALLOUT_KINDS

register = template.Library()

# Raster images are scaled down for print: a PDF read on a phone does not need camera pixels.
# WeasyPrint cannot embed AVIF, so the print copy is always JPEG (photos) or PNG (the rest).
PRINT_RENDITION = "max-1200x1200"


@register.simple_tag
def print_image_src(image) -> str:
    """The site URL of an image for the PDF: an SVG as it is, a raster as a print rendition."""
    if image is None:
        return ""
    if image.is_svg():
        return image.file.url
    return image.get_rendition(f"{PRINT_RENDITION}|format-{fallback_format(image)}").url


@register.simple_tag
def callout_kind_label(kind: str) -> str:
    return str(dict(CALLOUT_KINDS).get(kind, ""))


@register.filter
def has_block(guide, block_type: str) -> bool:
    return any(block.block_type == block_type for block in guide.body)
