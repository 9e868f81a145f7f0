"""Migrations on SQLite and PostgreSQL: alembic revisions, upgrades of older databases.

A database made at revision 0001, and one made by the numbered steps that came before
alembic (their DDL is replayed here as it was), upgrade to a schema identical to a new
database's (SQLAlchemy's inspector plus sqlite_master / pg_catalog) and keep their data.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import SQLModel

from litwatch.store.engine import open_engine
from litwatch.store.migrations import (
    HEAD,
    STEPS,
    alembic_config,
    current_revisions,
    include_in_autogenerate,
    migrate,
    script_directory,
)
from tests.conftest import BACKENDS, REPO, drop_pg_database, fresh_pg_database


@pytest.fixture
def new_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """Makes fresh empty database URLs on a backend; drops them after the test."""
    made: list[str] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / f'db{len(made)}.db'}"
        else:
            url = fresh_pg_database()
        made.append(url)
        return url

    yield make
    for url in made:
        if url.startswith("postgresql"):
            drop_pg_database(url)


_reference: dict[str, dict[str, Any]] = {}


def reference_schema(backend: str, new_url: Any) -> dict[str, Any]:
    """The schema of a database created new at head (once per backend)."""
    if backend not in _reference:
        engine = open_engine(new_url(backend))
        _reference[backend] = schema_of(engine)
        engine.dispose()
    return _reference[backend]


def schema_of(engine: Engine) -> dict[str, Any]:
    """Tables, columns (in order), keys, indexes, constraints, triggers, FTS objects."""
    insp = inspect(engine)
    out: dict[str, Any] = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], str(c.get("default")),
                         str(c.get("computed")), c.get("autoincrement"))
                        for c in insp.get_columns(table)],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                           tuple(f["referred_columns"]), str(f.get("options")))
                          for f in insp.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), i["unique"])
                              for i in insp.get_indexes(table)),
            "unique": sorted((u["name"], tuple(u["column_names"]))
                             for u in insp.get_unique_constraints(table)),
        }
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            out["sqlite_master"] = sorted(
                (kind, name, table, " ".join((sql or "").split()))
                for kind, name, table, sql in conn.execute(text(
                    "SELECT type, name, tbl_name, sql FROM sqlite_master")))
        else:
            out["pg_catalog"] = {
                "indexes": sorted(conn.execute(text(
                    "SELECT tablename, indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = 'public'")).all()),
                "constraints": sorted(conn.execute(text(
                    "SELECT conrelid::regclass::text, conname, contype, "
                    "pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE connamespace = 'public'::regnamespace")).all()),
                "triggers": sorted(conn.execute(text(
                    "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) "
                    "FROM pg_trigger WHERE NOT tgisinternal")).all()),
                # Ranked, not attnum: a dropped and re-added column leaves a gap.
                "columns": sorted(conn.execute(text(
                    "SELECT table_name, rank() OVER (PARTITION BY table_name ORDER BY "
                    "ordinal_position), column_name, data_type, is_nullable, column_default, "
                    "is_generated, generation_expression "
                    "FROM information_schema.columns WHERE table_schema = 'public'")).all()),
                "sequences": sorted(conn.execute(text(
                    "SELECT sequencename, data_type::text FROM pg_sequences "
                    "WHERE schemaname = 'public'")).all()),
            }
    return out


# --- The numbered steps as they ran before alembic: their DDL, verbatim -------------

_OLD_TABLES = {
    "sqlite": """
