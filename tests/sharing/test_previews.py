"""Link previews: Open Graph and Twitter tags, and the 1200×630 card they point at."""

import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from PIL import Image

from asih.sharing import cards
from asih.sharing.previews import _clinic_for, card_content


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: dict[str, list[str]] = {}
        self.canonical = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs.get("name")
            self.tags.setdefault(key, []).append(attrs.get("content"))
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]


def meta_of(response) -> _Meta:
    parser = _Meta()
    parser.feed(response.content.decode())
    return parser


def one(meta, key):
    assert len(meta.tags.get(key, [])) == 1, key
    return meta.tags[key][0]


def fetch_card(client, url):
    return client.get(urlsplit(url).path)


def test_guide_has_open_graph_and_twitter_tags(client, oxytocin):
    page = oxytocin["id"]
    meta = meta_of(client.get(page.url))
    assert one(meta, "og:type") == "article"
    assert one(meta, "og:title") == page.title
    assert one(meta, "og:description") == " ".join(page.summary.split())
    assert one(meta, "og:url") == meta.canonical == page.get_full_url()
    assert one(meta, "og:site_name") == _clinic_for(page).name
    assert one(meta, "og:locale") == "id_ID"
    assert meta.tags["og:locale:alternate"] == ["en_US"]
    image = one(meta, "og:image")
    assert image.startswith("http://") and urlsplit(image).path.startswith(f"/og/{page.pk}-")
    assert one(meta, "og:image:width") == "1200" and one(meta, "og:image:height") == "630"
    assert page.title in one(meta, "og:image:alt")
    assert one(meta, "twitter:card") == "summary_large_image"
    assert one(meta, "twitter:title") == page.title
    assert one(meta, "twitter:image") == image
    assert one(meta, "twitter:description") == one(meta, "og:description")


def test_english_guide_names_its_locale(client, oxytocin):
    meta = meta_of(client.get(oxytocin["en"].url))
    assert one(meta, "og:locale") == "en_US"
    assert meta.tags["og:locale:alternate"] == ["id_ID"]


def test_home_and_stage_pages_have_a_card_too(client, oxytocin):
    stage = oxytocin["id"].get_parent().specific
    home = stage.get_parent().specific
    for page in (home, stage):
        meta = meta_of(client.get(page.url))
        assert one(meta, "og:type") == "website"
        assert one(meta, "og:url") == page.get_full_url()
        response = fetch_card(client, one(meta, "og:image"))
        assert response.status_code == 200
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (1200, 630)


