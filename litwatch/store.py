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

from sqlalchemy import Engine, create_engine, delete, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from litwatch import link as linking
from litwatch.labels import Classification
from litwatch.migrations import migrate
from litwatch.models import FlagRow, LabelRow, LinkRow, RecordRow, TrialChangeRow, utcnow
from litwatch.records import FeedItem, Paper, Record, Trial, record_from_dict
from litwatch.trial_changes import diff_trials

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
    data = {k: v for k, v in record.to_dict().items() if k not in _VOLATILE}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def compress(raw: bytes) -> bytes:
    return zlib.compress(raw, 6)


def decompress(blob: bytes) -> bytes:
    return zlib.decompress(blob) if blob else b""


def load_record(row: RecordRow) -> Record:
    return record_from_dict(row.source, json.loads(row.data))


def upsert_batch(engine: Engine, items: Iterable[Incoming], now: datetime | None = None
                 ) -> UpsertCounts:
    """Store a batch in one transaction; return what was new, updated, unchanged."""
    counts = UpsertCounts()
    now = now or utcnow()
    with Session(engine) as session, session.begin():
        for item in items:
            counts.add(_upsert_one(session, item, now), item.record.source_id)
    return counts


def _claim_row(session: Session, source: str, source_id: str, now: datetime) -> RecordRow:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(RecordRow.__table__).values(
        source=source, source_id=source_id, title="", abstract="", journal="", pub_date="",
        first_seen=now, last_changed=now, fetched_at=now, content_hash="", raw=b"", data="{}",
        matched_queries="[]", summary="", retracted=False,
    ).on_conflict_do_nothing(index_elements=["source", "source_id"])
    session.execute(stmt)
    query = select(RecordRow).where(RecordRow.source == source, RecordRow.source_id == source_id)
    if dialect == "postgresql":
        query = query.with_for_update()
    return session.exec(query).one()


def _upsert_one(session: Session, item: Incoming, now: datetime) -> str:
    record = item.record
    row = _claim_row(session, record.source, record.source_id, now)
    is_new = row.content_hash == ""
    digest = content_hash(record)
    queries = sorted(set(json.loads(row.matched_queries or "[]")) | set(item.matched_queries))
    row.fetched_at = now
    if not is_new and digest == row.content_hash:
        if json.dumps(queries) != row.matched_queries:
            row.matched_queries = json.dumps(queries)
        session.add(row)
        return "unchanged"
    if not is_new and isinstance(record, Trial):
        _record_trial_changes(session, row, record, now)
    _fill_row(row, item, digest, queries, now)
    session.add(row)
    session.flush()
    replace_labels(session, row.id, item.classification)
    store_links_and_flags(session, row.id, record)
    return "new" if is_new else "updated"


def _fill_row(row: RecordRow, item: Incoming, digest: str, queries: list[str],
              now: datetime) -> None:
    record, cls = item.record, item.classification
    row.title = record.title
    row.abstract = _body_text(record)
    row.content_hash = digest
    row.raw = compress(item.raw)
    row.data = json.dumps(record.to_dict(), ensure_ascii=False)
    row.matched_queries = json.dumps(queries)
    row.last_changed = now
    row.design = cls.first("design")
    row.phase = cls.first("phase")
    row.sample_size = cls.sample_size
    row.summary = cls.summary
    row.retracted = linking.is_retracted(record)
    if isinstance(record, Paper):
        row.journal, row.year, row.doi = record.journal, record.pub_year, record.doi
        row.pub_date, row.entry_date = record.pub_date, record.entrez_date
        row.source_modified = record.modified_date
    elif isinstance(record, Trial):
        row.journal, row.status = record.sponsor, record.overall_status
        row.year = int(record.first_post_date[:4]) if record.first_post_date else None
        row.pub_date = row.entry_date = record.first_post_date or ""
        row.source_modified = record.last_update_post_date
    elif isinstance(record, FeedItem):
        row.journal, row.doi = record.feed_title, record.doi
        row.pub_date = row.entry_date = record.published or ""
        row.year = int(record.published[:4]) if record.published else None


def _body_text(record: Record) -> str:
    if isinstance(record, Paper):
        return record.abstract
    if isinstance(record, Trial):
        parts = [record.official_title, record.brief_summary, "; ".join(record.conditions),
                 "; ".join(i.name for i in record.interventions)]
        return "\n".join(p for p in parts if p)
    return record.summary


def _record_trial_changes(session: Session, row: RecordRow, new: Trial, now: datetime) -> None:
    old = load_record(row)
    if not isinstance(old, Trial):
        return
    for change in diff_trials(old, new):
        session.add(TrialChangeRow(record_id=row.id, nct_id=new.nct_id, field=change.field,
                                   before=change.before, after=change.after,
                                   source_date=new.last_update_post_date, detected_at=now))


def replace_labels(session: Session, record_id: int, cls: Classification) -> None:
    session.execute(delete(LabelRow).where(LabelRow.record_id == record_id))
    for label in cls.labels:
        session.add(LabelRow(record_id=record_id, family=label.family, value=label.value,
                             field=label.field, evidence=label.evidence[:500]))


def store_links_and_flags(session: Session, record_id: int, record: Record) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for spec in linking.links_for(record):
        session.execute(insert(LinkRow.__table__).values(
            pmid=spec.pmid, nct_id=spec.nct_id, kind=spec.kind, found_in=spec.found_in
        ).on_conflict_do_nothing(index_elements=["pmid", "nct_id", "kind"]))
    session.execute(delete(FlagRow).where(FlagRow.record_id == record_id,
                                          FlagRow.kind != "publication_gap"))
    for flag in linking.flags_for(record):
        session.add(FlagRow(record_id=record_id, kind=flag.kind, ref_pmid=flag.ref_pmid,
                            evidence=flag.evidence))
