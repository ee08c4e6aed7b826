"""PostgreSQL only: match through an expression GIN index, rank on a small title+summary vector.

The stored `document` (every stem, weighted) made a common word cost a read of every row's
vector: the planner judged a scan cheaper than the index and each vector is large. An index on
an expression cannot be scanned that way, so the GIN index is always used and no row's vector
is read to match; ranking then reads only `rank_document`. SQLite keeps its FTS5 table.
"""

from django.db import migrations

MATCH = (
    "to_tsvector('simple'::regconfig, title_terms || ' ' || summary_terms || ' ' || body_terms)"
)
FORWARD = [
    "DROP INDEX IF EXISTS asih_search_document_gin",
    "ALTER TABLE asih_search_searchentry DROP COLUMN IF EXISTS document",
    f"CREATE INDEX asih_search_match_gin ON asih_search_searchentry USING GIN (({MATCH}))",
    """ALTER TABLE asih_search_searchentry ADD COLUMN rank_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'B')) STORED""",
]
BACKWARD = [
    "ALTER TABLE asih_search_searchentry DROP COLUMN IF EXISTS rank_document",
    "DROP INDEX IF EXISTS asih_search_match_gin",
    """ALTER TABLE asih_search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'C')) STORED""",
    "CREATE INDEX asih_search_document_gin ON asih_search_searchentry USING GIN (document)",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite's FTS5 table (0002) is unchanged
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backwards(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("asih_search", "0004_remove_searchentry_category_ids")]

    operations = [migrations.RunPython(forwards, backwards)]
