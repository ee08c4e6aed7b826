"""The complete guide's PDF: its text against the live guides, caching by version, rebuilds."""

import io
import os
import re

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from pypdf import PdfReader

from asih.core.models import ClinicSettings
from asih.core.templatetags.asih_tags import duration, minutes_range
from asih.guidebook import pdf, services
from asih.guidebook.selectors import GuidebookUnavailable, guidebook_guides
from asih.guidebook.services import (
    guidebook_build,
    guidebook_download_path,
    guidebook_filename,
    guidebook_refresh,
)
from tests.guides.factories import GuidePageFactory, StageIndexPageFactory, home_page

from .conftest import flat, pdf_text

pytestmark = pytest.mark.django_db


def _position(text: str, needle: str, start: int = 0) -> int:
    index = text.find(needle, start)
    assert index >= 0, f"{needle!r} not found in the PDF text"
    return index


@pytest.mark.parametrize("language", ["id", "en"])
def test_pdf_holds_cover_contents_and_every_guide_as_on_the_page(after_birth, language):
    stage = after_birth[language]
    guides = guidebook_guides(stage)
    assert len(guides) == 5
    path = guidebook_build(stage=after_birth["id"], language=language)
    text = pdf_text(path)
    pages = [flat(page.extract_text()) for page in PdfReader(path).pages]
    clinic = ClinicSettings.for_site(stage.get_site())
    newest = max(guide.last_published_at for guide in guides)
    with translation.override(language):
        content_date = date_format(timezone.localdate(newest), "j F Y")
        not_reviewed = gettext("Not yet medically reviewed.")
        # Cover: clinic identity, the stage in this language and the date of the content.
        cover = text[: _position(text, gettext("Contents"))]
        assert clinic.name in cover
        assert stage.title in cover
        assert content_date in cover
        assert clinic.whatsapp_display in cover
        # Contents: every guide in menu order, with the page it starts on (target-counter).
        # A long title may wrap (flat() makes the break a space) or fill its line so that the
        # dot leader has no room left: the page number then follows the title directly.
        previous = _position(text, gettext("Contents"))
        for guide in guides:
            entry = re.compile(re.escape(guide.title) + r"(?: \.+)? (\d+)").search(text, previous)
            assert entry, f"{guide.title!r} missing from the contents"
            page_text = pages[int(entry[1]) - 1]
            assert page_text.find(guide.title) >= 0, "the contents point at the wrong page"
            previous = entry.end()
        # Each guide: title, review state, steps with durations, total time, schedule, callouts.
        cursor = previous
        for guide in guides:
            cursor = _position(text, guide.title, cursor + 1)
            review = not_reviewed if not guide.is_medically_reviewed else guide.reviewer.name
            _position(text, review, cursor)
            for step in guide.steps():
                at = _position(text, f"{step['number']}. {step['title']}", cursor)
                assert duration(step["duration"]) in text[at : at + 200]
            total = guide.total_time()
            if total:
                _position(text, minutes_range(total["min_minutes"], total["max_minutes"]), cursor)
            schedule = guide.schedule()
            if schedule:
                summary = render_to_string(
                    "guides/includes/schedule_summary.html", {"schedule": schedule}
                )
                _position(text, flat(summary), cursor)
            for callout in guide.callouts():
                _position(text, flat(callout["heading"]), cursor)
                for item in callout["items"]:
                    _position(text, flat(item), cursor)


def test_the_oxytocin_guide_has_its_eight_steps_and_cautions(after_birth, oxytocin):
    text = pdf_text(guidebook_build(stage=after_birth["en"], language="en"))
    guide = oxytocin["en"]
    assert len(guide.steps()) == 8
    assert guide.callouts("caution", "when_not_to", "get_help")
    start = _position(text, guide.title)
    assert all(f"{n}. " in text[start:] for n in range(1, 9))


def test_guides_of_another_stage_are_left_out():
    stage, other = StageIndexPageFactory(), StageIndexPageFactory()
    mine = GuidePageFactory(parent=stage, title="Panduan tahap ini")
    theirs = GuidePageFactory(parent=other, title="Panduan tahap lain")
    text = pdf_text(guidebook_build(stage=stage, language="id"))
    assert mine.title in text
    assert theirs.title not in text


def test_unpublished_guide_is_left_out_and_the_pdf_rebuilt():
    stage = StageIndexPageFactory()
    GuidePageFactory.create_batch(2, parent=stage)
    guide = GuidePageFactory(parent=stage, title="Panduan yang ditarik")
    first = guidebook_build(stage=stage, language="id")
    assert guide.title in pdf_text(first)
    guide.unpublish()
    second = guidebook_build(stage=stage, language="id")
    assert second != first
    assert guide.title not in pdf_text(second)
    assert not first.exists(), "the old version is deleted"


def test_published_title_change_rebuilds_eagerly_and_only_once(
    after_birth, oxytocin, django_capture_on_commit_callbacks, monkeypatch
):
    first = guidebook_build(stage=after_birth["id"], language="id")
    guide = oxytocin["id"]
    guide.title = "Pijat Oksitosin Versi Baru"
    with django_capture_on_commit_callbacks(execute=True):
        guide.save_revision().publish()
    # The publish queued a rebuild (immediate task backend): the new file is already there.
    built = sorted(first.parent.glob("setelah-melahirkan-id-*.pdf"))
    assert len(built) == 1 and built[0] != first
    assert "Pijat Oksitosin Versi Baru" in pdf_text(built[0])
    # Downloads now reuse that file: no new build, same file, same modification time.
    calls = []
    monkeypatch.setattr(pdf, "write_pdf", lambda **kwargs: calls.append(kwargs))
    mtime = os.stat(built[0]).st_mtime_ns
    assert guidebook_build(stage=after_birth["id"], language="id") == built[0]
    assert guidebook_build(stage=after_birth["en"], language="id") == built[0]
    assert calls == []
    assert os.stat(built[0]).st_mtime_ns == mtime


