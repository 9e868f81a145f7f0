"""search_records: the one entry point the CLI, export and benchmarks call.

Ranking and listing run on the search index (litwatch.search.index: tantivy,
derived from the store and caught up before it answers) when the store has one,
else on the database's own full text (FTS5 bm25 / tsvector).  Then the page of
records is loaded with its labels in two queries (no per-row queries; on SQLite
over the engine's own sqlite3 connection, litwatch.search.sqlite_page), and on the
index path its titles and snippets are marked from the loaded text
(litwatch.search.snippets).  On PostgreSQL with an index, the page, its labels
and the index's freshness check are one statement (litwatch.search.pg_page).
`matching_ids` (set logic for the claims check) stays on the database's full text.
The CLI tries litwatch.search.fast first, which gives the same hits without
SQLAlchemy.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, case, select

from litwatch.errors import StoreError
from litwatch.search import postgres_fts, sqlite_fts
from litwatch.search.filters import SearchFilters
from litwatch.search.filters_sql import filter_clauses, t_record
from litwatch.search.hits import HIT_COLUMNS, SearchHit, hit_from
from litwatch.search.query import ParsedQuery, parse_query
from litwatch.search.ranked import Ranked
from litwatch.store.read import IN_LIST_SIZE, chunked, labels_by_record

if TYPE_CHECKING:
    from litwatch.search.index import SearchIndex

log = logging.getLogger(__name__)

def _backend(conn: Connection) -> ModuleType:
    return postgres_fts if conn.dialect.name == "postgresql" else sqlite_fts


def _by_date(conn: Connection, filters: SearchFilters, limit: int | None) -> list[Ranked]:
    stmt = (select(t_record.c.id).where(*filter_clauses(filters))
            .order_by(t_record.c.entry_date.desc().nulls_last(), t_record.c.id.desc()))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [Ranked(int(rid)) for (rid,) in conn.execute(stmt)]


def _index(conn: Connection) -> SearchIndex | None:
    """The store's search index, caught up; None to search the database itself: also
    when the index cannot be brought up to date (a read-only folder, a lock held for
    minutes), since the database always has the answer."""
    try:
        from litwatch.search.index import current_index
    except ImportError:                 # tantivy not installed: the database's FTS
        return None
    try:
        return current_index(conn)
    except (OSError, StoreError) as exc:
        log.warning("search index unavailable (%s): searching the database", exc)
        return None


def _indexed(conn: Connection, index: SearchIndex, parsed: ParsedQuery | None,
             filters: SearchFilters, limit: int | None) -> list[Ranked] | None:
    """The index's answer; None (and the index marked for a rebuild) if it fails."""
    try:
        if parsed is None:
            return index.by_date(filters, limit)
        return index.rank(parsed, filters, limit)
    except (OSError, ValueError) as exc:          # damaged files found while reading
        log.warning("search index failed (%s): searching the database; it will be "
                    "rebuilt", exc)
        index.discard()
        return None


def rank_records(conn: Connection, query: str | None, filters: SearchFilters,
                 limit: int | None, snippets: bool = True) -> list[Ranked]:
    """Ids in result order.  Raises QueryError for text with nothing to search."""
    ranked, unmarked = _rank(conn, query, filters, limit, snippets)
    if unmarked is not None:
        _mark(conn, unmarked, ranked)
    return ranked


def _rank(conn: Connection, query: str | None, filters: SearchFilters, limit: int | None,
          snippets: bool) -> tuple[list[Ranked], ParsedQuery | None]:
    """The ranked page, and the parsed query when its marks are still to be made from
    the rows' text (the index path: search_records makes them while loading the page,
    saving a round trip)."""
    parsed = parse_query(query) if query is not None and query.strip() else None
    index = _index(conn)
    ranked = None if index is None else _indexed(conn, index, parsed, filters, limit)
    if ranked is not None:
        return ranked, parsed if snippets else None
    if parsed is None:
        return _by_date(conn, filters, limit), None
    backend = _backend(conn)
    ranked = backend.rank(conn, parsed, filters, limit)
    if snippets:
        backend.add_snippets(conn, parsed, ranked)
    return ranked, None


