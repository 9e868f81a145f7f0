"""Persist prepared records: one transaction per batch, unique by (source, source_id).

The store computes nothing about a record: the ingest pipeline (litwatch.sync.
pipeline) hands it finished rows.  Upserts claim each row with INSERT ... ON
CONFLICT DO NOTHING and then lock it, so two processes writing the same record at
once (PostgreSQL) neither duplicate nor lose it.  A killed sync leaves whole
batches or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select

from litwatch.store.changes import stamp_rows
from litwatch.store.derived import replace_derived
from litwatch.store.fastinsert import insert_many
from litwatch.store.tables import RecordRow, TrialChangeRow, table_of, utcnow

RECORD = table_of(RecordRow)
# Columns a re-derivation may rewrite; the history columns stay as they were.
_KEEP_ON_REDERIVE = {"source", "source_id", "first_seen", "last_changed", "fetched_at",
                     "matched_queries", "raw", "change_seq"}


@dataclass
class PreparedRecord:
    """Everything the store writes for one record, built once by the pipeline."""

    source: str
    source_id: str
    values: dict[str, Any]                 # record columns except the timestamps
    labels: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[dict[str, Any]] = field(default_factory=list)
    matched_queries: Sequence[str] = ()
    # Stored JSON of the previous version -> trial change rows (trials only).
    changes_since: Callable[[str], list[dict[str, Any]]] | None = None


@dataclass
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    new_ids: list[str] = field(default_factory=list)
    updated_ids: list[str] = field(default_factory=list)

    def merge(self, other: UpsertCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.new_ids += other.new_ids
        self.updated_ids += other.updated_ids

    def add(self, outcome: str, source_id: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome == "new":
            self.new_ids.append(source_id)
        elif outcome == "updated":
            self.updated_ids.append(source_id)


def persist_batch(engine: Engine, items: Iterable[PreparedRecord],
                  now: datetime | None = None) -> UpsertCounts:
    """Store a batch in one transaction; return what was new, updated, unchanged.

    Set-based: one INSERT ... ON CONFLICT DO NOTHING for the batch (which also takes
    the write lock), one SELECT, one UPDATE.  Rows whose first_seen is this batch's
    timestamp are the ones just created; the others are compared by content hash.
    """
    counts = UpsertCounts()
    batch = list({(i.source, i.source_id): i for i in items}.values())
    if not batch:
        return counts
    now = now or utcnow()
    with engine.begin() as conn:
        insert_many(conn, RECORD, [_new_row(i, now) for i in batch],
                    conflict=("source", "source_id"))
        existing = _select_rows(conn, batch)
        changed, updates, touches = [], [], []
        for item in batch:
            row = existing[(item.source, item.source_id)]
            queries = json.dumps(sorted(set(json.loads(row.matched_queries or "[]"))
                                        | set(item.matched_queries)))
            outcome = _outcome(row, item, now)
            if outcome == "unchanged":
                touches.append({"_id": row.id, "fetched_at": now, "matched_queries": queries})
            elif outcome == "updated":
                _record_changes(conn, row, item, now)
                updates.append({"_id": row.id, **item.values, "last_changed": now,
                                "fetched_at": now, "matched_queries": queries})
            if outcome != "unchanged":
                changed.append((row.id, item))
            counts.add(outcome, item.source_id)
        _update_rows(conn, updates)
        _update_rows(conn, touches)
        replace_derived(conn, changed)
        stamp_rows(conn, [row_id for row_id, _ in changed])   # last: see store.changes
    return counts


def rederive_batch(engine: Engine, ids_and_items: list[tuple[int, PreparedRecord]]) -> None:
    """Rewrite stored rows from a fresh derivation (reclassify): every derived column and
    row, the title and full text included, while first seen / fetched stay as they were."""
    if not ids_and_items:
        return
    with engine.begin() as conn:
        _update_rows(conn, [{"_id": rid, **{k: v for k, v in item.values.items()
                                            if k not in _KEEP_ON_REDERIVE}}
                            for rid, item in ids_and_items])
        replace_derived(conn, ids_and_items)
        stamp_rows(conn, [rid for rid, _ in ids_and_items])


def _outcome(row: Any, item: PreparedRecord, now: datetime) -> str:
    if row.first_seen == now or row.content_hash == "":
        return "new"
    return "unchanged" if row.content_hash == item.values["content_hash"] else "updated"


def _new_row(item: PreparedRecord, now: datetime) -> dict[str, Any]:
    return {**item.values, "source": item.source, "source_id": item.source_id,
            "matched_queries": json.dumps(sorted(set(item.matched_queries))),
            "first_seen": now, "last_changed": now, "fetched_at": now}


def tag_records(engine: Engine, source: str, source_ids: list[str], tag: str) -> set[str]:
    """Add `tag` to the matched queries of stored records; return the ids that exist.
    A record a query finds again unchanged is not re-stored, but the query is noted."""
    found: set[str] = set()
    if not source_ids:
        return found
    with engine.begin() as conn:
        rows = conn.execute(select(RECORD.c.id, RECORD.c.source_id, RECORD.c.matched_queries)
                            .where(RECORD.c.source == source,
                                   RECORD.c.source_id.in_(source_ids))).all()
        updates = []
        for row in rows:
            found.add(row.source_id)
            queries = set(json.loads(row.matched_queries or "[]"))
            if tag not in queries:
                updates.append({"_id": row.id, "matched_queries": json.dumps(sorted(
                    queries | {tag}))})
        _update_rows(conn, updates)
    return found


def _select_rows(conn: Connection, batch: list[PreparedRecord]) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    by_source: dict[str, list[str]] = {}
    for item in batch:
        by_source.setdefault(item.source, []).append(item.source_id)
    for source, ids in by_source.items():
        query = select(RECORD.c.id, RECORD.c.source, RECORD.c.source_id, RECORD.c.first_seen,
                       RECORD.c.content_hash, RECORD.c.matched_queries, RECORD.c.data
                       ).where(RECORD.c.source == source, RECORD.c.source_id.in_(ids))
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        for row in conn.execute(query):
            out[(row.source, row.source_id)] = row
    return out


def _update_rows(conn: Connection, params: list[dict[str, Any]]) -> None:
    if not params:
        return
    columns = [k for k in params[0] if k != "_id"]
    stmt = RECORD.update().where(RECORD.c.id == bindparam("_id")).values(
        {c: bindparam(c) for c in columns})
    conn.execute(stmt, params)


def _record_changes(conn: Connection, row: Any, item: PreparedRecord, now: datetime) -> None:
    if item.changes_since is None:
        return
    rows = [{**change, "record_id": row.id, "detected_at": now}
            for change in item.changes_since(row.data)]
    if rows:
        conn.execute(table_of(TrialChangeRow).insert(), rows)
