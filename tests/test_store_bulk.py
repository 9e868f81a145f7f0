"""Backfills: worker processes prepare, the FTS5 triggers are off meanwhile, and a load
killed mid-way leaves a store whose full text is repaired on the next open."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from litwatch.store import bulk
from litwatch.store.engine import open_engine
from litwatch.sync import load, workers
from litwatch.sync.load import load_directory
from tests.conftest import REALDATA, REPO


def fts_hits(engine: Engine, words: str) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text(
            "SELECT r.source_id FROM record_fts f JOIN record r ON r.id = f.rowid "
            "WHERE record_fts MATCH :q ORDER BY r.source_id"), {"q": words})]


def consistent(engine: Engine) -> bool:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO record_fts(record_fts) VALUES ('integrity-check')"))
        return not bulk.triggers_missing(conn)


def rows(engine: Engine) -> dict:
    with engine.connect() as conn:
        return {"records": conn.execute(text(
                    "SELECT source, source_id, title, abstract, design, summary, data "
                    "FROM record ORDER BY source, source_id")).all(),
                "labels": sorted(conn.execute(text(
                    "SELECT r.source_id, l.family, l.value, l.field, l.evidence "
                    "FROM label l JOIN record r ON r.id = l.record_id")).all()),
                "sentences": conn.execute(text("SELECT count(*) FROM sentence")).scalar()}


def test_the_triggers_are_revision_0001s() -> None:
    revision = (REPO / "litwatch/store/alembic/versions/0001_initial_schema.py").read_text()
    squeeze = lambda s: " ".join(s.split())  # noqa: E731
    for ddl in bulk.TRIGGERS.values():
        assert squeeze(ddl) in squeeze(revision)


def test_a_large_load_in_workers_without_triggers_stores_what_one_process_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = open_engine(f"sqlite:///{tmp_path / 'one.db'}")
    load_directory(one, REALDATA)
    monkeypatch.setattr(workers, "MIN_RECORDS", 1)
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    monkeypatch.setattr(bulk, "MIN_BULK", 1)
    monkeypatch.setattr(load, "_FILES_PER_JOB", 3)
    many = open_engine(f"sqlite:///{tmp_path / 'many.db'}")
    load_directory(many, REALDATA)
    assert rows(many) == rows(one)
    assert consistent(many)
    assert fts_hits(many, "ketamine") == fts_hits(one, "ketamine")
    one.dispose()
    many.dispose()


_CHILD = """
import sys, time
from litwatch.store import bulk
from litwatch.store.engine import open_engine
from litwatch.sync.load import load_directory
from tests.conftest import REALDATA
bulk.MIN_BULK = 1
engine = open_engine(sys.argv[1])
with bulk.deferred_full_text(engine, 10**6):
    load_directory(engine, REALDATA)
    print("loaded", flush=True)
    time.sleep(60)
"""


def test_a_load_killed_with_the_triggers_off_is_repaired_on_the_next_open(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    open_engine(url).dispose()
    child = subprocess.Popen([sys.executable, "-c", _CHILD, url], cwd=REPO,
                             stdout=subprocess.PIPE, text=True)
    with child.stdout:
        assert child.stdout.readline().strip() == "loaded"
        # While the load lives, opening the store leaves its triggers to it.
        engine = open_engine(url)
        with engine.connect() as conn:
            assert bulk.triggers_missing(conn)
        assert fts_hits(engine, "ketamine") == []          # not indexed yet
        engine.dispose()
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    engine = open_engine(url)                               # repairs
    assert consistent(engine)
    reference = open_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    load_directory(reference, REALDATA)
    assert fts_hits(engine, "ketamine") == fts_hits(reference, "ketamine") != []
    for engine_ in (engine, reference):
        engine_.dispose()


def test_a_trial_change_detector_survives_the_trip_to_a_worker(tmp_path: Path) -> None:
    import pickle

    from litwatch.sync.workers import prepare_files
    path = next(p for p in sorted((REALDATA / "ctgov").rglob("*.json")))
    prepared = pickle.loads(pickle.dumps(prepare_files([str(path)])))
    trial = next(p for p in prepared if p.changes_since is not None)
    assert re.match(r"NCT\d{8}", trial.source_id)