def test_publish_does_not_build_a_pdf_nobody_asked_for(
    after_birth, oxytocin, guidebook_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        oxytocin["en"].save_revision().publish()
    assert not list(guidebook_dir.glob("*.pdf"))
    assert guidebook_refresh(stage=after_birth["en"], language="en") is None


def test_clinic_name_change_makes_a_new_version(after_birth):
    first = guidebook_build(stage=after_birth["id"], language="id")
    clinic = ClinicSettings.for_site(after_birth["id"].get_site())
    clinic.name = "Klinik Bunda Sehat"
    clinic.save()
    second = guidebook_build(stage=after_birth["id"], language="id")
    assert second != first
    assert "Klinik Bunda Sehat" in pdf_text(second)


def test_download_path_is_per_language_and_signed(after_birth):
    indonesian = guidebook_download_path(stage=after_birth["en"], language="id")
    english = guidebook_download_path(stage=after_birth["id"], language="en")
    assert indonesian.startswith("/id/panduan-lengkap/unduh/")
    assert english.startswith("/en/complete-guide/download/")
    assert indonesian.endswith("/") and ":" in indonesian


def test_unknown_language_or_unpublished_stage_is_unavailable(after_birth):
    with pytest.raises(GuidebookUnavailable):
        guidebook_download_path(stage=after_birth["id"], language="fr")
    after_birth["en"].unpublish()
    with pytest.raises(GuidebookUnavailable):
        guidebook_build(stage=after_birth["id"], language="en")


def test_file_names_are_in_the_readers_language(after_birth):
    assert (
        guidebook_filename(stage=after_birth["en"], language="id")
        == "panduan-lengkap-setelah-melahirkan.pdf"
    )
    assert (
        guidebook_filename(stage=after_birth["id"], language="en")
        == "complete-guide-after-birth.pdf"
    )


def test_stage_without_guides_still_gets_a_cover():
    stage = StageIndexPageFactory(parent=home_page("en"), title="Toddler years", slug="toddler")
    text = pdf_text(guidebook_build(stage=stage, language="en"))
    assert stage.title in text
    assert "There are no guides for this stage yet." in text


def test_cache_dir_defaults_to_media(settings, tmp_path):
    settings.ASIH_GUIDEBOOK_DIR = None
    settings.MEDIA_ROOT = str(tmp_path)
    assert services.cache_dir() == tmp_path / "guidebook"


def test_unpublishing_a_guide_rebuilds_eagerly(
    after_birth, django_capture_on_commit_callbacks, guidebook_dir
):
    first = guidebook_build(stage=after_birth["en"], language="en")
    guide = guidebook_guides(after_birth["en"])[0]
    with django_capture_on_commit_callbacks(execute=True):
        guide.unpublish()
    built = list(guidebook_dir.glob("setelah-melahirkan-en-*.pdf"))
    assert len(built) == 1 and built[0] != first
    assert guide.title not in pdf_text(built[0])


def test_raster_hero_image_is_printed_from_a_rendition(after_birth, oxytocin):
    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PillowImage.new("RGB", (2400, 1600), (31, 111, 107)).save(buffer, "PNG")
    image = Image.objects.create(title="Foto", file=ImageFile(buffer, name="foto.png"))
    guide = oxytocin["id"]
    guide.hero_image = image
    guide.save_revision().publish()
    path = guidebook_build(stage=after_birth["id"], language="id")
    sizes = [
        (picture.image.width, picture.image.height)
        for page in PdfReader(path).pages
        for picture in page.images
        if picture.name.lower().endswith((".png", ".jpg", ".jpeg"))
    ]
    assert (1200, 800) in sizes, sizes  # scaled down for print, not the 2400-pixel original


def test_a_private_guide_is_left_out_of_the_pdf(after_birth, oxytocin):
    from wagtail.models import PageViewRestriction

    stage = after_birth["id"]
    assert oxytocin["id"].pk in {g.pk for g in guidebook_guides(stage)}
    PageViewRestriction.objects.create(
        page=oxytocin["id"], restriction_type=PageViewRestriction.LOGIN
    )
    assert oxytocin["id"].pk not in {g.pk for g in guidebook_guides(stage)}
    text = pdf_text(guidebook_build(stage=stage, language="id"))
    assert oxytocin["id"].title not in text


def test_a_private_stage_has_no_pdf(after_birth):
    from wagtail.models import PageViewRestriction

    from asih.guidebook.selectors import guidebook_stages

    PageViewRestriction.objects.create(
        page=after_birth["en"], restriction_type=PageViewRestriction.LOGIN
    )
    with pytest.raises(GuidebookUnavailable):
        guidebook_build(stage=after_birth["id"], language="en")
    PageViewRestriction.objects.create(
        page=after_birth["id"], restriction_type=PageViewRestriction.LOGIN
    )
    assert after_birth["id"].pk not in {s.pk for s in guidebook_stages()}
