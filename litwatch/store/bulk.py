"""Large loads into SQLite: the full-text triggers off meanwhile, one FTS5 rebuild after.

FTS5's triggers index each row as it is written, ~40% of the store step of an
ingest; a single 'rebuild' over the finished table costs less than the triggers
did for a backfill that is most of the store.  So a large load drops the three
triggers (and commits), writes its batches, then in one transaction rebuilds the
FTS5 index from the record table and creates the triggers again.

Crash safety: if the loading process dies, the triggers are missing and the FTS5
index lacks what came in since.  Every open (litwatch.store.engine) checks the
triggers; when they are missing and no live load holds the folder's lock file
(an flock, released by the kernel when its holder dies), it repairs the store
the same way before anything else reads or writes it.  A load that cannot take
the lock (another is running) loads with the triggers as they are.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)

# Below this many records, and below the rows already stored, the triggers stay.
MIN_BULK = 5_000

# As revision 0001 made them (tests/test_store_bulk.py checks they are the same, but
# for line breaks).
TRIGGERS = {
    "record_fts_ai": """CREATE TRIGGER IF NOT EXISTS record_fts_ai AFTER INSERT ON record BEGIN
           INSERT INTO record_fts(rowid, title, abstract)
           VALUES (new.id, new.title, new.abstract);
       END""",
    "record_fts_ad": """CREATE TRIGGER IF NOT EXISTS record_fts_ad AFTER DELETE ON record BEGIN
           INSERT INTO record_fts(record_fts, rowid, title, abstract)
           VALUES ('delete', old.id, old.title, old.abstract);
       END""",
    "record_fts_au": """CREATE TRIGGER IF NOT EXISTS record_fts_au
           AFTER UPDATE OF title, abstract ON record BEGIN
           INSERT INTO record_fts(record_fts, rowid, title, abstract)
           VALUES ('delete', old.id, old.title, old.abstract);
           INSERT INTO record_fts(rowid, title, abstract)
           VALUES (new.id, new.title, new.abstract);
       END""",
}
_REBUILD = "INSERT INTO record_fts(record_fts) VALUES ('rebuild')"


def _database_file(engine: Engine) -> Path | None:
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:" \
            or path.startswith("file:"):
        return None
    return Path(path)


@contextmanager
def _load_lock(db: Path, wait: bool) -> Iterator[IO[str] | None]:
    """The lock file of `db`'s large loads, held (yielded) or busy (None)."""
    with open(f"{db}-bulk.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield None
            return
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def triggers_missing(conn: Connection) -> bool:
    found = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                              "AND name IN ('record_fts_ai', 'record_fts_ad', "
                              "'record_fts_au')")).scalar()
    return found != len(TRIGGERS)


def _restore(engine: Engine) -> None:
    """Rebuild the FTS5 index from the record table and bring the triggers back, in one
    transaction: either all of it happens or none."""
    with engine.begin() as conn:
        conn.execute(text(_REBUILD))
        for ddl in TRIGGERS.values():
            conn.execute(text(ddl))


@contextmanager
def deferred_full_text(engine: Engine, expected: int) -> Iterator[bool]:
    """Around a load of about `expected` records; yields whether the triggers are off."""
    db = _database_file(engine)
    if db is None or expected < MIN_BULK:
        yield False
        return
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM record")).scalar() or 0
    if expected < stored:                   # the rebuild would cost more than it saves
        yield False
        return
    with _load_lock(db, wait=False) as held:
        if held is None:
            yield False
            return
        with engine.begin() as conn:
            for name in TRIGGERS:
                conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        try:
            yield True
        finally:
            _restore(engine)


def repair_full_text(engine: Engine) -> bool:
    """After a large load that died: rebuild FTS5 and restore its triggers; whether it did.
    Cheap when there is nothing to do (one query of sqlite_master)."""
    db = _database_file(engine)
    if db is None:
        return False
    with engine.connect() as conn:
        if not triggers_missing(conn):
            return False
    with _load_lock(db, wait=False) as held:
        if held is None:                    # a load is running: it restores them itself
            return False
        with engine.connect() as conn:
            if not triggers_missing(conn):
                return False
        log.warning("%s: a large load was interrupted; rebuilding its full-text index", db)
        _restore(engine)
        return True
