"""`litwatch search` without SQLAlchemy: a current index and the stdlib sqlite3 module.

A search process spends most of its life importing SQLAlchemy (and opening the
store through it) to run three small queries.  When the store is a SQLite file
whose search index is current (litwatch.search.freshness: one query), the page is
ranked by the index and loaded here with plain sqlite3, in one read transaction:
the same columns, labels, URLs, marks and order as search_records, so the output
is the same byte for byte (tests/test_search_fast.py compares them).

In every other case fast_search returns None and the caller runs search_records,
which opens the store as usual (migrating or repairing it, catching the index
up, or searching the database when there is no index).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from pathlib import Path

from litwatch.search.filters import SearchFilters
from litwatch.search.freshness import (
    index_folder,
    index_is_current,
    index_position,
    sqlite_database,
)
from litwatch.search.hits import HIT_COLUMNS, SearchHit
from litwatch.search.index_reader import open_reader
from litwatch.search.query import ParsedQuery, parse_query
from litwatch.search.ranked import Ranked
from litwatch.store.urls import record_url

log = logging.getLogger(__name__)

IN_LIST = 500                 # ids per IN (...) list, as litwatch.store.read.IN_LIST_SIZE
BUSY_TIMEOUT_MS = 30_000      # as litwatch.store.engine sets it

# hydrate()'s columns: a feed item's data (its link), the abstract for the snippet.
_ROWS = (f"SELECT {', '.join(HIT_COLUMNS)}, CASE WHEN source = 'feed' THEN data END AS data, "
         "abstract FROM record WHERE id IN ({marks})")
_LABELS = "SELECT record_id, family, value FROM label WHERE record_id IN ({marks}) ORDER BY id"


def fast_search(database_url: str, query: str | None, filters: SearchFilters,
                limit: int | None) -> list[SearchHit] | None:
    """search_records' answer from a current index, or None to run search_records.
    Raises QueryError as search_records does."""
    database = sqlite_database(database_url)
    folder = None if database is None else index_folder(database)
    position = None if folder is None else index_position(folder)
    if database is None or folder is None or position is None or not Path(database).exists():
        return None
    parsed = parse_query(query) if query is not None and query.strip() else None
    try:
        with closing(sqlite3.connect(database, isolation_level=None)) as conn:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("BEGIN")                 # the check and the page: one snapshot
            if not index_is_current(conn, position):
                return None
            ranked = _ranked(folder, parsed, filters, limit)
            return list(_hits(conn, ranked, parsed))
    except (sqlite3.Error, OSError, ValueError) as exc:
        log.debug("fast search path not taken (%s): searching through the store", exc)
        return None


def _ranked(folder: Path, parsed: ParsedQuery | None, filters: SearchFilters,
            limit: int | None) -> list[Ranked]:
    reader = open_reader(folder)
    if parsed is None:
        return reader.by_date(filters, limit)
    return reader.rank(parsed, filters, limit)


def _hits(conn: sqlite3.Connection, ranked: Sequence[Ranked],
          parsed: ParsedQuery | None) -> Iterator[SearchHit]:
    """As litwatch.search.service.hydrate: a chunk of rows and their labels at a time."""
    conn.row_factory = sqlite3.Row
    for start in range(0, len(ranked), IN_LIST):
        chunk = ranked[start:start + IN_LIST]
        ids = [r.record_id for r in chunk]
        marks = ", ".join("?" * len(ids))
        rows = {row["id"]: row for row in conn.execute(_ROWS.format(marks=marks), ids)}
        if parsed is not None:
            from litwatch.search.snippets import mark_ranked
            mark_ranked(parsed, chunk, {rid: (row["title"], row["abstract"])
                                        for rid, row in rows.items()})
        labels = _labels(conn, _LABELS.format(marks=marks), ids)
        for r in chunk:
            row = rows.get(r.record_id)
            if row is not None:
                yield _hit(row, r, labels.get(r.record_id, {}))


def _labels(conn: sqlite3.Connection, sql: str, ids: list[int]
            ) -> dict[int, dict[str, list[str]]]:
    """record id -> family -> distinct values, first stored first (labels_by_record)."""
    out: dict[int, dict[str, list[str]]] = {}
    for record_id, family, value in conn.execute(sql, ids):
        values = out.setdefault(record_id, {}).setdefault(family, [])
        if value not in values:
            values.append(value)
    return out


def _hit(row: sqlite3.Row, ranked: Ranked, labels: dict[str, list[str]]) -> SearchHit:
    values = {name: row[name] for name in HIT_COLUMNS if name != "id"}
    values["retracted"] = bool(values["retracted"])
    data = row["data"] if row["source"] == "feed" else {"doi": row["doi"]}
    return SearchHit(record_id=row["id"], url=record_url(row["source"], row["source_id"], data),
                     labels=labels, score=ranked.score, title_marked=ranked.title_marked,
                     snippet=ranked.snippet, **values)
