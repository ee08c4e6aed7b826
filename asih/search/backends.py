"""The one place that speaks SQL full-text: FTS5 on SQLite, tsvector/tsquery on PostgreSQL.

Callers pass stems (already tokenised, stemmed and capped by `text.query_terms`); each term is
quoted for FTS5 or handed to to_tsquery as a quoted lexeme, so nothing a visitor types is ever
read as query syntax.
"""

from dataclasses import dataclass

from django.db import connection

from asih.core.visibility import restricted_page_sql

from .models import SearchEntry

TABLE = "asih_search_searchentry"
# Column weights: title over summary over body.
SQLITE_WEIGHTS = (10.0, 4.0, 1.0)


@dataclass(frozen=True)
class Filters:
    language: str
    stage_id: int | None = None
    category_id: int | None = None
    exclude_ids: tuple[int, ...] = ()


def _quoted_terms(terms: list[str]) -> list[str]:
    # Terms come from WORD_RE ([^\W_]+) so carry no quote; doubling them anyway keeps it true.
    return [term.replace('"', '""').replace("'", "''") for term in terms if term]


def _filter_sql(filters: Filters) -> tuple[str, list]:
    # Guides in a private section are indexed (their editors see them) but never found: results
    # and related lists are public. No parameters: the condition is fixed SQL.
    sql = [f"{TABLE}.language = %s", f"NOT {restricted_page_sql(f'{TABLE}.page_id')}"]
    params = [filters.language]
    if filters.stage_id is not None:
        sql.append(f"{TABLE}.stage_id = %s")
        params.append(filters.stage_id)
    if filters.category_id is not None:
        # The relation's (entry, category) unique index answers this per row.
        categories = SearchEntry.categories.through._meta.db_table
        sql.append(
            f"EXISTS (SELECT 1 FROM {categories} WHERE {categories}.searchentry_id = "
            f"{TABLE}.page_id AND {categories}.guidecategory_id = %s)"
        )
        params.append(int(filters.category_id))
    if filters.exclude_ids:
        sql.append(f"{TABLE}.page_id NOT IN ({', '.join(['%s'] * len(filters.exclude_ids))})")
        params.extend(filters.exclude_ids)
    return " AND ".join(sql), params


# PostgreSQL: a search matches through an expression GIN index over the stems (migration 0005)
# and ranks on `rank_document`, a small stored vector of title (A) and summary (B) only.
POSTGRES_MATCH_DOCUMENT = (
    "to_tsvector('simple'::regconfig, "
    f"{TABLE}.title_terms || ' ' || {TABLE}.summary_terms || ' ' || {TABLE}.body_terms)"
)


# Related guides ask for any of a dozen common stems, so nearly every guide matches: the planner
# then scans, and a scan through the expression recomputes every row's vector from its text
# (2 s at 10,000 guides). They match and rank on `related_document` instead (migration 0006),
# every stem stored and weighted title A, summary B, body C, so the body counts in the rank.
POSTGRES_RELATED_DOCUMENT = f"{TABLE}.related_document"


def _match(
    terms: list[str], any_term: bool, related: bool = False
) -> tuple[str, str, str, str, list]:
    """(FROM clause, match condition, score expression, direction that puts best first,
    params)."""
    quoted = _quoted_terms(terms)
    if connection.vendor == "postgresql":
        expression = (" | " if any_term else " & ").join(f"'{term}'" for term in quoted)
        match = POSTGRES_RELATED_DOCUMENT if related else POSTGRES_MATCH_DOCUMENT
        rank = POSTGRES_RELATED_DOCUMENT if related else f"{TABLE}.rank_document"
        return (
            f"{TABLE}, to_tsquery('simple', %s) AS query",
            f"{match} @@ query",
            f"ts_rank({rank}, query)",
            "DESC",
            [expression],
        )
    expression = (" OR " if any_term else " ").join(f'"{term}"' for term in quoted)
    weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
    return (
        f"asih_search_fts JOIN {TABLE} ON {TABLE}.page_id = asih_search_fts.rowid",
        "asih_search_fts MATCH %s",
        f"bm25(asih_search_fts, {weights})",
        "ASC",
        [expression],
    )


def count(terms: list[str], filters: Filters, *, any_term: bool = False) -> int:
    if not terms:
        return 0
    source, condition, _, _, params = _match(terms, any_term)
    where, filter_params = _filter_sql(filters)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {source} WHERE {condition} AND {where}",
            params + filter_params,
        )
        return cursor.fetchone()[0]


def ranked_ids(
    terms: list[str], filters: Filters, *, limit: int, offset: int = 0, any_term: bool = False
) -> list[int]:
    """Page ids of the matching guides, best first (ties by title, then id: a stable order)."""
    if not terms:
        return []
    source, condition, score, direction, params = _match(terms, any_term)
    where, filter_params = _filter_sql(filters)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {TABLE}.page_id FROM {source} WHERE {condition} AND {where} "
            f"ORDER BY {score} {direction}, {TABLE}.title, {TABLE}.page_id LIMIT %s OFFSET %s",
            params + filter_params + [int(limit), int(offset)],
        )
        return [row[0] for row in cursor.fetchall()]


def related_candidate_ids(terms: list[str], filters: Filters, *, limit: int) -> list[int]:
    """Page ids of the guides sharing any of these stems, best first (ties by title, then id):
    the candidates for a related list. On SQLite this is the search's own FTS5 ranking."""
    if not terms:
        return []
    source, condition, score, direction, params = _match(terms, any_term=True, related=True)
    where, filter_params = _filter_sql(filters)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {TABLE}.page_id FROM {source} WHERE {condition} AND {where} "
            f"ORDER BY {score} {direction}, {TABLE}.title, {TABLE}.page_id LIMIT %s",
            params + filter_params + [int(limit)],
        )
        return [row[0] for row in cursor.fetchall()]


def ranked_page(
    terms: list[str], filters: Filters, *, limit: int, offset: int = 0, any_term: bool = False
) -> tuple[list[int], int]:
    """(page ids best first, total matches) in one pass over the matches: the total comes
    from a window count, so the matching guides are found once, not once to count and once
    to rank. A page past the end has no row to carry the total: it reports 0, and the caller
    counts."""
    if not terms:
        return [], 0
    source, condition, score, direction, params = _match(terms, any_term)
    where, filter_params = _filter_sql(filters)
    # The score is taken in a subquery: FTS5 allows bm25() only beside its MATCH, not in a
    # query that also computes a window function.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page_id, COUNT(*) OVER () FROM ("
            f"SELECT {TABLE}.page_id AS page_id, {TABLE}.title AS title, {score} AS score "
            f"FROM {source} WHERE {condition} AND {where}) AS matches "
            f"ORDER BY score {direction}, title, page_id LIMIT %s OFFSET %s",
            params + filter_params + [int(limit), int(offset)],
        )
        rows = cursor.fetchall()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)
