"""Categories of an index row become a relation; the index gains a vocabulary of its stems.

Both are copied from what the index already holds (the " 3 7 " strings and the stem columns),
so a site keeps working search without a rebuild. The old string column goes in 0004.
"""

from django.db import migrations, models

# Longer "words" (pasted links, long numbers) are never worth correcting a typo towards.
VOCABULARY_MAX_LENGTH = 40


def copy_categories_and_vocabulary(apps, schema_editor):
    entry_model = apps.get_model("asih_search", "SearchEntry")
    category_model = apps.get_model("guides", "GuideCategory")
    term_model = apps.get_model("asih_search", "SearchTerm")
    through = entry_model.categories.through
    existing = set(category_model.objects.values_list("pk", flat=True))
    links, vocabulary = [], set()
    rows = entry_model.objects.values_list(
        "page_id", "language", "category_ids", "title_terms", "summary_terms", "body_terms"
    )
    for page_id, language, category_ids, *stem_columns in rows.iterator():
        for category_id in {int(part) for part in category_ids.split() if part.isdigit()}:
            if category_id in existing:
                links.append(through(searchentry_id=page_id, guidecategory_id=category_id))
        for column in stem_columns:
            vocabulary.update(
                (language, stem) for stem in column.split() if len(stem) <= VOCABULARY_MAX_LENGTH
            )
    through.objects.bulk_create(links, batch_size=1000)
    term_model.objects.bulk_create(
        [
            term_model(language=language, stem=stem, initial=stem[0], length=len(stem))
            for language, stem in sorted(vocabulary)
        ],
        batch_size=1000,
    )


def copy_categories_back(apps, schema_editor):
    entry_model = apps.get_model("asih_search", "SearchEntry")
    through = entry_model.categories.through
    by_entry = {}
    for page_id, category_id in through.objects.values_list("searchentry_id", "guidecategory_id"):
        by_entry.setdefault(page_id, []).append(category_id)
    for page_id, category_ids in by_entry.items():
        joined = " " + " ".join(str(pk) for pk in sorted(category_ids)) + " "
        entry_model.objects.filter(page_id=page_id).update(category_ids=joined)


class Migration(migrations.Migration):
    dependencies = [("asih_search", "0002_fulltext_index")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="categories",
            field=models.ManyToManyField(
                blank=True, related_name="search_entries", to="guides.guidecategory"
            ),
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=8)),
                ("stem", models.CharField(max_length=40)),
                ("initial", models.CharField(max_length=1)),
                ("length", models.PositiveSmallIntegerField()),
            ],
            options={
                "verbose_name": "search term",
                "verbose_name_plural": "search terms",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("language", "stem"), name="unique_search_term"
                    )
                ],
                "indexes": [
                    models.Index(
                        fields=["language", "initial", "length"], name="search_term_candidates"
                    )
                ],
            },
        ),
        migrations.RunPython(copy_categories_and_vocabulary, copy_categories_back),
    ]
