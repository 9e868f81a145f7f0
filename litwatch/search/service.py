"""search_records: the one entry point the CLI, export and benchmarks call.

Backends rank ids; this module lists by date when there is no query, then loads
the page of records with their labels in two queries (no per-row queries).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from types import ModuleType

from sqlalchemy import Connection, Engine, select

from litwatch.search import postgres_fts, sqlite_fts
from litwatch.search.filters import SearchFilters, filter_clauses, t_label, t_record
from litwatch.search.query import parse_query
from litwatch.search.ranked import Ranked

CHUNK = 500
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


def record_url(source: str, source_id: str, data: str | None = None) -> str:
    if source == "pubmed":
        return f"https://pubmed.ncbi.nlm.nih.gov/{source_id}/"
    if source == "ctgov":
        return f"https://clinicaltrials.gov/study/{source_id}"
    try:
        return str(json.loads(data or "{}").get("link") or "")
    except ValueError:
        return ""


def _backend(conn: Connection) -> ModuleType:
    return postgres_fts if conn.dialect.name == "postgresql" else sqlite_fts


def _by_date(conn: Connection, filters: SearchFilters, limit: int | None) -> list[Ranked]:
    stmt = (select(t_record.c.id).where(*filter_clauses(filters))
            .order_by(t_record.c.entry_date.desc().nulls_last(), t_record.c.id.desc()))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [Ranked(int(rid)) for (rid,) in conn.execute(stmt)]


def rank_records(conn: Connection, query: str | None, filters: SearchFilters,
                 limit: int | None, snippets: bool = True) -> list[Ranked]:
    """Ids in result order.  Raises QueryError for text with nothing to search."""
    if query is None or not query.strip():
        return _by_date(conn, filters, limit)
    parsed = parse_query(query)
    backend = _backend(conn)
    ranked = backend.rank(conn, parsed, filters, limit)
    if snippets:
        backend.add_snippets(conn, parsed, ranked)
    return ranked


def _chunks(items: Sequence[Ranked]) -> Iterator[Sequence[Ranked]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _labels(conn: Connection, ids: list[int]) -> dict[int, dict[str, list[str]]]:
    out: dict[int, dict[str, list[str]]] = defaultdict(dict)
    stmt = (select(t_label.c.record_id, t_label.c.family, t_label.c.value)
            .where(t_label.c.record_id.in_(ids)).order_by(t_label.c.id))
    for rid, family, value in conn.execute(stmt):
        values = out[rid].setdefault(family, [])
        if value not in values:
            values.append(value)
    return out


def hydrate(conn: Connection, ranked: Sequence[Ranked]) -> Iterator[SearchHit]:
    """SearchHits in the order of `ranked`, loaded a chunk at a time."""
    columns = [t_record.c[name] for name in _HIT_COLUMNS] + [t_record.c.data]
    for chunk in _chunks(ranked):
        ids = [r.record_id for r in chunk]
        rows = {row.id: row for row in conn.execute(select(*columns).where(
            t_record.c.id.in_(ids)))}
        labels = _labels(conn, ids)
        for r in chunk:
            row = rows.get(r.record_id)
            if row is None:          # deleted between the two queries
                continue
            values = {name: getattr(row, name) for name in _HIT_COLUMNS if name != "id"}
            values["retracted"] = bool(values["retracted"])
            yield SearchHit(record_id=row.id, url=record_url(row.source, row.source_id,
                                                             row.data),
                            labels=labels.get(row.id, {}), score=r.score,
                            title_marked=r.title_marked, snippet=r.snippet, **values)


def search_records(engine: Engine, query: str | None, filters: SearchFilters | None = None,
                   limit: int | None = 20, snippets: bool = True) -> list[SearchHit]:
    """Matching records, best first (or newest first without a query)."""
    with engine.connect() as conn:
        ranked = rank_records(conn, query, filters or SearchFilters(), limit, snippets)
        return list(hydrate(conn, ranked))
