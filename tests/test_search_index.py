"""The tantivy search index: derived from the store, caught up before it answers,
rebuilt on demand, equal to a rebuild after a SIGKILL mid-update, and on a shared
PostgreSQL store every machine's index sees every writer's records."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from litwatch.classify.labels import Classification
from litwatch.records import AbstractSection, Paper
from litwatch.search import build_filters, search_records
from litwatch.search.index import SearchIndex, forget, index_for
from litwatch.search.index_state import IndexState, index_dir, read_state, write_state
from litwatch.search.query import parse_query
from litwatch.store.changes import stamp_rows
from litwatch.store.engine import open_engine
from litwatch.sync.pipeline import Incoming, ingest_batch
from tests.conftest import REPO
from tests.test_search_data import labels

WORDS = ["ketamine", "esketamine", "depression", "nasal", "spray", "infusion", "rodents",
         "placebo", "suicidal", "ideation", "glutamate", "analgesia", "analgesic", "pain"]
QUERIES = ["ketamine", "depression", '"nasal spray"', "analges*", "rodents OR placebo",
           "ketamine -rodents", "suicidal ideation"]
FILTERS = [{}, {"indication": ["trd"]}, {"route": ["intranasal"], "design": ["rct"]},
           {"source": ["pubmed"]}]


def synthetic(n: int, start: int = 0, seed: int = 3) -> list[Incoming]:
    """Papers with random titles and abstracts from WORDS and pinned labels."""
    rng = random.Random(seed + start)
    out = []
    for i in range(start, start + n):
        title = " ".join(rng.choices(WORDS, k=5))
        abstract = " ".join(rng.choices(WORDS, k=40))
        record = Paper(pmid=str(70_000_000 + i), title=title.capitalize(),
                       abstract_sections=[AbstractSection(None, None, abstract)],
                       entrez_date=f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{i % 10}")
        cls = Classification(labels=labels(indication=rng.choice(["trd", "mdd", "ptsd"]),
                                           route=rng.choice(["intranasal", "intravenous"]),
                                           design=rng.choice(["rct", "cohort"])))
        out.append(Incoming(record, b"", cls))
    return out


def fill(engine: Engine, n: int, start: int = 0) -> None:
    for first in range(start, start + n, 500):
        ingest_batch(engine, synthetic(min(500, start + n - first), first))


def answers(engine: Engine) -> list:
    """Every query x filter's ids and scores, and the date listings: what must agree."""
    out = []
    for query in [*QUERIES, None]:
        for filters in FILTERS:
            if query is None and not filters:
                continue
            hits = search_records(engine, query, build_filters(**filters), limit=15,
                                  snippets=False)
            out.append([(h.source_id, None if h.score is None else round(h.score, 4))
                        for h in hits])
    return out


def rebuilt_answers(engine: Engine, folder: Path, monkeypatch: pytest.MonkeyPatch) -> list:
    """answers() from an index built from nothing in another folder."""
    monkeypatch.setenv("LITWATCH_INDEX_DIR", str(folder))
    forget()
    try:
        return answers(engine)
    finally:
        monkeypatch.undo()
        forget()


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    engine = open_engine(f"sqlite:///{tmp_path / 'index.db'}")
    yield engine
    engine.dispose()
    forget()


