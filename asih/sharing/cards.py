"""Link-preview cards: a 1200×630 PNG drawn from a page's image, title and description.

A card's file name carries a fingerprint of everything drawn on it, so a changed title, summary,
image or clinic name gives a new URL (and a new file); an unchanged page is served from disk.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
# Raise when the drawing changes, so every card is drawn again.
CARD_VERSION = "2"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
TEXT_PANEL = 660  # px of the card given to the text; the picture fills the rest
MARGIN = 60
TEAL, DEEP, INK, MUTED, CREAM, MINT = (
    (31, 111, 107),
    (20, 80, 77),
    (31, 42, 42),
    (74, 87, 87),
    (251, 246, 239),
    (232, 243, 241),
)


@dataclass(frozen=True)
class CardContent:
    title: str
    description: str
    clinic: str
    picture: object | None  # a wagtail Image or None
    picture_is_logo: bool  # a logo keeps a margin round it; a hero may reach the panel's edges


def _image_identity(image) -> str:
    if image is None:
        return ""
    return f"{image.pk}:{image.file.name}:{image.file_hash}:{image.width}x{image.height}"


def fingerprint(content: CardContent) -> str:
    parts = [
        CARD_VERSION,
        content.title,
        content.description,
        content.clinic,
        _image_identity(content.picture),
        str(content.picture_is_logo),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def card_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "og"


def card_path(page_id: int, print_: str) -> Path:
    return card_dir() / f"{page_id}-{print_}.png"


def card_file(page_id: int, content: CardContent) -> Path:
    """The card's file on disk, drawn now if it is not there yet (older cards are deleted)."""
    print_ = fingerprint(content)
    path = card_path(page_id, print_)
    if path.exists():
        return path
    data = render_card(content)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside its final name and renamed, so a concurrent request never reads half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)
    for old in path.parent.glob(f"{page_id}-*.png"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


# --- Drawing -------------------------------------------------------------------------------


def _font(bold: bool, size: int):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size=size)


def _wrap(draw, text: str, font, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap; the last line ends with an ellipsis when the text does not fit."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and draw.textlength(last + "…", font=font) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    kept[-1] = last.rstrip(" ,.;:–-") + "…"
    return kept


def _picture(image, box: tuple[int, int]) -> Image.Image | None:
    """The wagtail image as RGBA, whole inside `box`: an illustration cropped to fill the panel
    lost what stood at its edges (the oxytocin hero lost the mother's head and arm)."""
    if image is None:
        return None
    try:
        with image.open_file() as stream:
            data = stream.read()
        target_w, target_h = box
        if image.is_svg():
            import cairosvg

            ratio = (image.width or 1) / (image.height or 1)
            width = min(target_w, int(target_h * ratio))
            png = cairosvg.svg2png(bytestring=data, output_width=width)
            picture = Image.open(io.BytesIO(png))
        else:
            picture = Image.open(io.BytesIO(data))
        picture = picture.convert("RGBA")
    except Exception:  # a broken upload must not break the preview: draw the card without it
        return None
    scale = min(target_w / picture.width, target_h / picture.height)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return picture.resize(size, Image.LANCZOS)


def render_card(content: CardContent) -> bytes:
    card = Image.new("RGB", (WIDTH, HEIGHT), CREAM)
    draw = ImageDraw.Draw(card)

    panel = (WIDTH - TEXT_PANEL, HEIGHT)
    if content.picture_is_logo or content.picture is None:
        # A whole illustration sits on the card's own cream (most have a cream ground).
        draw.rectangle((TEXT_PANEL, 0, WIDTH, HEIGHT), fill=MINT)
    picture = _picture(content.picture, panel)
    if content.picture_is_logo and picture is not None:
        picture.thumbnail((panel[0] - 2 * MARGIN, panel[1] - 2 * MARGIN))
    if picture is not None:
        x = TEXT_PANEL + (panel[0] - picture.width) // 2
        y = (panel[1] - picture.height) // 2
        card.paste(picture, (x, y), picture)
    draw.rectangle((0, 0, TEXT_PANEL, 12), fill=TEAL)

    text_width = TEXT_PANEL - 2 * MARGIN
    y = MARGIN + 10
    # The largest title size at which the whole title fits in four lines.
    for size in (54, 48, 42):
        title_font = _font(True, size)
        title = _wrap(draw, content.title, title_font, text_width, 4)
        if not title or not title[-1].endswith("…"):
            break
    for line in title:
        draw.text((MARGIN, y), line, font=title_font, fill=DEEP)
        y += round(size * 1.22)
    y += 18
    body_font = _font(False, 28)
    for line in _wrap(draw, content.description, body_font, text_width, 4 if y < 260 else 3):
        if y > HEIGHT - 140:
            break
        draw.text((MARGIN, y), line, font=body_font, fill=INK)
        y += 40

    clinic_font = _font(True, 26)
    draw.line((MARGIN, HEIGHT - 100, TEXT_PANEL - MARGIN, HEIGHT - 100), fill=TEAL, width=3)
    clinic = _wrap(draw, content.clinic, clinic_font, text_width, 1)
    if clinic:
        draw.text((MARGIN, HEIGHT - 80), clinic[0], font=clinic_font, fill=MUTED)

    out = io.BytesIO()
    # A palette PNG keeps flat illustrations and text sharp and well under 150 KB.
    card.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, "PNG", optimize=True
    )
    return out.getvalue()