def test_card_is_a_small_1200x630_png_with_long_cache(client, oxytocin):
    url = one(meta_of(client.get(oxytocin["id"].url)), "og:image")
    response = fetch_card(client, url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert (
        "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    )
    assert response.cookies == {}
    data = b"".join(response.streaming_content)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert len(data) < 150_000
    # Link previewers may ask with HEAD first.
    assert client.head(urlsplit(url).path).status_code == 200


def test_card_is_drawn_once_then_served_from_disk(client, oxytocin, monkeypatch):
    url = one(meta_of(client.get(oxytocin["id"].url)), "og:image")
    first = b"".join(fetch_card(client, url).streaming_content)

    def must_not_draw(content):
        raise AssertionError("the card was drawn again")

    monkeypatch.setattr(cards, "render_card", must_not_draw)
    assert b"".join(fetch_card(client, url).streaming_content) == first


def test_card_changes_when_the_title_changes(client, oxytocin):
    page = oxytocin["en"]
    old_url = one(meta_of(client.get(page.url)), "og:image")
    old_png = b"".join(fetch_card(client, old_url).streaming_content)
    old_file = cards.card_path(page.pk, urlsplit(old_url).path.rsplit("-", 1)[1][:-4])
    assert old_file.exists()

    page.title = "Oxytocin massage, step by step"
    page.save_revision().publish()
    new_url = one(meta_of(client.get(page.url)), "og:image")
    assert new_url != old_url
    new_png = b"".join(fetch_card(client, new_url).streaming_content)
    assert new_png != old_png
    assert Image.open(io.BytesIO(new_png)).size == (1200, 630)
    assert not old_file.exists()  # the outdated card was removed from disk
    # Someone holding the old link is sent to the current card.
    redirect = fetch_card(client, old_url)
    assert redirect.status_code == 302 and redirect["Location"] == urlsplit(new_url).path


def test_card_of_a_draft_or_unknown_page_is_not_found(client, oxytocin):
    page = oxytocin["en"]
    url = one(meta_of(client.get(page.url)), "og:image")
    page.unpublish()
    assert client.get(urlsplit(url).path, follow=True).status_code == 404
    assert client.get("/og/987654-0123456789abcdef.png", follow=True).status_code == 404


def test_raster_hero_and_missing_fonts_still_draw_a_card(oxytocin, monkeypatch):
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image as WagtailImage

    photo = io.BytesIO()
    Image.new("RGB", (800, 1000), (200, 120, 90)).save(photo, "JPEG")
    hero = WagtailImage.objects.create(
        title="photo", file=ImageFile(io.BytesIO(photo.getvalue()), name="photo.jpg")
    )
    page = oxytocin["en"]
    page.hero_image = hero
    monkeypatch.setattr(cards, "FONT_DIR", cards.Path("/nonexistent"))
    data = cards.render_card(card_content(page, _clinic_for(page)))
    card = Image.open(io.BytesIO(data)).convert("RGB")
    assert card.size == (1200, 630)
    # The photo fills the picture panel on the right.
    assert card.getpixel((1000, 315)) == pytest.approx((200, 120, 90), abs=12)


def test_fingerprint_follows_what_the_card_shows(oxytocin):
    page = oxytocin["id"]
    clinic = _clinic_for(page)
    base = cards.fingerprint(card_content(page, clinic))
    assert cards.fingerprint(card_content(page, clinic)) == base
    page.search_description = "Another description"
    assert cards.fingerprint(card_content(page, clinic)) != base
    page.refresh_from_db()
    page.hero_image = None
    assert cards.fingerprint(card_content(page, clinic)) != base


def test_long_titles_are_shortened_with_an_ellipsis():
    image = Image.new("RGB", (10, 10))
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    font = cards._font(True, 54)
    lines = cards._wrap(draw, "kata " * 60, font, 540, 4)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(draw.textlength(line, font=font) <= 540 for line in lines)


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_the_whole_illustration_fits_on_the_card(oxytocin, kind):
    # A 1200×630 illustration with a red strip at its left edge and a blue one at its right:
    # both must be on the card (cropping it to fill the panel cut the hero's mother off).
    from django.core.files.base import ContentFile
    from wagtail.images.models import Image as WagtailImage

    red, blue = (220, 20, 20), (20, 20, 220)
    if kind == "svg":
        data = (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" '
            b'viewBox="0 0 1200 630"><rect width="1200" height="630" fill="#ffffff"/>'
            b'<rect width="80" height="630" fill="rgb(220,20,20)"/>'
            b'<rect x="1120" width="80" height="630" fill="rgb(20,20,220)"/></svg>'
        )
    else:
        picture = Image.new("RGB", (1200, 630), (255, 255, 255))
        picture.paste(red, (0, 0, 80, 630))
        picture.paste(blue, (1120, 0, 1200, 630))
        buffer = io.BytesIO()
        picture.save(buffer, "PNG")
        data = buffer.getvalue()
    hero = WagtailImage.objects.create(
        title="edges", file=ContentFile(data, name=f"edges.{kind}"), width=1200, height=630
    )
    page = oxytocin["en"]
    page.hero_image = hero
    card = Image.open(io.BytesIO(cards.render_card(card_content(page, _clinic_for(page)))))
    colours = {colour for _count, colour in card.convert("RGB").getcolors(maxcolors=1 << 16)}

    def shown(target):
        return any(all(abs(a - b) <= 24 for a, b in zip(c, target, strict=True)) for c in colours)

    assert shown(red), "the illustration's left edge was cut off"
    assert shown(blue), "the illustration's right edge was cut off"
