"""PostgreSQL backend: same store as SQLite, concurrent syncs.

Runs in every session, on the server from conftest (LITWATCH_TEST_PG_URL, else an
embedded one).  Each test works in a fresh database it drops after.  Migrations on both
backends are in test_migrations.py.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from litwatch.search import search_records
from litwatch.store.engine import open_engine
from litwatch.sync.gaps import refresh_publication_gaps
from litwatch.sync.load import load_directory
from testkit.emulator import Emulator
from tests.conftest import REALDATA, REPO, drop_pg_database, fresh_pg_database
from tests.test_faults import LATE, Lab, build_corpus
from tests.test_kill import EmulatorProcess, litwatch_env, write_config


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("pg-corpus"), papers=40, trials=16)


@pytest.fixture(scope="module")
def emulator(corpus: Path) -> Iterator[Emulator]:
    with Emulator(corpus, today=LATE) as emu:
        yield emu


@pytest.fixture
def pg_url() -> Iterator[str]:
    url = fresh_pg_database()
    yield url
    drop_pg_database(url)


def snapshot(engine: Engine) -> dict[str, object]:
    """Everything a sync decides, in backend-neutral form (no ids, no timestamps)."""
    with engine.connect() as conn:
        records = {(s, i): (h, q) for s, i, h, q in conn.execute(text(
            "SELECT source, source_id, content_hash, matched_queries FROM record"))}
        labels = Counter(conn.execute(text(
            "SELECT r.source, r.source_id, l.family, l.value, l.field, l.evidence "
            "FROM label l JOIN record r ON r.id = l.record_id")).all())
        links = Counter(conn.execute(text("SELECT pmid, nct_id, kind FROM link")).all())
        flags = Counter(conn.execute(text(
            "SELECT r.source_id, f.kind, f.ref_pmid FROM flag f "
            "JOIN record r ON r.id = f.record_id")).all())
        marks = dict(conn.execute(text(
            "SELECT source || ':' || query, value FROM watermark")).all())
        total = conn.execute(text("SELECT count(*) FROM record")).scalar_one()
    assert total == len(records), "duplicate (source, source_id) rows"
    return {"records": records, "labels": labels, "links": links, "flags": flags,
            "watermarks": marks}


def test_sync_on_postgresql_equals_sync_on_sqlite(tmp_path: Path, corpus: Path,
                                                  emulator: Emulator, pg_url: str) -> None:
    on_sqlite = Lab(emulator, corpus, tmp_path / "lite.db")
    on_pg = Lab(emulator, corpus, url=pg_url)
    for lab in (on_sqlite, on_pg):
        report = lab.sync()
        assert report.ok, report.errors
    lite, pg = snapshot(on_sqlite.engine), snapshot(on_pg.engine)
    assert len(lite["records"]) > 40 and lite["labels"]
    for part in lite:
        assert pg[part] == lite[part], part
    # Full-text search finds the same records through tsvector/GIN as through FTS5.
    for query in ("ketamine", "depression", '"nasal spray"', "esketamine -depression"):
        found = [{(h.source, h.source_id) for h in search_records(lab.engine, query, limit=500)}
                 for lab in (on_sqlite, on_pg)]
        assert found[0] == found[1], query
        assert found[0] or query != "ketamine", "every record names ketamine"
    on_sqlite.close()
    on_pg.close()


def test_two_processes_syncing_one_database_lose_and_duplicate_nothing(
        tmp_path: Path, corpus: Path, pg_url: str) -> None:
    emulator = EmulatorProcess(corpus, tmp_path)
    try:
        # Two "machines": each its own config folder, so its own run lock (a lock is
        # per host; on one host the second sync would be refused, by design).
        configs = []
        for name in ("machine-a", "machine-b"):
            (tmp_path / name).mkdir()
            configs.append(write_config(tmp_path / name / "config.toml"))
        config = configs[0]
        # Slow efetch answers stretch the PubMed phase so that the two runs overlap even
        # if one process starts a little later.
        emulator.control("faults", "POST", {"route": "efetch", "kind": "slow", "times": None,
                                            "seconds": 0.3})
        # Both start on an empty database: they also race to create the schema.
        procs = [subprocess.Popen([sys.executable, "-m", "litwatch", "sync", "--quiet"],
                                  cwd=REPO, env=litwatch_env(c, pg_url, emulator, corpus),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for c in configs]
        outputs = [p.communicate(timeout=120) for p in procs]
        for proc, (out, err) in zip(procs, outputs, strict=True):
            assert proc.returncode == 0, out + err
        emulator.control("faults", "DELETE")
        clean_url = fresh_pg_database()
        try:
            clean = run_clean(clean_url, config, emulator, corpus)
        finally:
            drop_pg_database(clean_url)
    finally:
        emulator.stop()
    engine = open_engine(pg_url)
    both = snapshot(engine)
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT started, finished FROM sync_run WHERE source = "
                                 "'pubmed' AND query = 'depression' ORDER BY started")).all()
    engine.dispose()
    assert len(runs) == 2 and runs[1].started < runs[0].finished, \
        f"the two syncs did not run at the same time: {runs}"
    for part in clean:
        assert both[part] == clean[part], part


def run_clean(url: str, config: Path, emulator: EmulatorProcess, corpus: Path
              ) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-m", "litwatch", "sync", "--quiet"], cwd=REPO,
                          env=litwatch_env(config, url, emulator, corpus),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    engine = open_engine(url)
    try:
        return snapshot(engine)
    finally:
        engine.dispose()


def test_a_pooled_connection_the_server_dropped_is_replaced_after_idling(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No ping on every checkout (a round trip per search), but a connection idle past
    IDLE_PING_S is pinged, and one the server has dropped is replaced, not handed out."""
    from litwatch.store import engine as store_engine
    engine = open_engine(pg_url)
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    admin_engine = open_engine(pg_url)
    with admin_engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.commit()
    admin_engine.dispose()
    monkeypatch.setattr(store_engine, "IDLE_PING_S", 0.0)
    with engine.connect() as conn:           # pinged, found dead, replaced
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
        assert conn.execute(text("SELECT count(*) FROM record")).scalar_one() == 0
    engine.dispose()


