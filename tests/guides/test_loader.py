"""The content loader is idempotent and never overwrites an editor's change."""

import shutil

import pytest
import yaml
from wagtail.models import Revision

from asih.guides.loader import ContentError, ContentLoader, translation_key
from asih.guides.models import GuidePage, HomePage, StageIndexPage, WarningSignList

pytestmark = pytest.mark.django_db


def oxytocin_id():
    return GuidePage.objects.get(
        translation_key=translation_key("guide:pijat-oksitosin"), locale__language_code="id"
    )


def test_every_guide_exists_in_both_languages_and_is_live():
    keys = {page.translation_key for page in GuidePage.objects.all()}
    assert len(keys) >= 6
    for key in keys:
        languages = set(
            GuidePage.objects.live()
            .filter(translation_key=key)
            .values_list("locale__language_code", flat=True)
        )
        assert languages == {"id", "en"}


def test_tree_has_home_and_three_stages_per_language():
    for code in ("id", "en"):
        home = HomePage.objects.get(locale__language_code=code)
        stages = StageIndexPage.objects.child_of(home)
        assert stages.count() == 3


def test_running_again_changes_nothing():
    revisions_before = Revision.objects.count()
    report = ContentLoader().load()
    assert report.created == [] and report.updated == []
    assert report.kept_editor_changes == []
    assert Revision.objects.count() == revisions_before
    lists = WarningSignList.objects.count()
    assert lists == 2 * 2  # pregnancy and after birth, in both languages
    assert len(report.unchanged) == 2 * (1 + 3 + GuidePage.objects.count() // 2) + lists


def test_an_editors_change_is_kept(tmp_path, settings):
    page = oxytocin_id()
    page.title = "Judul dari editor"
    page.save_revision().publish()

    content = tmp_path / "content"
    shutil.copytree(settings.ASIH_CONTENT_DIR, content)
    guide_file = content / "guides" / "pijat-oksitosin.yaml"
    data = yaml.safe_load(guide_file.read_text())
    data["id"]["summary"] = "Ringkasan baru dari berkas."
    guide_file.write_text(yaml.safe_dump(data, allow_unicode=True))

    report = ContentLoader(content).load()
    page.refresh_from_db()
    assert page.title == "Judul dari editor"
    assert page.summary != "Ringkasan baru dari berkas."
    assert "guide:pijat-oksitosin [id]" in report.kept_editor_changes


def test_an_editors_unpublished_draft_is_kept_too():
    page = oxytocin_id()
    page.title = "Draf editor"
    page.save_revision()  # a draft, not published
    report = ContentLoader().load()
    assert "guide:pijat-oksitosin [id]" in report.kept_editor_changes
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "Draf editor"


def test_a_changed_file_updates_a_page_nobody_edited(tmp_path, settings):
    content = tmp_path / "content"
    shutil.copytree(settings.ASIH_CONTENT_DIR, content)
    guide_file = content / "guides" / "pijat-oksitosin.yaml"
    data = yaml.safe_load(guide_file.read_text())
    data["en"]["summary"] = "A new summary from the file."
    guide_file.write_text(yaml.safe_dump(data, allow_unicode=True))

    report = ContentLoader(content).load()
    assert report.updated == ["guide:pijat-oksitosin [en]"]
    english = GuidePage.objects.get(
        translation_key=translation_key("guide:pijat-oksitosin"), locale__language_code="en"
    )
    assert english.summary == "A new summary from the file."
    assert ContentLoader(content).load().updated == []


def test_an_invalid_step_in_a_file_is_refused_with_its_message(tmp_path, settings):
    content = tmp_path / "content"
    shutil.copytree(settings.ASIH_CONTENT_DIR, content)
    guide_file = content / "guides" / "pijat-oksitosin.yaml"
    data = yaml.safe_load(guide_file.read_text())
    for block in data["en"]["body"]:
        if block["type"] == "steps":
            block["steps"][0]["duration"] = -5
    guide_file.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(ContentError, match="guide:pijat-oksitosin \\[en\\]"):
        ContentLoader(content).load()


def test_translations_share_step_durations():
    for key in set(GuidePage.objects.values_list("translation_key", flat=True)):
        pages = GuidePage.objects.filter(translation_key=key)
        durations = {tuple(step["duration"] for step in page.steps()) for page in pages}
        assert len(durations) == 1, pages


def _copy_content(tmp_path, settings):
    content = tmp_path / "content"
    shutil.copytree(settings.ASIH_CONTENT_DIR, content)
    return content


def _signs(key, code):
    return WarningSignList.objects.get(
        translation_key=translation_key(f"signs:{key}"), locale__language_code=code
    )


def test_a_changed_warning_sign_list_updates_every_guide_that_shows_it(tmp_path, settings):
    content = _copy_content(tmp_path, settings)
    path = content / "warning-signs.yaml"
    rows = yaml.safe_load(path.read_text())
    rows[0]["en"]["groups"][0]["items"].append("A new sign from the file.")
    path.write_text(yaml.safe_dump(rows, allow_unicode=True))

    report = ContentLoader(content).load()
    assert report.updated == ["signs:kehamilan [en]"]
    signs = _signs("kehamilan", "en")
    assert "A new sign from the file." in list(signs.groups[0].value["items"])
    for page in GuidePage.objects.filter(locale__language_code="en"):
        shown = [b.value["signs"].pk for b in page.body if b.block_type == "warning_signs"]
        assert shown in ([], [signs.pk]) or shown == [_signs("setelah-melahirkan", "en").pk]
    assert ContentLoader(content).load().updated == []


def test_an_editors_change_to_a_warning_sign_list_is_kept(tmp_path, settings):
    signs = _signs("kehamilan", "id")
    signs.heading = "Judul dari editor"
    signs.save()
    content = _copy_content(tmp_path, settings)
    path = content / "warning-signs.yaml"
    rows = yaml.safe_load(path.read_text())
    rows[0]["id"]["intro"] = "Pengantar baru dari berkas."
    path.write_text(yaml.safe_dump(rows, allow_unicode=True))

    report = ContentLoader(content).load()
    signs.refresh_from_db()
    assert signs.heading == "Judul dari editor"
    assert signs.intro != "Pengantar baru dari berkas."
    assert "signs:kehamilan [id]" in report.kept_editor_changes


def test_a_line_yaml_read_as_a_mapping_is_refused(tmp_path, settings):
    content = _copy_content(tmp_path, settings)
    guide_file = content / "guides" / "pijat-oksitosin.yaml"
    text = guide_file.read_text()
    text = text.replace(
        "        - Kuku yang memijat harus dipotong pendek.",
        "        - Kuku: dipotong pendek.",
    )
    guide_file.write_text(text)
    with pytest.raises(ContentError, match="not a line of text"):
        ContentLoader(content).load()


def test_each_stage_page_gets_its_stage_from_the_file():
    from asih.guides.stages import LifeStage

    for code in ("id", "en"):
        home = HomePage.objects.get(locale__language_code=code)
        stages = {page.slug: page.stage for page in StageIndexPage.objects.child_of(home)}
        assert sorted(stages.values()) == sorted(LifeStage.values)
    after_birth = StageIndexPage.objects.get(slug="setelah-melahirkan")
    assert after_birth.stage == LifeStage.BORN


def test_a_stage_without_a_known_stage_in_the_file_is_refused(tmp_path, settings):
    content = tmp_path / "content"
    shutil.copytree(settings.ASIH_CONTENT_DIR, content)
    site_file = content / "site.yaml"
    data = yaml.safe_load(site_file.read_text())
    data["stages"][1]["stage"] = "toddler"
    site_file.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(ContentError, match="stage saat-hamil: stage 'toddler'"):
        ContentLoader(content).load()
