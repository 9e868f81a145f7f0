"""A page of search hits loaded over a plain sqlite3 connection.

SQLAlchemy's row processing cost more than the queries themselves for a page of 20
hits and their labels (1.6 ms against 0.65 ms at 100,000 records), so on SQLite
both the CLI's fast path (litwatch.search.fast, no SQLAlchemy at all) and
search_records (through the engine's own DB-API connection, in its transaction)
load the page here: the same columns, labels, URLs, marks and order as
litwatch.search.service.hydrate gives on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from litwatch.search.hits import HIT_COLUMNS, SearchHit, distinct_labels, hit_from
from litwatch.search.query import ParsedQuery
from litwatch.search.ranked import Ranked

IN_LIST = 500                 # ids per IN (...) list, as litwatch.store.read.IN_LIST_SIZE

# hydrate()'s columns: a feed item's data (its link), the abstract for the snippet.
_ROWS = (f"SELECT {', '.join(HIT_COLUMNS)}, CASE WHEN source = 'feed' THEN data END AS data, "
         "abstract FROM record WHERE id IN ({marks})")
_LABELS = "SELECT record_id, family, value FROM label WHERE record_id IN ({marks}) ORDER BY id"


def page_hits(conn: sqlite3.Connection, ranked: Sequence[Ranked],
              parsed: ParsedQuery | None) -> Iterator[SearchHit]:
    """The hits of `ranked`, in its order, a chunk of rows and their labels at a time;
    with `parsed`, their titles and snippets marked for it from the same rows.  A row
    deleted since the ranking is left out."""
    for start in range(0, len(ranked), IN_LIST):
        chunk = ranked[start:start + IN_LIST]
        ids = [r.record_id for r in chunk]
        marks = ", ".join("?" * len(ids))
        cursor = conn.cursor()
        # On the cursor, not the connection: the connection may be SQLAlchemy's.
        cursor.row_factory = sqlite3.Row
        rows = {row["id"]: row for row in cursor.execute(_ROWS.format(marks=marks), ids)}
        if parsed is not None:
            from litwatch.search.snippets import mark_ranked
            mark_ranked(parsed, chunk, {rid: (row["title"], row["abstract"])
                                        for rid, row in rows.items()})
        labels = _labels(conn, _LABELS.format(marks=marks), ids)
        for r in chunk:
            row = rows.get(r.record_id)
            if row is not None:
                yield hit_from(row, r, labels.get(r.record_id, {}))


def _labels(conn: sqlite3.Connection, sql: str, ids: list[int]
            ) -> dict[int, dict[str, list[str]]]:
    """record id -> family -> distinct values, first stored first (labels_by_record)."""
    pairs: dict[int, list[tuple[str, str]]] = {}
    for record_id, family, value in conn.execute(sql, ids):
        pairs.setdefault(record_id, []).append((family, value))
    return {rid: distinct_labels(found) for rid, found in pairs.items()}
