"""Stage pages say which stage they are: set on existing pages from the content loader's keys.

Until now the sign-up found a stage page by the translation key the loader derived from its
content key (uuid5 of "stage:<key>"); a page built in the admin was never found. The keys are
written out here, not imported, so this migration keeps its meaning whatever the loader becomes.
"""

import uuid

from django.db import migrations, models

LOADER_NAMESPACE = uuid.UUID("6f1d0a52-5b8e-4f55-9a57-3c1f3f1e2a10")
STAGE_OF_CONTENT_KEY = {
    "stage:sebelum-hamil": "planning",
    "stage:saat-hamil": "pregnant",
    "stage:setelah-melahirkan": "born",
}


def _stage_by_translation_key():
    return {uuid.uuid5(LOADER_NAMESPACE, key): stage for key, stage in STAGE_OF_CONTENT_KEY.items()}


def set_stages(apps, schema_editor):
    StageIndexPage = apps.get_model("guides", "StageIndexPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="guides", model="stageindexpage").first()
    for translation_key, stage in _stage_by_translation_key().items():
        pages = StageIndexPage.objects.filter(translation_key=translation_key)
        page_ids = list(pages.values_list("pk", flat=True))
        pages.update(stage=stage)
        if content_type is None or not page_ids:
            continue
        # A draft or an older revision published later must not bring the stage back to empty.
        revisions = Revision.objects.filter(
            content_type=content_type, object_id__in=[str(pk) for pk in page_ids]
        )
        for revision in revisions.iterator():
            revision.content["stage"] = stage
            revision.save(update_fields=["content"])


def clear_stages(apps, schema_editor):
    # The column goes with the reverse of AddField; nothing else to undo.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("guides", "0003_home_featured_guides_step_illustration_text"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="stageindexpage",
            name="stage",
            field=models.CharField(
                blank=True,
                choices=[
                    ("planning", "Before pregnancy"),
                    ("pregnant", "Pregnancy"),
                    ("born", "After birth"),
                ],
                help_text="The sign-up offers this page's guides to readers at this stage.",
                max_length=10,
                verbose_name="stage",
            ),
        ),
        migrations.RunPython(set_stages, clear_stages),
    ]
