"""Schema migrations for SQLite and PostgreSQL, numbered and idempotent.

Each step runs once, inside a transaction, and is recorded in schema_version.
Step 1 creates the SQLModel tables; step 2 adds full-text search: an FTS5
external-content table kept in step by triggers on SQLite, a weighted tsvector
column with a GIN index on PostgreSQL.  New steps are appended, never edited.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, text
from sqlmodel import SQLModel

from litwatch.store import tables as models  # noqa: F401  (registers the tables on SQLModel.metadata)

Step = Callable[[Connection, str], None]


def _create_tables(conn: Connection, dialect: str) -> None:
    SQLModel.metadata.create_all(conn)


_SQLITE_FTS = [
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
    """CREATE TRIGGER IF NOT EXISTS record_fts_au AFTER UPDATE OF title, abstract ON record BEGIN
           INSERT INTO record_fts(record_fts, rowid, title, abstract)
           VALUES ('delete', old.id, old.title, old.abstract);
           INSERT INTO record_fts(rowid, title, abstract)
           VALUES (new.id, new.title, new.abstract);
       END""",
    "INSERT INTO record_fts(record_fts) VALUES ('rebuild')",
]

_POSTGRES_FTS = [
    """ALTER TABLE record ADD COLUMN IF NOT EXISTS search_vector tsvector
           GENERATED ALWAYS AS (
               setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
               setweight(to_tsvector('english', coalesce(abstract, '')), 'B')
           ) STORED""",
    "CREATE INDEX IF NOT EXISTS ix_record_search_vector ON record USING GIN (search_vector)",
]


def _full_text(conn: Connection, dialect: str) -> None:
    for statement in _SQLITE_FTS if dialect == "sqlite" else _POSTGRES_FTS:
        conn.execute(text(statement))


def _listing_indexes(conn: Connection, dialect: str) -> None:
    """Date listings filtered by source, and label lookups per record and family."""
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_record_source_entry "
                      "ON record (source, entry_date)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_label_record_family "
                      "ON label (record_id, family)"))


STEPS: list[tuple[int, str, Step]] = [
    (1, "tables", _create_tables),
    (2, "full-text search", _full_text),
    (3, "listing indexes", _listing_indexes),
]


def applied_versions(conn: Connection) -> set[int]:
    SQLModel.metadata.tables["schema_version"].create(conn, checkfirst=True)
    return {row[0] for row in conn.execute(text("SELECT version FROM schema_version"))}


def migrate(engine: Engine) -> list[int]:
    """Apply every missing step; return the versions applied now."""
    dialect = engine.dialect.name
    done: list[int] = []
    with engine.begin() as conn:
        if dialect == "postgresql":
            # Two processes starting at once must not both create the schema.
            conn.execute(text("SELECT pg_advisory_xact_lock(727274)"))
        have = applied_versions(conn)
        for version, description, step in STEPS:
            if version in have:
                continue
            step(conn, dialect)
            conn.execute(text("INSERT INTO schema_version (version, description, applied_at) "
                              "VALUES (:v, :d, CURRENT_TIMESTAMP)"),
                         {"v": version, "d": description})
            done.append(version)
    return done
