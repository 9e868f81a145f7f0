"""search_records: the one entry point the CLI, export and benchmarks call.

Ranking and listing run on the search index (litwatch.search.index: tantivy,
derived from the store and caught up before it answers) when the store has one,
else on the database's own full text (FTS5 bm25 / tsvector).  Then the page of
records is loaded with its labels in two queries (no per-row queries), and on
the index path its titles and snippets are marked from the loaded text
(litwatch.search.snippets).  `matching_ids` (set logic for the claims check)
stays on the database's full text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, case, select

from litwatch.errors import StoreError
from litwatch.search import postgres_fts, sqlite_fts
from litwatch.search.filters import SearchFilters, filter_clauses, t_record
from litwatch.search.query import ParsedQuery, parse_query
from litwatch.search.ranked import Ranked
from litwatch.store.read import chunked, labels_by_record, record_url

if TYPE_CHECKING:
    from litwatch.search.index import SearchIndex

log = logging.getLogger(__name__)

_HIT_COLUMNS = ("id", "source", "source_id", "title", "journal", "year", "doi", "pub_date",
                "entry_date", "design", "phase", "status", "sample_size", "summary",
                "retracted")


@dataclass
class SearchHit:
    record_id: int
    source: str
    source_id: str
    title: str
    journal: str
    year: int | None
    doi: str | None
    pub_date: str
    entry_date: str | None
    design: str | None
    phase: str | None
    status: str | None
    sample_size: int | None
    summary: str
    retracted: bool
    url: str
    labels: dict[str, list[str]] = field(default_factory=dict)
    score: float | None = None
    title_marked: str | None = None
    snippet: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


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
    from litwatch.search.snippets import mark_page
    found = [r for r in ranked if r.record_id in rows]
    marks = mark_page(parsed, [(rows[r.record_id].title, rows[r.record_id].abstract)
                               for r in found])
    for r, (title, snippet) in zip(found, marks, strict=True):
        r.title_marked, r.snippet = title, snippet


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
    columns = [t_record.c[name] for name in _HIT_COLUMNS] + [feed_data.label("data")]
    if marks is not None:
        columns.append(t_record.c.abstract)
    for chunk in chunked(ranked):
        ids = [r.record_id for r in chunk]
        rows = {row.id: row for row in conn.execute(select(*columns).where(
            t_record.c.id.in_(ids)))}
        if marks is not None:
            _marks_from(marks, chunk, rows)
        labels = labels_by_record(conn, ids)
        for r in chunk:
            row = rows.get(r.record_id)
            if row is None:          # deleted between the two queries
                continue
            values = {name: getattr(row, name) for name in _HIT_COLUMNS if name != "id"}
            values["retracted"] = bool(values["retracted"])
            data = row.data if row.source == "feed" else {"doi": row.doi}
            yield SearchHit(record_id=row.id, url=record_url(row.source, row.source_id, data),
                            labels=labels.get(row.id, {}), score=r.score,
                            title_marked=r.title_marked, snippet=r.snippet, **values)


def search_records(engine: Engine, query: str | None, filters: SearchFilters | None = None,
                   limit: int | None = 20, snippets: bool = True) -> list[SearchHit]:
    """Matching records, best first (or newest first without a query)."""
    with engine.connect() as conn:
        ranked, unmarked = _rank(conn, query, filters or SearchFilters(), limit, snippets)
        return list(hydrate(conn, ranked, unmarked))
