"""Is a SQLite store's search index current?  Answered with the stdlib sqlite3 module.

The fast search path (litwatch.search.fast) may answer from the index only when
opening the store through litwatch.store.engine would change nothing and the
index's catch-up (litwatch.search.index) would find nothing to do:

- the URL is a plain SQLite file (anything else: the usual path decides);
- the schema is at the newest revision (else opening the store migrates it);
- the full-text triggers are in place (else opening it repairs a killed load);
- the index's state file is of this index version and its position has seen every
  stamped row of this same store (the checks of SearchIndex._is_current).

All of the store's part is one query.  The index folder and the state file come
from litwatch.search.index_state (stdlib only until a URL has to be parsed).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from litwatch.search.index_schema import INDEX_VERSION
from litwatch.search.index_state import IndexState, read_state, sqlite_index_dir

# litwatch.store.migrations.HEAD (a test checks they are equal).
SCHEMA_REVISION = "0003"
_FTS_TRIGGERS = ("record_fts_ai", "record_fts_ad", "record_fts_au")
# A URL that SQLAlchemy reads as a plain file path: no query string, no escapes.
_SQLITE_FILE = re.compile(r"^sqlite(?:\+pysqlite)?:///(?P<path>[^?%#]+)$")


def sqlite_database(url: str) -> str | None:
    """The file of a plain SQLite URL as SQLAlchemy's make_url reads it, else None."""
    found = _SQLITE_FILE.match(url)
    if not found or found["path"] == ":memory:" or found["path"].startswith("file:"):
        return None
    return found["path"]


def index_folder(database: str) -> Path | None:
    """Where litwatch.search.index_state puts the index of this SQLite file."""
    return sqlite_index_dir(database)


def index_position(folder: Path) -> IndexState | None:
    """The position of an index of this version, None for none (or of another)."""
    state = read_state(folder)
    if state is None or state.version != INDEX_VERSION or state.committing:
        return None
    return state


# One statement: the schema revision, the triggers, and litwatch.store.changes' status
# query (highest stamp, anything after the position, the first record).
_STATUS = (
    "SELECT (SELECT count(*) FROM alembic_version) AS revisions, "
    "(SELECT max(version_num) FROM alembic_version) AS revision, "
    "(SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?, ?)) "
    "AS triggers, "
    "(SELECT max(change_seq) FROM record) AS latest, "
    "EXISTS (SELECT 1 FROM record WHERE change_seq > ?) "
    "OR EXISTS (SELECT 1 FROM record WHERE change_seq = ? AND id > ?) AS newer, "
    "first.id, first.source, first.source_id, first.first_seen "
    "FROM (SELECT 1 AS one) AS probe LEFT JOIN (SELECT id, source, source_id, first_seen "
    "FROM record ORDER BY id LIMIT 1) AS first ON 1 = 1")


def index_is_current(conn: sqlite3.Connection, position: IndexState) -> bool:
    """Whether the store needs no migration or repair and the index has seen all of it.
    Raises sqlite3.Error for a database that is not a litwatch store (no such table)."""
    row = conn.execute(_STATUS, (*_FTS_TRIGGERS, position.seq, position.seq,
                                 position.last_id)).fetchone()
    revisions, revision, triggers, latest, newer, *first = row
    if (revisions, revision, triggers) != (1, SCHEMA_REVISION, len(_FTS_TRIGGERS)):
        return False
    store = "" if first[0] is None else "|".join(str(v) for v in first)
    return (not newer and int(latest or 0) >= position.seq
            and (not position.store or position.store == store))