CREATE TABLE schema_version (
	version INTEGER NOT NULL, description VARCHAR NOT NULL, applied_at DATETIME NOT NULL,
	PRIMARY KEY (version)
);
CREATE TABLE digest_run (
	id INTEGER NOT NULL, week VARCHAR NOT NULL, window_start VARCHAR NOT NULL,
	window_end VARCHAR NOT NULL, status VARCHAR NOT NULL, created DATETIME NOT NULL,
	sent_at DATETIME, attempts INTEGER NOT NULL, error VARCHAR NOT NULL,
	archive_path VARCHAR NOT NULL, message_id VARCHAR NOT NULL, item_count INTEGER NOT NULL,
	html_bytes INTEGER NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_digest_run_week ON digest_run (week);
CREATE TABLE feed_state (
	name VARCHAR NOT NULL, etag VARCHAR NOT NULL, last_modified VARCHAR NOT NULL,
	updated_at DATETIME NOT NULL,
	PRIMARY KEY (name)
);
CREATE TABLE link (
	id INTEGER NOT NULL, pmid VARCHAR NOT NULL, nct_id VARCHAR NOT NULL,
	kind VARCHAR NOT NULL, found_in VARCHAR NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_link UNIQUE (pmid, nct_id, kind)
);
CREATE INDEX ix_link_nct ON link (nct_id);
CREATE INDEX ix_link_pmid ON link (pmid);
CREATE TABLE record (
	id INTEGER NOT NULL, source VARCHAR NOT NULL, source_id VARCHAR NOT NULL,
	title TEXT NOT NULL, abstract TEXT NOT NULL, journal VARCHAR NOT NULL, year INTEGER,
	doi VARCHAR, pub_date VARCHAR NOT NULL, entry_date VARCHAR, source_modified VARCHAR,
	first_seen DATETIME NOT NULL, last_changed DATETIME NOT NULL,
	fetched_at DATETIME NOT NULL, content_hash VARCHAR NOT NULL, raw BLOB NOT NULL,
	data TEXT NOT NULL, matched_queries VARCHAR NOT NULL, design VARCHAR, phase VARCHAR,
	status VARCHAR, sample_size INTEGER, summary TEXT NOT NULL, retracted BOOLEAN NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_record_source_id UNIQUE (source, source_id)
);
CREATE INDEX ix_record_design ON record (design);
CREATE INDEX ix_record_doi ON record (doi);
CREATE INDEX ix_record_entry_date ON record (entry_date);
CREATE INDEX ix_record_source ON record (source);
CREATE TABLE sync_run (
	id INTEGER NOT NULL, source VARCHAR NOT NULL, "query" VARCHAR NOT NULL,
	window_start VARCHAR, window_end VARCHAR, started DATETIME NOT NULL, finished DATETIME,
	status VARCHAR NOT NULL, fetched INTEGER NOT NULL, new INTEGER NOT NULL,
	updated INTEGER NOT NULL, unchanged INTEGER NOT NULL, failed INTEGER NOT NULL,
	requests INTEGER NOT NULL, error VARCHAR NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_sync_run_source ON sync_run (source);
CREATE TABLE watermark (
	source VARCHAR NOT NULL, "query" VARCHAR NOT NULL, value VARCHAR NOT NULL,
	updated_at DATETIME NOT NULL,
	PRIMARY KEY (source, "query")
);
CREATE TABLE flag (
	id INTEGER NOT NULL, record_id INTEGER NOT NULL, kind VARCHAR NOT NULL,
	ref_pmid VARCHAR NOT NULL, evidence VARCHAR NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_flag UNIQUE (record_id, kind, ref_pmid),
	FOREIGN KEY(record_id) REFERENCES record (id)
);
CREATE INDEX ix_flag_record_id ON flag (record_id);
CREATE TABLE label (
	id INTEGER NOT NULL, record_id INTEGER NOT NULL, family VARCHAR NOT NULL,
	value VARCHAR NOT NULL, field VARCHAR NOT NULL, evidence VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(record_id) REFERENCES record (id)
);
CREATE INDEX ix_label_family_value ON label (family, value);
CREATE INDEX ix_label_record_id ON label (record_id);
CREATE TABLE trial_change (
	id INTEGER NOT NULL, record_id INTEGER NOT NULL, nct_id VARCHAR NOT NULL,
	field VARCHAR NOT NULL, "before" VARCHAR NOT NULL, "after" VARCHAR NOT NULL,
	source_date VARCHAR, detected_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(record_id) REFERENCES record (id)
);
CREATE INDEX ix_trial_change_nct_id ON trial_change (nct_id);
CREATE INDEX ix_trial_change_record_id ON trial_change (record_id);
""",
    "postgresql": """
CREATE TABLE schema_version (
	version SERIAL NOT NULL, description VARCHAR NOT NULL,
	applied_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (version)
);
CREATE TABLE digest_run (
	id SERIAL NOT NULL, week VARCHAR NOT NULL, window_start VARCHAR NOT NULL,
	window_end VARCHAR NOT NULL, status VARCHAR NOT NULL,
	created TIMESTAMP WITH TIME ZONE NOT NULL, sent_at TIMESTAMP WITH TIME ZONE,
	attempts INTEGER NOT NULL, error VARCHAR NOT NULL, archive_path VARCHAR NOT NULL,
	message_id VARCHAR NOT NULL, item_count INTEGER NOT NULL, html_bytes INTEGER NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_digest_run_week ON digest_run (week);
CREATE TABLE feed_state (
	name VARCHAR NOT NULL, etag VARCHAR NOT NULL, last_modified VARCHAR NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (name)
);
CREATE TABLE link (
	id SERIAL NOT NULL, pmid VARCHAR NOT NULL, nct_id VARCHAR NOT NULL,
	kind VARCHAR NOT NULL, found_in VARCHAR NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_link UNIQUE (pmid, nct_id, kind)
);
CREATE INDEX ix_link_nct ON link (nct_id);
CREATE INDEX ix_link_pmid ON link (pmid);
CREATE TABLE record (
	id SERIAL NOT NULL, source VARCHAR NOT NULL, source_id VARCHAR NOT NULL,
	title TEXT NOT NULL, abstract TEXT NOT NULL, journal VARCHAR NOT NULL, year INTEGER,
	doi VARCHAR, pub_date VARCHAR NOT NULL, entry_date VARCHAR, source_modified VARCHAR,
	first_seen TIMESTAMP WITH TIME ZONE NOT NULL,
	last_changed TIMESTAMP WITH TIME ZONE NOT NULL,
	fetched_at TIMESTAMP WITH TIME ZONE NOT NULL, content_hash VARCHAR NOT NULL,
	raw BYTEA NOT NULL, data TEXT NOT NULL, matched_queries VARCHAR NOT NULL,
	design VARCHAR, phase VARCHAR, status VARCHAR, sample_size INTEGER,
	summary TEXT NOT NULL, retracted BOOLEAN NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_record_source_id UNIQUE (source, source_id)
);
CREATE INDEX ix_record_design ON record (design);
CREATE INDEX ix_record_doi ON record (doi);
CREATE INDEX ix_record_entry_date ON record (entry_date);
CREATE INDEX ix_record_source ON record (source);
CREATE TABLE sync_run (
	id SERIAL NOT NULL, source VARCHAR NOT NULL, query VARCHAR NOT NULL,
	window_start VARCHAR, window_end VARCHAR, started TIMESTAMP WITH TIME ZONE NOT NULL,
	finished TIMESTAMP WITH TIME ZONE, status VARCHAR NOT NULL, fetched INTEGER NOT NULL,
	"new" INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
	failed INTEGER NOT NULL, requests INTEGER NOT NULL, error VARCHAR NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_sync_run_source ON sync_run (source);
CREATE TABLE watermark (
	source VARCHAR NOT NULL, query VARCHAR NOT NULL, value VARCHAR NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (source, query)
);
CREATE TABLE flag (
	id SERIAL NOT NULL, record_id INTEGER NOT NULL, kind VARCHAR NOT NULL,
	ref_pmid VARCHAR NOT NULL, evidence VARCHAR NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_flag UNIQUE (record_id, kind, ref_pmid),
	FOREIGN KEY(record_id) REFERENCES record (id)
);
CREATE INDEX ix_flag_record_id ON flag (record_id);
CREATE TABLE label (
	id SERIAL NOT NULL, record_id INTEGER NOT NULL, family VARCHAR NOT NULL,
	value VARCHAR NOT NULL, field VARCHAR NOT NULL, evidence VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(record_id) REFERENCES record (id)
);
CREATE INDEX ix_label_family_value ON label (family, value);
CREATE INDEX ix_label_record_id ON label (record_id);
CREATE TABLE trial_change (
	id SERIAL NOT NULL, record_id INTEGER NOT NULL, nct_id VARCHAR NOT NULL,
	field VARCHAR NOT NULL, before VARCHAR NOT NULL, after VARCHAR NOT NULL,
	source_date VARCHAR, detected_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(record_id) REFERENCES record (id)
);
CREATE INDEX ix_trial_change_nct_id ON trial_change (nct_id);
CREATE INDEX ix_trial_change_record_id ON trial_change (record_id);
""",
}

_OLD_FULL_TEXT = {
    "sqlite": [
        """CREATE VIRTUAL TABLE IF NOT EXISTS record_fts USING fts5(
               title, abstract, content='record', content_rowid='id',
               tokenize='porter unicode61 remove_diacritics 2')""",
        """CREATE TRIGGER IF NOT EXISTS record_fts_ai AFTER INSERT ON record BEGIN
               INSERT INTO record_fts(rowid, title, abstract)
               VALUES (new.id, new.title, new.abstract);
           END""",
        """CREATE TRIGGER IF NOT EXISTS record_fts_ad AFTER DELETE ON record BEGIN
               INSERT INTO record_fts(record_fts, rowid, title, abstract)
               VALUES ('delete', old.id, old.title, old.abstract);
           END""",
        """CREATE TRIGGER IF NOT EXISTS record_fts_au AFTER UPDATE OF title, abstract ON record
           BEGIN
               INSERT INTO record_fts(record_fts, rowid, title, abstract)
               VALUES ('delete', old.id, old.title, old.abstract);
               INSERT INTO record_fts(rowid, title, abstract)
               VALUES (new.id, new.title, new.abstract);
           END""",
        "INSERT INTO record_fts(record_fts) VALUES ('rebuild')",
    ],
    "postgresql": [
        """ALTER TABLE record ADD COLUMN IF NOT EXISTS search_vector tsvector
               GENERATED ALWAYS AS (
                   setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                   setweight(to_tsvector('english', coalesce(abstract, '')), 'B')
               ) STORED""",
        "CREATE INDEX IF NOT EXISTS ix_record_search_vector ON record USING GIN "
        "(search_vector)",
    ],
}

_OLD_LISTING_INDEXES = [
    "CREATE INDEX IF NOT EXISTS ix_record_source_entry ON record (source, entry_date)",
    "CREATE INDEX IF NOT EXISTS ix_label_record_family ON label (record_id, family)",
]


def make_numbered_steps_database(engine: Engine, steps: tuple[int, ...]) -> None:
    """What litwatch before alembic left behind after running `steps`."""
    dialect = engine.dialect.name
    with engine.begin() as conn:
        for statement in _OLD_TABLES[dialect].split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
        if 2 in steps:
            for statement in _OLD_FULL_TEXT[dialect]:
                conn.exec_driver_sql(statement)
        if 3 in steps:
            for statement in _OLD_LISTING_INDEXES:
                conn.exec_driver_sql(statement)
        for version, description, _ in STEPS:
            if version in steps:
                conn.execute(text("INSERT INTO schema_version (version, description, "
                                  "applied_at) VALUES (:v, :d, CURRENT_TIMESTAMP)"),
                             {"v": version, "d": description})


# --- Data that must survive ----------------------------------------------------------

_RECORD = ("INSERT INTO record (id, source, source_id, title, abstract, journal, year, "
           "pub_date, entry_date, first_seen, last_changed, fetched_at, content_hash, raw, "
           "data, matched_queries, design, summary, retracted) VALUES (:id, :source, :sid, "
           ":title, :abstract, 'J Psychopharmacol', 2024, '2024-03-01', '2024-03-02', "
           "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :hash, :raw, :data, "
           "'[\"depression\"]', 'rct', 'A trial.', false)")

_ROWS = [
    (_RECORD, {"id": 1, "source": "pubmed", "sid": "111", "title":
               "Intranasal esketamine in treatment-resistant depression", "abstract":
               "Randomised, placebo-controlled; MADRS fell by 4.1 points.", "hash": "h1",
               "raw": b"x\x9c\x03\x00\x00\x00\x00\x01", "data": json.dumps({"pmid": "111"})}),
    (_RECORD, {"id": 2, "source": "ctgov", "sid": "NCT00000002", "title":
               "Arketamine for bipolar depression", "abstract": "An open-label study.",
               "hash": "h2", "raw": b"", "data": "{}"}),
    ("INSERT INTO label (record_id, family, value, field, evidence) VALUES "
     "(1, 'drug', 'esketamine', 'title', 'esketamine'), "
     "(1, 'route', 'intranasal', 'title', 'Intranasal')", {}),
    ("INSERT INTO link (pmid, nct_id, kind, found_in) VALUES "
     "('111', 'NCT00000002', 'databank', 'pubmed')", {}),
    ("INSERT INTO flag (record_id, kind, ref_pmid, evidence) VALUES "
     "(1, 'erratum', '999', 'Erratum in ...')", {}),
    ("INSERT INTO trial_change (record_id, nct_id, field, before, after, source_date, "
     "detected_at) VALUES (2, 'NCT00000002', 'overall_status', 'RECRUITING', 'COMPLETED', "
     "'2024-05-01', CURRENT_TIMESTAMP)", {}),
    ("INSERT INTO sync_run (source, query, started, status, fetched, new, updated, "
     "unchanged, failed, requests, error) VALUES ('pubmed', 'depression', "
     "CURRENT_TIMESTAMP, 'ok', 2, 1, 0, 1, 0, 3, '')", {}),
    ("INSERT INTO watermark (source, query, value, updated_at) VALUES "
     "('pubmed', 'depression', '2024-03-02', CURRENT_TIMESTAMP)", {}),
    ("INSERT INTO feed_state (name, etag, last_modified, updated_at) VALUES "
     "('jpsychopharm', 'W/\"1\"', 'Sat, 02 Mar 2024 00:00:00 GMT', CURRENT_TIMESTAMP)", {}),
    ("INSERT INTO digest_run (week, window_start, window_end, status, created, attempts, "
     "error, archive_path, message_id, item_count, html_bytes) VALUES ('2024-W09', "
     "'2024-02-26', '2024-03-03', 'sent', CURRENT_TIMESTAMP, 1, '', 'a.html', '<m@x>', 2, "
     "1234)", {}),
]

_TABLES = ["record", "label", "link", "flag", "trial_change", "sync_run", "watermark",
           "feed_state", "digest_run"]


def fill(engine: Engine) -> None:
    with engine.begin() as conn:
        for statement, params in _ROWS:
            conn.execute(text(statement), params)
        if engine.dialect.name == "postgresql":    # explicit ids: move the sequence on
            conn.execute(text("SELECT setval('record_id_seq', 2)"))


# Columns an upgrade adds (search_vector: to a database made before full-text search).
_ADDED = {"sentence_idx", "search_vector", "change_seq"}


def contents(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        return {table: [{k: v for k, v in row._mapping.items() if k not in _ADDED}
                        for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
                for table in _TABLES}


def revisions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return current_revisions(conn)


def full_text_hits(conn: Connection, words: str) -> list[str]:
    if conn.dialect.name == "postgresql":
        query = ("SELECT source_id FROM record WHERE search_vector @@ "
                 "plainto_tsquery('english', :q) ORDER BY source_id")
    else:
        query = ("SELECT r.source_id FROM record_fts f JOIN record r ON r.id = f.rowid "
                 "WHERE record_fts MATCH :q ORDER BY r.source_id")
    return [row[0] for row in conn.execute(text(query), {"q": words})]


def check_upgraded(engine: Engine, before: dict[str, Any], backend: str,
                   new_url: Any) -> None:
    """Same schema as a new database, same data, and the new layer works."""
    assert revisions(engine) == [HEAD]
    assert schema_of(engine) == reference_schema(backend, new_url)
    assert contents(engine) == before
    with engine.begin() as conn:
        assert conn.execute(text("SELECT version FROM schema_version ORDER BY 1")
                            ).scalars().all() == [1, 2, 3]
        assert conn.execute(text("SELECT DISTINCT sentence_idx FROM label")).all() == [(None,)]
        # Rows that were there get the first change stamp; later writes get higher ones.
        assert conn.execute(text("SELECT DISTINCT change_seq FROM record")).all() == [(1,)]
        assert full_text_hits(conn, "esketamine") == ["111"]
        assert full_text_hits(conn, "depression") == ["111", "NCT00000002"]
        # New rows go through the triggers / the generated column as before.
        conn.execute(text(_RECORD), {"id": 3, "source": "pubmed", "sid": "333", "title":
                                     "Ketamine infusions", "abstract": "", "hash": "h3",
                                     "raw": b"", "data": "{}"})
        assert full_text_hits(conn, "infusions") == ["333"]
        conn.execute(text("INSERT INTO sentence (record_id, idx, field, role, text) VALUES "
                          "(3, 0, 'title', 'title', 'Ketamine infusions')"))
        assert conn.execute(text("SELECT numbers, direction FROM sentence")).one() == \
            ("[]", None)
        conn.execute(text("UPDATE label SET sentence_idx = 0 WHERE value = 'esketamine'"))
        conn.execute(text("DELETE FROM record WHERE id = 3"))
        assert conn.execute(text("SELECT count(*) FROM sentence")).scalar() == 0, \
            "sentences go with their record (ON DELETE CASCADE)"
    assert migrate(engine) == []


# --- Tests ------------------------------------------------------------------------------

def test_head_is_alembics_only_head() -> None:
    script = script_directory()
    assert script.get_heads() == [HEAD]
    assert [r.revision for r in reversed(list(script.walk_revisions()))] == ["0001", "0002", "0003"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_new_database_matches_the_models(backend: str, new_url: Any) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = open_engine(new_url(backend), migrate_schema=False)
    assert migrate(engine) == ["0001", "0002", "0003"]
    assert migrate(engine) == []
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "include_object": include_in_autogenerate, "compare_server_default": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        assert sorted(conn.execute(text("SELECT version FROM schema_version")).scalars()) \
            == [v for v, _, _ in STEPS]
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_database_at_0001_upgrades_to_head(backend: str, new_url: Any) -> None:
    from alembic import command

    engine = open_engine(new_url(backend), migrate_schema=False)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    assert revisions(engine) == ["0001"]
    fill(engine)
    before = contents(engine)
    assert migrate(engine) == ["0002", "0003"]
    check_upgraded(engine, before, backend, new_url)
    engine.dispose()


@pytest.mark.parametrize("steps", [(1, 2, 3), (1, 2), (1,)],
                         ids=["steps-1-3", "before-listing-indexes", "tables-only"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_database_made_by_numbered_steps_upgrades_to_head(
        backend: str, steps: tuple[int, ...], new_url: Any) -> None:
    engine = open_engine(new_url(backend), migrate_schema=False)
    make_numbered_steps_database(engine, steps)
    fill(engine)          # before full-text search existed, for "tables-only"
    before = contents(engine)
    assert migrate(engine) == ["0002", "0003"]            # stamped at 0001, not re-created
    check_upgraded(engine, before, backend, new_url)
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_downgrade_to_0001_and_back(backend: str, new_url: Any) -> None:
    from alembic import command

    engine = open_engine(new_url(backend))
    fill(engine)
    before = contents(engine)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    assert revisions(engine) == ["0001"]
    assert "sentence" not in inspect(engine).get_table_names()
    assert migrate(engine) == ["0002", "0003"]
    check_upgraded(engine, before, backend, new_url)
    engine.dispose()


def test_unknown_revision_is_refused(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'newer.db'}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(RuntimeError, match="revision 0099, which this litwatch does not know"):
        migrate(engine)
    engine.dispose()


def test_tables_without_version_record_are_refused(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'bare.db'}", migrate_schema=False)
    SQLModel.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE schema_version"))
    with pytest.raises(RuntimeError, match="no record of its schema version"):
        migrate(engine)
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_first_opens_create_the_schema_once(backend: str, new_url: Any) -> None:
    url = new_url(backend)
    engines = [open_engine(url, migrate_schema=False) for _ in range(3)]
    results: list[list[str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(engines))

    def run(engine: Engine) -> None:
        start.wait()
        try:
            results.append(migrate(engine))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(results) == [[], [], ["0001", "0002", "0003"]]
    for engine in engines:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_opening_a_current_database_does_not_load_alembic(backend: str,
                                                          new_url: Any) -> None:
    url = new_url(backend)
    open_engine(url).dispose()
    # What made opening slow was loading alembic and its revisions: that is what is
    # checked (how long opening takes is a benchmark's business, not a test's).
    probe = ("import sys\n"
             "from litwatch.store.engine import open_engine\n"
             "open_engine(sys.argv[1]).dispose()\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    done = subprocess.run([sys.executable, "-c", probe, url], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout


def test_first_open_waits_for_a_lock_held_while_the_file_is_switched_to_wal(
        tmp_path: Path) -> None:
    # SQLite does not call the busy handler for PRAGMA journal_mode: a first open that
    # met another process's lock on the new file failed at once with "database is
    # locked" (seen in CI, three first opens at once) instead of waiting its turn.
    path = tmp_path / "held.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")          # still a rollback-journal file: no WAL yet
    holder.execute("CREATE TABLE t (x)")
    release = threading.Timer(0.5, holder.execute, args=("COMMIT",))
    release.start()
    try:
        engine = open_engine(f"sqlite:///{path}", migrate_schema=False)
        with engine.connect() as conn:
            mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        engine.dispose()
    finally:
        release.join()
        holder.close()
    assert mode == "wal"
