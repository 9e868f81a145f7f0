"""`litwatch search` without SQLAlchemy: a current index and the stdlib sqlite3 module.

A search process spends most of its life importing SQLAlchemy (and opening the
store through it) to run three small queries.  When the store is a SQLite file
whose search index is current (litwatch.search.freshness: one query), the page is
ranked by the index and loaded with plain sqlite3 (litwatch.search.sqlite_page), in
one read transaction: the same columns, labels, URLs, marks and order as
search_records, so the output is the same byte for byte (tests/test_search_fast.py
compares them).

In every other case fast_search returns None and the caller runs search_records,
which opens the store as usual (migrating or repairing it, catching the index
up, or searching the database when there is no index).
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

from litwatch.search.filters import SearchFilters
from litwatch.search.freshness import (
    index_folder,
    index_is_current,
    index_position,
    sqlite_database,
)
from litwatch.search.hits import SearchHit
from litwatch.search.index_reader import open_reader
from litwatch.search.query import ParsedQuery, parse_query
from litwatch.search.ranked import Ranked
from litwatch.search.sqlite_page import page_hits

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000      # as litwatch.store.engine sets it

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
            return list(page_hits(conn, ranked, parsed))
    except (sqlite3.Error, OSError, ValueError) as exc:
        log.debug("fast search path not taken (%s): searching through the store", exc)
        return None


def _ranked(folder: Path, parsed: ParsedQuery | None, filters: SearchFilters,
            limit: int | None) -> list[Ranked]:
    reader = open_reader(folder)
    if parsed is None:
        return reader.by_date(filters, limit)
    return reader.rank(parsed, filters, limit)
