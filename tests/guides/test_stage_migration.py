"""The migration that gave stage pages a stage keeps what the existing pages meant."""

import importlib

import pytest
from django.apps import apps

from asih.guides.loader import translation_key
from asih.guides.models import StageIndexPage

pytestmark = pytest.mark.django_db

migration = importlib.import_module("asih.guides.migrations.0004_stage_page_stage")

SHIPPED = {"sebelum-hamil": "planning", "saat-hamil": "pregnant", "setelah-melahirkan": "born"}


def _as_before_the_migration():
    """The shipped stage pages with no stage, in the page and in every revision."""
    StageIndexPage.objects.update(stage="")
    for page in StageIndexPage.objects.all():
        for revision in page.revisions.all():
            revision.content.pop("stage", None)
            revision.save(update_fields=["content"])


def test_existing_stage_pages_get_the_stage_their_content_key_meant():
    _as_before_the_migration()
    migration.set_stages(apps, None)
    for key, stage in SHIPPED.items():
        pages = StageIndexPage.objects.filter(translation_key=translation_key(f"stage:{key}"))
        assert pages.count() == 2  # Indonesian and English
        for page in pages:
            assert page.stage == stage
            # Publishing an older revision later keeps the stage.
            assert page.latest_revision.as_object().stage == stage


def test_a_stage_page_the_loader_did_not_make_is_left_without_a_stage():
    from tests.guides.factories import StageIndexPageFactory

    built = StageIndexPageFactory()
    built.save_revision()
    _as_before_the_migration()
    migration.set_stages(apps, None)
    built.refresh_from_db()
    assert built.stage == ""
