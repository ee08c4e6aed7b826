"""Editors' images on public pages: rasters as <picture> with AVIF/WebP renditions, SVGs as is."""

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from asih.core import images

pytestmark = pytest.mark.django_db


def upload_jpeg(title="Photo of a massage", size=(1600, 1000)):
    """A photo-like JPEG as an editor would upload it (noise does not compress away)."""
    import random

    rng = random.Random(7)
    width, height = size
    photo = PillowImage.new("RGB", size)
    photo.putdata(
        [
            (x * 255 // width, y * 255 // height, rng.randrange(256))
            for y in range(height)
            for x in range(width)
        ]
    )
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=92)
    file = ImageFile(buffer, name="massage.jpg")
    return get_image_model().objects.create(title=title, file=file)


def set_step_image(page, number, image, **values):
    body = list(page.body.raw_data)
    for block in body:
        if block["type"] == "steps":
            block["value"]["steps"][number - 1]["value"].update(image=image.pk, **values)
    page.body = body
    page.save_revision().publish()


class Tags(HTMLParser):
    """The start tags of a fragment, as (name, attributes) pairs."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def step_value(page, number):
    for block in page.body.raw_data:
        if block["type"] == "steps":
            return block["value"]["steps"][number - 1]["value"]
    raise AssertionError("no steps block")


def step_html(html: str, number: int) -> str:
    match = re.search(rf'<li class="step" id="step-{number}">(.*?)</li>', html, re.S)
    assert match, f"step {number} missing"
    return match[1]


def media_file(url: str) -> Path:
    assert url.startswith(settings.MEDIA_URL)
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


def test_uploaded_jpeg_in_a_step_renders_as_picture_with_avif_and_webp(client, oxytocin):
    guide = oxytocin["id"]
    # The step says where the hands go (issue 19.9): its picture carries those words, whatever
    # the uploaded image's title.
    alt = step_value(guide, 2)["image_alt"]
    assert alt == "Dua ibu jari di kiri dan kanan tulang belakang, di pangkal leher."
    photo = upload_jpeg()
    set_step_image(guide, 2, photo)

    html = client.get(guide.url).content.decode()
    tags = Tags(step_html(html, 2)).tags

    names = [name for name, _ in tags]
    assert names[names.index("picture") :] == ["picture", "source", "source", "img"]
    sources = [attrs for name, attrs in tags if name == "source"]
    assert [source["type"] for source in sources] == ["image/avif", "image/webp"]
    img = dict(tags)["img"]
    # Wagtail's <picture> sizes the <img> as its narrowest rendition: the photo's 16:10 ratio,
    # which is all width/height must give (the CSS sets the displayed width).
    assert (img["width"], img["height"]) == ("400", "250")
    assert img["loading"] == "lazy"
    assert "fetchpriority" not in img
    assert img["alt"] == alt
    assert img["src"].endswith(".jpg")
    original = Path(photo.file.path).stat().st_size
    for srcset, extension in [
        (sources[0]["srcset"], ".avif"),
        (sources[1]["srcset"], ".webp"),
        (img["srcset"], ".jpg"),
    ]:
        candidates = [candidate.split() for candidate in srcset.split(", ")]
        assert [width for _, width in candidates] == ["400w", "800w", "1200w"]
        for url, _ in candidates:
            assert url.endswith(extension)
            assert media_file(url).stat().st_size < original, url
        assert sources[0]["sizes"] == img["sizes"] == "(min-width: 48em) 15rem, 100vw"
    # The other steps keep their SVG illustrations as they are.
    first = dict(Tags(step_html(html, 1)).tags)
    assert "picture" not in first
    assert first["img"]["src"].endswith(".svg")
    assert first["img"]["src"].startswith(settings.MEDIA_URL + "original_images/")
    assert int(first["img"]["width"]) > 0 and int(first["img"]["height"]) > 0


def test_a_step_picture_without_its_own_text_is_left_to_the_steps_words(client, oxytocin):
    # An editor leaves the illustration text empty only when the instruction says it all: the
    # picture is then skipped by screen readers (alt=""), never announced by its file title.
    guide = oxytocin["en"]
    set_step_image(guide, 2, upload_jpeg(title="IMG_2041"), image_alt="")

    html = client.get(guide.url).content.decode()
    img = dict(Tags(step_html(html, 2)).tags)["img"]
    assert img["alt"] == ""
    assert "IMG_2041" not in step_html(html, 2)


def test_renditions_are_never_wider_than_the_original():
    photo = upload_jpeg(size=(500, 300))
    html = images.render_image(photo, sizes="100vw")
    img = dict(Tags(html).tags)["img"]
    widths = [candidate.split()[1] for candidate in img["srcset"].split(", ")]
    assert widths == ["400w", "500w"]
    assert (img["width"], img["height"]) == ("400", "240")


def test_hero_photo_is_eager_with_high_priority(client, oxytocin):
    guide = oxytocin["en"]
    guide.hero_image = upload_jpeg()
    guide.hero_alt = "A partner massaging a mother's back"
    guide.save_revision().publish()

    html = client.get(guide.url).content.decode()
    hero = re.search(r'<figure class="guide__hero">(.*?)</figure>', html, re.S)[1]
    img = dict(Tags(hero).tags)["img"]
    assert img["loading"] == "eager"
    assert img["fetchpriority"] == "high"
    assert img["alt"] == "A partner massaging a mother's back"
    assert "<picture>" in hero


def test_first_card_of_a_stage_loads_first_and_the_rest_lazily(client, oxytocin):
    stage = oxytocin["id"].get_parent()
    html = client.get(stage.url).content.decode()
    cards = [
        attrs
        for name, attrs in Tags(html).tags
        if name == "img" and "card__image" in attrs.get("class", "")
    ]
    assert len(cards) > 1
    assert (cards[0]["loading"], cards[0].get("fetchpriority")) == ("eager", "high")
    assert all(card["loading"] == "lazy" and "fetchpriority" not in card for card in cards[1:])


def test_without_avif_support_the_picture_offers_webp_only(monkeypatch):
    from PIL import features

    images.modern_formats.cache_clear()
    monkeypatch.setattr(features, "check", lambda name: name != "avif")
    try:
        html = images.render_image(upload_jpeg(size=(900, 600)))
    finally:
        images.modern_formats.cache_clear()
    sources = [attrs for name, attrs in Tags(html).tags if name == "source"]
    assert [source["type"] for source in sources] == ["image/webp"]
    assert ".avif" not in html


def test_no_image_renders_nothing():
    assert images.render_image(None) == ""
