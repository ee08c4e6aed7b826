"""PostgreSQL only: a stored, weighted vector of every stem for the related-guide candidates.

A related list asks for any of a guide's dozen most frequent stems, so nearly every guide
matches and the planner scans the table; a scan through 0005's expression recomputes each
row's vector from its text, and ranking on title and summary alone let guides that merely name
a stem in their title push out guides whose whole text is alike. This vector (title A, summary
B, body C, as 0002's `document` was) is read as stored. Search keeps 0005's expression index.
SQLite's FTS5 table already holds every stem.
"""

from django.db import migrations

FORWARD = [
    """ALTER TABLE asih_search_searchentry ADD COLUMN related_document tsvector
        GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'C')) STORED""",
    # A guide whose stems are rare is answered from the index rather than by a scan.
    "CREATE INDEX asih_search_related_gin ON asih_search_searchentry "
    "USING GIN (related_document)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS asih_search_related_gin",
    "ALTER TABLE asih_search_searchentry DROP COLUMN IF EXISTS related_document",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backwards(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("asih_search", "0005_postgres_match_expression_and_rank_document")]

    operations = [migrations.RunPython(forwards, backwards)]
