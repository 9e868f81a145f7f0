"""The store behaves the same on SQLite and PostgreSQL (when a server is available)."""

from __future__ import annotations

from sqlalchemy import func, text
from sqlmodel import Session, select

from litwatch.store.engine import open_engine
from litwatch.store.migrations import STEPS, migrate
from litwatch.store.tables import LinkRow, RecordRow, SchemaVersionRow
from litwatch.sync.load import load_directory
from tests.conftest import REALDATA


def test_migrations_create_schema_once(backend_url: str) -> None:
    engine = open_engine(backend_url)
    assert migrate(engine) == []                      # already applied by open_engine
    with Session(engine) as s:
        versions = [v.version for v in s.exec(select(SchemaVersionRow))]
    assert sorted(versions) == [v for v, _, _ in STEPS]
    engine.dispose()


def test_load_is_idempotent_and_full_text_works(backend_url: str) -> None:
    engine = open_engine(backend_url)
    first = load_directory(engine, REALDATA)
    again = load_directory(engine, REALDATA)
    assert first.new > 50 and again.new == 0 and again.updated == 0
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(RecordRow)).one() == first.new
        assert s.exec(select(func.count()).select_from(LinkRow)).one() > 0
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            hits = conn.execute(text(
                "SELECT source_id FROM record WHERE search_vector @@ "
                "plainto_tsquery('english', 'dexmedetomidine sedation')")).all()
        else:
            hits = conn.execute(text(
                "SELECT r.source_id FROM record_fts f JOIN record r ON r.id = f.rowid "
                "WHERE record_fts MATCH 'dexmedetomidine sedation'")).all()
    assert [h[0] for h in hits] == ["24792780"]
    engine.dispose()
