"""The full-text index beside SearchEntry, built by the database in the way each vendor does best.

SQLite: an external-content FTS5 table over the stem columns, kept in step by triggers.
PostgreSQL: a generated tsvector column (title A, summary B, body C, `simple` config because the
text is already stemmed in Python) with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE asih_search_fts USING fts5(
        title_terms, summary_terms, body_terms,
        content='asih_search_searchentry', content_rowid='page_id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER asih_search_fts_insert AFTER INSERT ON asih_search_searchentry BEGIN
        INSERT INTO asih_search_fts(rowid, title_terms, summary_terms, body_terms)
        VALUES (new.page_id, new.title_terms, new.summary_terms, new.body_terms);
    END""",
    """CREATE TRIGGER asih_search_fts_delete AFTER DELETE ON asih_search_searchentry BEGIN
        INSERT INTO asih_search_fts(asih_search_fts, rowid, title_terms, summary_terms, body_terms)
        VALUES ('delete', old.page_id, old.title_terms, old.summary_terms, old.body_terms);
    END""",
    """CREATE TRIGGER asih_search_fts_update AFTER UPDATE ON asih_search_searchentry BEGIN
        INSERT INTO asih_search_fts(asih_search_fts, rowid, title_terms, summary_terms, body_terms)
        VALUES ('delete', old.page_id, old.title_terms, old.summary_terms, old.body_terms);
        INSERT INTO asih_search_fts(rowid, title_terms, summary_terms, body_terms)
        VALUES (new.page_id, new.title_terms, new.summary_terms, new.body_terms);
    END""",
    # Rows written before this migration (none in practice) join the index.
    "INSERT INTO asih_search_fts(asih_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS asih_search_fts_insert",
    "DROP TRIGGER IF EXISTS asih_search_fts_delete",
    "DROP TRIGGER IF EXISTS asih_search_fts_update",
    "DROP TABLE IF EXISTS asih_search_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE asih_search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'C')) STORED""",
    "CREATE INDEX asih_search_document_gin ON asih_search_searchentry USING GIN (document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS asih_search_document_gin",
    "ALTER TABLE asih_search_searchentry DROP COLUMN IF EXISTS document",
]
STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD),
}


def _run(schema_editor, forward: bool):
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"Asih's search supports SQLite and PostgreSQL, not {vendor}")
    for statement in STATEMENTS[vendor][0 if forward else 1]:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, forward=True)


def backwards(apps, schema_editor):
    _run(schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("asih_search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