def _mark(conn: Connection, parsed: ParsedQuery, ranked: list[Ranked]) -> None:
    """Marked title and snippet of each ranked row, from the row's own text."""
    for chunk in chunked(ranked):
        rows = conn.execute(select(t_record.c.id, t_record.c.title, t_record.c.abstract)
                            .where(t_record.c.id.in_([r.record_id for r in chunk]))).all()
        _marks_from(parsed, chunk, {row.id: row for row in rows})


def _marks_from(parsed: ParsedQuery, ranked: Sequence[Ranked], rows: dict) -> None:
    from litwatch.search.snippets import mark_ranked
    mark_ranked(parsed, ranked, {rid: (row.title, row.abstract) for rid, row in rows.items()})


def matching_ids(conn: Connection, parsed: ParsedQuery) -> set[int]:
    """Every record the parsed query matches, unranked (for set logic, e.g. claims)."""
    return _backend(conn).match_ids(conn, parsed)


def hydrate(conn: Connection, ranked: Sequence[Ranked],
            marks: ParsedQuery | None = None) -> Iterator[SearchHit]:
    """SearchHits in the order of `ranked`, loaded a chunk at a time; with `marks`, their
    titles and snippets marked for that query from the same rows."""
    # A record's URL needs its parsed JSON only for feed items (their link lives there);
    # a paper's is its PMID, else its DOI.  Reading `data` for every hit cost more than
    # the ranking.
    feed_data = case((t_record.c.source == "feed", t_record.c.data), else_=None)
    columns = [t_record.c[name] for name in HIT_COLUMNS] + [feed_data.label("data")]
    if marks is not None:
        columns.append(t_record.c.abstract)
    for chunk in chunked(ranked):
        ids = [r.record_id for r in chunk]
        rows = {row.id: row for row in conn.execute(select(*columns).where(
            t_record.c.id.in_(ids)))}
        if marks is not None:
            _marks_from(marks, chunk, rows)
        labels = labels_by_record(conn, ids)
        # A row deleted between the ranking and the load is left out.
        yield from (hit_from(rows[r.record_id]._mapping, r, labels.get(r.record_id, {}))
                    for r in chunk if r.record_id in rows)


def search_records(engine: Engine, query: str | None, filters: SearchFilters | None = None,
                   limit: int | None = 20, snippets: bool = True) -> list[SearchHit]:
    """Matching records, best first (or newest first without a query)."""
    filters = filters or SearchFilters()
    if engine.dialect.name == "postgresql":
        hits = _in_one_statement(engine, query, filters, limit, snippets)
        if hits is not None:
            return hits
    with engine.connect() as conn:
        ranked, unmarked = _rank(conn, query, filters, limit, snippets)
        if conn.dialect.name == "sqlite":
            from litwatch.search.sqlite_page import page_hits
            driver = conn.connection.driver_connection
            assert driver is not None             # a checked-out connection has one
            return list(page_hits(driver, ranked, unmarked))
        return list(hydrate(conn, ranked, unmarked))


def _in_one_statement(engine: Engine, query: str | None, filters: SearchFilters,
                      limit: int | None, snippets: bool) -> list[SearchHit] | None:
    """PostgreSQL with a search index: ranked by the index as it stands, loaded and
    proven current in one statement (litwatch.search.pg_page); None to search as
    usual, which catches the index up first (or reports and rebuilds a broken one)."""
    index = None if limit is None or limit > IN_LIST_SIZE else _index_as_it_stands(engine)
    state = None if index is None else index.position()
    if index is None or state is None:
        return None
    parsed = parse_query(query) if query is not None and query.strip() else None
    try:
        ranked = (index.by_date(filters, limit) if parsed is None
                  else index.rank(parsed, filters, limit))
    except (OSError, ValueError):
        return None
    from litwatch.search.index import has_seen
    from litwatch.search.pg_page import load_page
    with engine.connect() as conn:
        # One read, so no transaction: no BEGIN and no ROLLBACK to send.
        conn.execution_options(isolation_level="AUTOCOMMIT")
        status, rows, labels = load_page(conn, state, [r.record_id for r in ranked])
    if not has_seen(state, status):
        return None
    if snippets and parsed is not None:
        _marks_from(parsed, ranked, rows)
    return [hit_from(rows[r.record_id]._mapping, r, labels.get(r.record_id, {}))
            for r in ranked if r.record_id in rows]


def _index_as_it_stands(engine: Engine) -> SearchIndex | None:
    try:
        from litwatch.search.index import index_for
    except ImportError:                 # tantivy not installed
        return None
    return index_for(engine)
