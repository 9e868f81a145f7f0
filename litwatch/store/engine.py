"""Open the database: SQLite (WAL, busy timeout) or PostgreSQL, schema brought up to date.

Opening is where most database failures first show (a damaged file, a read-only
directory, a server that is down), so they leave here as StoreError naming the
file or server and what to do.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError

from litwatch.errors import StoreError
from litwatch.store.bulk import repair_full_text
from litwatch.store.failures import describe_database, store_error
from litwatch.store.migrations import migrate

_SQLITE_BUSY_S = 30


def open_engine(url: str, migrate_schema: bool = True) -> Engine:
    """Create the engine and, unless told not to, apply missing migrations."""
    _make_sqlite_directory(url)
    # SQLite: wait for a lock held by another process (a migration, a sync) from the very
    # first statement of a connection -- the driver's own default is 5 s, and switching a
    # new file to WAL needs the lock a concurrent first open's migration holds.
    sqlite = make_url(url).get_backend_name() == "sqlite"
    engine = create_engine(url, future=True,
                           **({"connect_args": {"timeout": _SQLITE_BUSY_S}} if sqlite else {}))
    ping_when_idle(engine)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate_schema:
        try:
            migrate(engine)
            _repair(engine)
        except DBAPIError as exc:
            engine.dispose()
            raise store_error(exc, url) from exc
        except StoreError:
            engine.dispose()
            raise
        except RuntimeError as exc:   # migrations' own refusals (unknown schema revision)
            engine.dispose()
            raise StoreError(f"{describe_database(url)}: {exc}") from exc
    return engine


# A pooled connection idle this long is pinged before it is handed out (a server
# restarted, a firewall that dropped it); one used a moment ago is not: SQLAlchemy's
# pool_pre_ping would add a round trip to every search of a long-lived process.
IDLE_PING_S = 30.0


def ping_when_idle(engine: Engine) -> None:
    """Pessimistic disconnect handling for connections idle since IDLE_PING_S: a failed
    ping makes the pool replace the connection (SQLAlchemy retries the checkout)."""
    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checking_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_S:
            return                    # new, or returned a moment ago
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        except Exception as exc:      # the driver's own error types differ
            raise DisconnectionError(f"stale pooled connection: {exc}") from exc


def _repair(engine: Engine) -> None:
    """A large load killed with the full-text triggers off is finished here, before
    anything reads the store (litwatch.store.bulk)."""
    try:
        repair_full_text(engine)
    except OSError:            # no lock file beside a read-only store: nothing to repair
        pass


def _make_sqlite_directory(url: str) -> None:
    """A new SQLite file's directory is created; failing that, say which and why."""
    parsed = make_url(url)
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:" \
            or path.startswith("file:"):
        return
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{describe_database(url)}: cannot create its directory "
                         f"{Path(path).parent} ({exc.strerror or exc})") from exc


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_S * 1000}")     # before anything locks
    _switch_to_wal(cur)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _switch_to_wal(cur: Any) -> None:
    """PRAGMA journal_mode=WAL, retried while another connection holds a lock.

    Switching a new file's journal mode fails at once with "database is locked" when
    another first open is converting it or migrating in it: SQLite does not call the busy
    handler for this pragma, so the busy timeout is waited out here.
    """
    deadline = time.monotonic() + _SQLITE_BUSY_S
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
