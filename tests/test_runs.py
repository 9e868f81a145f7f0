"""Run bookkeeping: a sync_run a killed process left "running" is closed by the next run."""

from __future__ import annotations

from sqlmodel import Session, select

from litwatch.http import HttpClient
from litwatch.store.runs import RunCounts, finish_run, start_run
from litwatch.store.tables import SyncRunRow
from litwatch.sync import SyncContext, run_sync


def statuses(engine) -> dict[int, str]:
    with Session(engine) as s:
        return {r.id: r.status for r in s.exec(select(SyncRunRow))}


def test_next_sync_closes_runs_left_running_as_interrupted(engine, settings) -> None:
    killed = start_run(engine, "pubmed", "trd", None, "2026-11-16")   # never finished
    done = start_run(engine, "ctgov", "trd", None, "2026-11-16")
    finish_run(engine, done, RunCounts(), None, watermark="2026-11-16")
    assert statuses(engine) == {killed: "running", done: "ok"}

    ctx = SyncContext(settings, engine, HttpClient(settings.http))
    report = run_sync(ctx, sources=[])
    assert report.interrupted == 1
    assert statuses(engine) == {killed: "interrupted", done: "ok"}
    with Session(engine) as s:
        row = s.get(SyncRunRow, killed)
        assert row.finished is not None and "stopped before it finished" in row.error


def test_on_postgresql_only_stale_running_rows_are_closed(tmp_path) -> None:
    """A shared PostgreSQL store is written from several hosts: a run another machine
    started an hour ago is alive as far as this host knows; one from yesterday is not."""
    from datetime import timedelta

    from sqlalchemy import update

    from litwatch.store.engine import open_engine
    from litwatch.store.runs import close_interrupted_runs
    from litwatch.store.tables import utcnow
    from tests.conftest import drop_pg_database, fresh_pg_database

    url = fresh_pg_database()
    engine = open_engine(url)
    try:
        recent = start_run(engine, "pubmed", "trd", None, "2026-11-16")
        old = start_run(engine, "pubmed", "mdd", None, "2026-11-15")
        with engine.begin() as conn:
            conn.execute(update(SyncRunRow).where(SyncRunRow.id == old)
                         .values(started=utcnow() - timedelta(days=1)))
        assert close_interrupted_runs(engine) == 1
        assert statuses(engine) == {recent: "running", old: "interrupted"}
    finally:
        engine.dispose()
        drop_pg_database(url)
