"""The store: open the database, upsert records with their labels, links and flags.

A record is unique by (source, source_id).  Upserts claim the row with
INSERT ... ON CONFLICT DO NOTHING and then lock it, so two processes writing the
same record at once (PostgreSQL) neither duplicate nor lose it.  A batch is one
transaction: a killed sync leaves whole records or nothing.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, create_engine, event, select

from litwatch.classify import links as linking
from litwatch.classify.labels import Classification
from litwatch.classify.trial_changes import diff_trials
from litwatch.records import FeedItem, Paper, Record, Trial, record_from_dict
from litwatch.store.derived import (  # noqa: F401 (re-export)
    dialect_insert,
    replace_derived,
    replace_labels,
    store_links_and_flags,
)
from litwatch.store.migrations import migrate
from litwatch.store.tables import RecordRow, TrialChangeRow, utcnow

# Fields that change between downloads without the record changing.
_VOLATILE = {"version_holder"}


@dataclass
class Incoming:
    """One parsed record on its way into the store."""

    record: Record
    raw: bytes
    classification: Classification
    matched_queries: Sequence[str] = ()


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

    def add(self, outcome: str, source_id: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome == "new":
            self.new_ids.append(source_id)
        elif outcome == "updated":
            self.updated_ids.append(source_id)


def open_engine(url: str, migrate_schema: bool = True) -> Engine:
    """Create the engine (WAL and busy timeout on SQLite) and bring the schema up to date."""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        from pathlib import Path
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate_schema:
        migrate(engine)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def content_hash(record: Record) -> str:
    return serialize_record(record)[0]


def serialize_record(record: Record) -> tuple[str, str]:
    """(content hash, JSON of the record); one serialisation serves both when possible."""
    data = record.to_dict()
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    hashed = text
    if any(k in data for k in _VOLATILE):
        hashed = json.dumps({k: v for k, v in data.items() if k not in _VOLATILE},
                            sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(hashed.encode()).hexdigest(), text


def compress(raw: bytes) -> bytes:
    # Level 1: raw payloads are re-read rarely; speed of ingest matters more.
    return zlib.compress(raw, 1)


def decompress(blob: bytes) -> bytes:
    return zlib.decompress(blob) if blob else b""


def load_record(row: RecordRow) -> Record:
    return record_from_dict(row.source, json.loads(row.data))


def upsert_batch(engine: Engine, items: Iterable[Incoming], now: datetime | None = None
                 ) -> UpsertCounts:
    """Store a batch in one transaction; return what was new, updated, unchanged.

    Set-based (one INSERT, one SELECT, one UPDATE per batch, not per record):
    every row is offered with INSERT ... ON CONFLICT DO NOTHING, which also takes
    the write lock; rows whose first_seen is this batch's timestamp are the ones
    we just created, the others existed and are compared by content hash.
    """
    counts = UpsertCounts()
    batch = list({(i.record.source, i.record.source_id): i for i in items}.values())
    if not batch:
        return counts
    now = now or utcnow()
    with engine.begin() as conn:
        prepared = [_row_values(item, now) for item in batch]
        conn.execute(dialect_insert(conn, RECORD).on_conflict_do_nothing(
            index_elements=["source", "source_id"]), prepared)
        existing = _select_rows(conn, batch)
        changed: list[tuple[int, Incoming]] = []
        updates, touches = [], []
        for item, values in zip(batch, prepared, strict=True):
            row = existing[(item.record.source, item.record.source_id)]
            queries = sorted(set(json.loads(row.matched_queries or "[]"))
                             | set(item.matched_queries))
            if row.first_seen == now or row.content_hash == "":
                outcome = "new"
            elif row.content_hash == values["content_hash"]:
                outcome = "unchanged"
                touches.append({"_id": row.id, "fetched_at": now,
                                "matched_queries": json.dumps(queries)})
            else:
                outcome = "updated"
                if isinstance(item.record, Trial):
                    _record_trial_changes(conn, row, item.record, now)
                values = dict(values, first_seen=row.first_seen,
                              matched_queries=json.dumps(queries))
                updates.append({"_id": row.id, **{k: v for k, v in values.items()
                                                  if k not in ("source", "source_id")}})
            if outcome != "unchanged":
                changed.append((row.id, item))
            counts.add(outcome, item.record.source_id)
        _update_rows(conn, updates)
        _update_rows(conn, touches)
        replace_derived(conn, changed)
    return counts


RECORD = RecordRow.__table__


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


def _select_rows(conn: Connection, batch: list[Incoming]) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    by_source: dict[str, list[str]] = {}
    for item in batch:
        by_source.setdefault(item.record.source, []).append(item.record.source_id)
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


def _row_values(item: Incoming, now: datetime) -> dict[str, Any]:
    record, cls = item.record, item.classification
    digest, data = serialize_record(record)
    values: dict[str, Any] = {
        "source": record.source, "source_id": record.source_id, "title": record.title,
        "abstract": _body_text(record), "content_hash": digest,
        "raw": compress(item.raw), "data": data,
        "matched_queries": json.dumps(sorted(set(item.matched_queries))),
        "first_seen": now, "last_changed": now, "fetched_at": now,
        "design": cls.first("design"), "phase": cls.first("phase"),
        "sample_size": cls.sample_size, "summary": cls.summary,
        "retracted": linking.is_retracted(record), "journal": "", "year": None, "doi": None,
        "pub_date": "", "entry_date": None, "source_modified": None, "status": None,
    }
    if isinstance(record, Paper):
        values.update(journal=record.journal, year=record.pub_year, doi=record.doi,
                      pub_date=record.pub_date, entry_date=record.entrez_date,
                      source_modified=record.modified_date)
    elif isinstance(record, Trial):
        values.update(journal=record.sponsor, status=record.overall_status,
                      year=int(record.first_post_date[:4]) if record.first_post_date else None,
                      pub_date=record.first_post_date or "", entry_date=record.first_post_date,
                      source_modified=record.last_update_post_date)
    elif isinstance(record, FeedItem):
        values.update(journal=record.feed_title, doi=record.doi,
                      pub_date=record.published or "", entry_date=record.published,
                      year=int(record.published[:4]) if record.published else None)
    return values


def _body_text(record: Record) -> str:
    if isinstance(record, Paper):
        return record.abstract
    if isinstance(record, Trial):
        parts = [record.official_title, record.brief_summary, "; ".join(record.conditions),
                 "; ".join(i.name for i in record.interventions)]
        return "\n".join(p for p in parts if p)
    return record.summary


def _record_trial_changes(conn: Connection, row: Any, new: Trial, now: datetime) -> None:
    old = record_from_dict("ctgov", json.loads(row.data))
    rows = [{"record_id": row.id, "nct_id": new.nct_id, "field": c.field, "before": c.before,
             "after": c.after, "source_date": new.last_update_post_date, "detected_at": now}
            for c in diff_trials(old, new)]
    if rows:
        conn.execute(TrialChangeRow.__table__.insert(), rows)
