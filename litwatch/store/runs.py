"""Sync runs, watermarks and feed validators: the bookkeeping of incremental sync.

A watermark is the date up to which a (source, query) is known complete.  It is
written in the same transaction that marks the run "ok", and only then, so a
failed run leaves the previous watermark and the next run re-reads the gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, case
from sqlmodel import Session, col, select

from litwatch.store.derived import dialect_insert
from litwatch.store.read import chunked
from litwatch.store.tables import (
    FeedStateRow,
    RecordRow,
    SyncRunRow,
    WatermarkRow,
    table_of,
    utcnow,
)
from litwatch.store.upsert import UpsertCounts

# No sync runs this long; a PostgreSQL run "running" for longer was left by a dead process.
STALE_RUN = timedelta(hours=12)


@dataclass
class RunCounts:
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    requests: int = 0

    def add(self, other: RunCounts) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    def add_stored(self, stored: UpsertCounts) -> None:
        """Count what one upsert_batch call reported."""
        self.new += stored.new
        self.updated += stored.updated
        self.unchanged += stored.unchanged


def get_watermark(engine: Engine, source: str, query: str) -> str | None:
    with Session(engine) as session:
        row = session.get(WatermarkRow, (source, query))
        return row.value if row else None


def start_run(engine: Engine, source: str, query: str, window_start: str | None,
              window_end: str | None) -> int:
    with Session(engine) as session:
        run = SyncRunRow(source=source, query=query, window_start=window_start,
                         window_end=window_end)
        session.add(run)
        session.commit()
        assert run.id is not None
        return run.id


def finish_run(engine: Engine, run_id: int, counts: RunCounts, error: str | None = None,
               watermark: str | None = None) -> None:
    """Close a run; on success (no error) advance the watermark in the same transaction."""
    with Session(engine) as session, session.begin():
        run = session.get(SyncRunRow, run_id)
        assert run is not None
        run.finished = utcnow()
        run.status = "failed" if error else "ok"
        run.error = (error or "")[:2000]
        for name, value in vars(counts).items():
            setattr(run, name, value)
        session.add(run)
        if not error and watermark:
            _advance_watermark(session.connection(), run.source, run.query, watermark)


def _advance_watermark(conn: Connection, source: str, query: str, value: str) -> None:
    """Insert or raise the watermark in one statement: two processes finishing the same
    query at once (PostgreSQL) must not both try to create it, and it never goes back."""
    table = table_of(WatermarkRow)
    stmt = dialect_insert(conn, table).values(source=source, query=query, value=value,
                                              updated_at=utcnow())
    stmt = stmt.on_conflict_do_update(
        index_elements=["source", "query"],
        set_={"value": case((stmt.excluded.value > table.c.value, stmt.excluded.value),
                            else_=table.c.value),
              "updated_at": stmt.excluded.updated_at})
    conn.execute(stmt)


def _stored_columns(engine: Engine, source: str, ids: list[str], *columns: object) -> list:
    """(source_id, *columns) rows of the stored records among `ids`."""
    rows: list = []
    with Session(engine) as session:
        for chunk in chunked(ids):
            rows += session.exec(select(RecordRow.source_id, *columns).where(
                col(RecordRow.source) == source, col(RecordRow.source_id).in_(chunk))).all()
    return rows


def fetched_dates(engine: Engine, source: str, ids: list[str]) -> dict[str, str]:
    """source_id -> ISO date we last fetched it, for the ids already stored."""
    # A row with no payload is a stub, never fetched in full.
    return {source_id: fetched_at.date().isoformat() for source_id, fetched_at, raw
            in _stored_columns(engine, source, ids, RecordRow.fetched_at, RecordRow.raw) if raw}


def stored_versions(engine: Engine, source: str, ids: list[str]) -> dict[str, str | None]:
    """source_id -> the source modification date of our stored copy."""
    return dict(_stored_columns(engine, source, ids, RecordRow.source_modified))


def get_feed_state(engine: Engine, name: str) -> FeedStateRow | None:
    with Session(engine) as session:
        return session.get(FeedStateRow, name)


def set_feed_state(engine: Engine, name: str, etag: str, last_modified: str) -> None:
    with Session(engine) as session, session.begin():
        row = session.get(FeedStateRow, name) or FeedStateRow(name=name)
        row.etag, row.last_modified, row.updated_at = etag, last_modified, utcnow()
        session.add(row)


def close_interrupted_runs(engine: Engine, now: datetime | None = None) -> int:
    """Close sync_run rows a killed process left "running"; return how many.

    Called while holding the run lock.  The lock is per host: on SQLite (a file on
    this host) no other sync can be running, so every "running" row belongs to a
    process that died.  A PostgreSQL store may be written from several machines,
    whose live runs this host cannot see; there only runs that have been "running"
    for longer than any sync takes (STALE_RUN) are closed."""
    table = table_of(SyncRunRow)
    stmt = table.update().where(table.c.status == "running")
    if engine.dialect.name != "sqlite":
        stmt = stmt.where(table.c.started < (now or utcnow()) - STALE_RUN)
    with engine.begin() as conn:
        result = conn.execute(stmt.values(
            status="interrupted", finished=utcnow(),
            error="the process running this sync stopped before it finished "
                  "(killed or crashed)"))
        return result.rowcount or 0