def test_index_matches_and_lists_what_the_database_full_text_does(
        store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(store, 600)

    def everything() -> list:
        out = []
        for query in [*QUERIES, None]:
            for filters in FILTERS[1:] if query is None else FILTERS:
                hits = search_records(store, query, build_filters(**filters), limit=None)
                ids = [h.source_id for h in hits]
                out.append(ids if query is None else sorted(ids))   # listings: in order
        return out

    with_index = everything()
    monkeypatch.setenv("LITWATCH_SEARCH_INDEX", "off")
    assert with_index == everything()
    assert all(with_index)


def test_writes_are_searchable_at_once_and_a_rebuild_changes_nothing(
        store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(store, 300)
    assert search_records(store, "ketamine", limit=1)
    ingest_batch(store, [Incoming(Paper(pmid="1", title="Zanzibar arketamine",
                                        entrez_date="2030-01-01"), b"", Classification())])
    (hit,) = search_records(store, "zanzibar")
    assert hit.source_id == "1"
    incremental = answers(store)
    assert incremental == rebuilt_answers(store, tmp_path / "fresh", monkeypatch)
    index = index_for(store)
    assert index.rebuild(store) == 301
    assert answers(store) == incremental


def test_an_updated_record_replaces_its_old_document(store: Engine) -> None:
    ingest_batch(store, [Incoming(Paper(pmid="7", title="Zorblax ketamine", modified_date="1"),
                                  b"", Classification())])
    assert [h.source_id for h in search_records(store, "zorblax")] == ["7"]
    ingest_batch(store, [Incoming(Paper(pmid="7", title="Quuxine ketamine", modified_date="2"),
                                  b"", Classification())])
    assert search_records(store, "zorblax") == []
    assert [h.source_id for h in search_records(store, "ketamine")] == ["7"]


def test_a_missing_or_damaged_index_is_rebuilt(store: Engine) -> None:
    fill(store, 200)
    before = answers(store)
    folder = index_dir(store.url)
    forget()
    for path in folder.iterdir():
        if path.suffix in (".idx", ".term", ".store") or path.name == "meta.json":
            path.write_bytes(b"garbage")
    assert answers(store) == before
    forget()
    (folder / "state.json").unlink()
    assert answers(store) == before


def test_a_new_store_at_the_same_path_gets_a_new_index(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'again.db'}"
    engine = open_engine(url)
    fill(engine, 100)
    assert search_records(engine, "ketamine", limit=200)
    engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp_path / 'again.db'}{suffix}").unlink(missing_ok=True)
    engine = open_engine(url)
    ingest_batch(engine, [Incoming(Paper(pmid="5", title="Only ketamine"), b"",
                                   Classification())])
    assert [h.source_id for h in search_records(engine, "ketamine", limit=200)] == ["5"]
    engine.dispose()
    forget()


_CHILD = """
import random, sys, time
from litwatch.search import index as search_index
from litwatch.store.engine import open_engine
from tests.test_search_index import fill
search_index.PAGE, search_index.COMMIT_EVERY = 150, 300    # many commits to die between
engine = open_engine(sys.argv[1])
index = search_index.index_for(engine)
print("go", flush=True)
start = 5_000
while True:
    index.rebuild(engine)
    fill(engine, 400, start)             # writes, then a catch-up of them
    index.catch_up(engine.connect())
    start += 400
"""


@pytest.mark.parametrize("delay", [0.15, 0.4, 0.9])
def test_a_kill_during_an_index_update_leaves_results_equal_to_a_rebuild(
        store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delay: float) -> None:
    fill(store, 1500)
    answers(store)
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(store.url)], cwd=REPO,
                             stdout=subprocess.PIPE, text=True)
    with child.stdout:
        assert child.stdout.readline().strip() == "go"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    forget()
    state = read_state(index_dir(store.url))
    after_kill = answers(store)
    assert after_kill == rebuilt_answers(store, tmp_path / "rebuilt", monkeypatch), state