def test_two_refreshes_of_publication_gaps_at_once_do_not_collide(pg_url: str) -> None:
    """Sync A has deleted and re-inserted the gap flags, not yet committed, when sync B
    refreshes them: B's DELETE waits for A, then cannot see A's new rows, so its
    insert of the same flags met uq_flag (seen in CI as a failed concurrent sync)."""
    today = date(2026, 11, 21)
    engine = open_engine(pg_url)
    try:
        load_directory(engine, REALDATA / "ctgov")
        assert refresh_publication_gaps(engine, today) > 0
        errors: list[BaseException] = []

        def other_sync() -> None:
            try:
                refresh_publication_gaps(engine, today)
            except BaseException as exc:          # reported by the main thread
                errors.append(exc)

        with engine.begin() as conn:              # sync A, mid-refresh
            conn.execute(text("CREATE TEMP TABLE gaps AS SELECT * FROM flag "
                              "WHERE kind = 'publication_gap'"))
            conn.execute(text("DELETE FROM flag WHERE kind = 'publication_gap'"))
            conn.execute(text("INSERT INTO flag SELECT * FROM gaps"))
            other = threading.Thread(target=other_sync)
            other.start()
            other.join(1.0)                       # B now waits on A's deleted rows
            assert other.is_alive()
        other.join(30)
        assert not errors, errors
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT count(*), count(DISTINCT record_id) FROM flag "
                                     "WHERE kind = 'publication_gap'")).one()
        assert kept[0] == kept[1] > 0
    finally:
        engine.dispose()
