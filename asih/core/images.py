"""Editors' images on public pages: SVGs as they are, rasters as Wagtail's <picture> (AVIF/WebP).

SVGs are shown as they were uploaded, so an SVG that could act (a script, an event handler, an
embedded page, a file fetched from elsewhere) is refused at upload with a message that says why;
the media view and the nginx recipe add a sandboxing CSP as a second line (asih/core/media.py).
"""

from __future__ import annotations

import logging
import re
from functools import cache

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm
from wagtail.images.models import Picture

logger = logging.getLogger(__name__)

# Widths of the renditions offered in srcset; never wider than the original (no upscaling).
RENDITION_WIDTHS = (400, 800, 1200)


@cache
def modern_formats() -> tuple[str, ...]:
    """The <source> formats, best first: AVIF only when this Pillow can encode it."""
    from PIL import features

    return ("avif", "webp") if features.check("avif") else ("webp",)


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


def picture_renditions(image) -> dict:
    """{filter spec: rendition} for every format and width, narrowest first, in one query."""
    formats = (*modern_formats(), fallback_format(image))
    specs = [f"width-{width}|format-{fmt}" for fmt in formats for width in rendition_widths(image)]
    return image.get_renditions(*specs)


def render_image(
    image, *, alt="", css_class="", sizes="100vw", loading="lazy", fetchpriority=""
) -> str:
    """The HTML of an image with explicit width and height, so nothing shifts when it loads.

    `loading="eager"` with `fetchpriority="high"` is for the image that is likely the largest
    contentful paint (a guide's hero); everything below the fold stays lazy."""
    if image is None:
        return ""
    attrs = {"alt": alt, "class": css_class, "loading": loading, "decoding": "async"}
    if fetchpriority:
        attrs["fetchpriority"] = fetchpriority
    if image.is_svg():
        # Shown as uploaded (checked at upload, below): a vector needs no renditions.
        svg = {"src": image.file.url, "width": image.width, "height": image.height}
        return format_html("<img{}>", flatatt({**svg, **attrs}))
    # Wagtail's own <picture>, as its {% picture %} tag writes it: AVIF/WebP sources, the
    # fallback format's srcset on the <img>, the narrowest rendition's size as width/height.
    return str(Picture(picture_renditions(image), {"sizes": sizes, **attrs}))


# -- Checking uploaded SVGs ----------------------------------------------------------------

SVG_ACTIVE_CONTENT = _(
    "This SVG file contains active content (a script, an event handler, an embedded page or a "
    "reference to another file), which could run on this site. Save it again as a plain "
    "drawing, or upload a PNG."
)
SVG_UNREADABLE = _("This SVG file cannot be read. Save it again, or upload a PNG.")

# Elements that run code, embed another document or play media from elsewhere.
_ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
# Animations may rewrite a link or an event handler after the check: only harmless targets.
_ANIMATIONS = {"set", "animate", "animatetransform", "animatemotion", "animatecolor"}
# Pictures embedded as data: URIs are part of the drawing; any other reference is elsewhere.
_EMBEDDED_PICTURE = re.compile(r"^data:image/(png|jpe?g|gif|webp);base64,", re.IGNORECASE)
_URL_REFERENCE = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_CONTROL_AND_SPACE = re.compile(r"[\x00-\x20]+")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _external_url_in(text: str) -> bool:
    return any(not ref.startswith("#") for ref in _URL_REFERENCE.findall(text))


def svg_active_content(data: bytes) -> str | None:
    """What makes this SVG active (a short English description), or None when it is a drawing.

    Raises ValueError when the file is not well-formed SVG. The parser (defusedxml) refuses
    entity declarations and fetches nothing, so checking a file cannot be made to do anything."""
    if b"<?xml-stylesheet" in data.lower():
        return "a linked stylesheet"
    try:
        root = parse_xml(data)
    except (DefusedXmlException, SyntaxError) as error:  # ParseError is a SyntaxError
        raise ValueError("not readable SVG") from error
    if _local(root.tag) != "svg":
        raise ValueError("not an SVG document")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = _local(element.tag)
        if tag in _ACTIVE_ELEMENTS:
            return f"a <{tag}> element"
        if tag == "style" and (
            "@import" in (element.text or "").lower() or _external_url_in(element.text or "")
        ):
            return "a style that loads another file"
        for name, value in element.attrib.items():
            attribute = _local(name)
            compact = _CONTROL_AND_SPACE.sub("", value).lower()
            if attribute.startswith("on"):
                return f"an event handler ({attribute})"
            if "javascript:" in compact or "vbscript:" in compact:
                return "a script link"
            if tag in _ANIMATIONS and attribute == "attributename":
                if compact in ("href", "xlink:href") or compact.startswith("on"):
                    return "an animation that changes a link or handler"
            if attribute == "href" and not (
                value.startswith("#") or (tag == "image" and _EMBEDDED_PICTURE.match(value))
            ):
                return "a link or reference to another file"
            if _external_url_in(value):
                return "a reference to another file"
    return None


def _looks_like_svg(upload) -> bool:
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith((".svg", ".svgz")):
        return True
    upload.seek(0)
    head = upload.read(2048).lower()
    upload.seek(0)
    return b"<svg" in head


class SafeImageForm(BaseImageForm):
    """Wagtail's image form (single, multiple and chooser uploads) with the SVG check."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data or not _looks_like_svg(upload):
            return upload
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        try:
            what = svg_active_content(data)
        except ValueError as error:
            raise ValidationError(SVG_UNREADABLE, code="svg_unreadable") from error
        if what is not None:
            logger.info("Refused an SVG upload: %s", what)
            raise ValidationError(SVG_ACTIVE_CONTENT, code="svg_active")
        return upload