def test_each_machine_sees_every_writer_on_a_shared_postgresql_store(
        pg_server: str, tmp_path: Path) -> None:
    from tests.conftest import drop_pg_database, fresh_pg_database
    url = fresh_pg_database()
    try:
        writers = [open_engine(url), open_engine(url)]
        machines = [SearchIndex(tmp_path / "machine-a"), SearchIndex(tmp_path / "machine-b")]
        threads = [threading.Thread(target=fill, args=(w, 400, 1000 * k))
                   for k, w in enumerate(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        with writers[0].connect() as conn:
            total = conn.execute(text("SELECT count(*) FROM record")).scalar()
        assert total == 800
        for machine, writer in zip(machines, reversed(writers), strict=True):
            with writer.connect() as conn:
                machine.catch_up(conn)
            assert len(machine.match_ids(parse_query("ketamine OR depression OR pain "
                                                     "OR placebo OR nasal"))) > 700
            assert machine.index.searcher().num_docs == 800
        fill(writers[1], 10, 5000)
        with writers[0].connect() as conn:
            assert machines[0].catch_up(conn) == 10
        for engine in writers:
            engine.dispose()
    finally:
        drop_pg_database(url)


def test_postgresql_stamps_follow_commit_order(pg_server: str) -> None:
    """A transaction stamping while another holds an earlier stamp waits for its commit:
    a reader can never see stamp N + 1 without stamp N."""
    from tests.conftest import drop_pg_database, fresh_pg_database
    url = fresh_pg_database()
    engine = open_engine(url)
    try:
        fill(engine, 2)
        with engine.connect() as conn:
            ids = conn.execute(text("SELECT id FROM record ORDER BY id")).scalars().all()
        first = engine.connect()
        first.begin()
        early = stamp_rows(first, [ids[0]])
        later: list[int] = []
        waiter = threading.Thread(target=lambda: later.append(_stamp_in_own_txn(engine,
                                                                                ids[1])))
        waiter.start()
        waiter.join(1.0)
        assert waiter.is_alive(), "the second stamp must wait for the first commit"
        first.commit()
        first.close()
        waiter.join(30)
        assert later and later[0] > early
    finally:
        engine.dispose()
        drop_pg_database(url)


def _stamp_in_own_txn(engine: Engine, record_id: int) -> int:
    with engine.begin() as conn:
        return stamp_rows(conn, [record_id])


def test_state_is_written_after_the_commit_it_describes(store: Engine) -> None:
    fill(store, 50)
    search_records(store, "ketamine")
    state = json.loads((index_dir(store.url) / "state.json").read_text())
    with store.connect() as conn:
        seq, last_id = conn.execute(text("SELECT change_seq, id FROM record "
                                         "ORDER BY change_seq DESC, id DESC LIMIT 1")).one()
    assert (state["seq"], state["last_id"]) == (seq, last_id)


def test_the_read_path_tables_name_only_real_columns() -> None:
    from litwatch.store.read import LABEL, RECORD
    from litwatch.store.tables import LabelRow, RecordRow
    for light, model in ((RECORD, RecordRow.__table__), (LABEL, LabelRow.__table__)):
        assert light.name == model.name
        assert {c.name for c in light.c} <= {c.name for c in model.c}


def test_the_cli_export_formats_are_the_exporters() -> None:
    from litwatch.cli.search_cmd import EXPORT_FORMATS
    from litwatch.search.export import FORMATS
    assert EXPORT_FORMATS == FORMATS


def test_search_reindex_rebuilds_from_the_store(store: Engine, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from litwatch.cli import main
    from tests.conftest import CONFIG
    fill(store, 30)
    monkeypatch.setenv("LITWATCH_DATABASE_URL", str(store.url))
    assert main(["--config", str(CONFIG), "search", "--reindex"]) == 0
    assert "rebuilt from 30 records" in capsys.readouterr().err
    assert main(["--config", str(CONFIG), "search", "--reindex", "ketamine",
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)


def test_a_state_left_mid_commit_makes_the_next_search_rebuild(
        store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A process killed between "committing" and the state after the commit may have
    # left rows in the index beyond its position: the next search starts again.
    fill(store, 300)
    answers(store)
    folder = index_dir(store.url)
    state = read_state(folder)
    assert state is not None and not state.committing
    write_state(folder, IndexState(state.version, 0, 0, state.store, committing=True))
    forget()
    assert answers(store) == rebuilt_answers(store, tmp_path / "rebuilt", monkeypatch)
    after = read_state(folder)
    assert after is not None and not after.committing and after.position == state.position
