"""Database failures as StoreError: which file (or server), what happened, what to do.

SQLAlchemy reports a damaged SQLite file, a read-only directory or an unreachable
PostgreSQL server as OperationalError / DatabaseError with the driver's text.
An operator needs the file name and the next step instead, so the engine
opening (store.engine) and the CLI boundary pass such errors through
`store_error`.  Nothing is half-written when they happen: every write runs in a
transaction that the error rolls back.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from litwatch.errors import StoreError

# (pattern of the driver's message, what it means, what to do); the first match wins.
_CAUSE_TEXT = (
    (r"file is not a database|disk image is malformed",
     "is not a litwatch database, or it is damaged",
     "restore it from a backup or move it aside; `litwatch init` then creates a new one"),
    (r"readonly database|read-only file system", "is read-only",
     "make the file and its directory writable for this user (SQLite writes -wal and "
     "-shm files beside it), or point database.url elsewhere"),
    (r"unable to open database file", "cannot be opened",
     "check that its directory exists and that this user may read and write both the "
     "file and the directory"),
    (r"database( table)? is locked", "is locked by another process",
     "a sync or the scheduler may still be running; retry when it has finished"),
    (r"database or disk is full|no space left|disk i/o error", "cannot be written",
     "the disk is full or failing; free space, then retry"),
    (r"password authentication failed|no password supplied|role \".*\" does not exist",
     "refused the login", "check the user and password in database.url "
     "(or $LITWATCH_DATABASE_URL)"),
    (r"database \".*\" does not exist", "has no such database",
     "create it (createdb) or fix the name in database.url"),
    (r"connection refused|could not connect|connection failed|timeout expired"
     r"|could not translate host name|name or service not known|server closed",
     "cannot be reached", "is the server running, and are host and port in database.url "
     "right?"),
)
_CAUSES = tuple((re.compile(pattern, re.I), what, todo) for pattern, what, todo in _CAUSE_TEXT)


def describe_database(url: str | None) -> str:
    """The file of a SQLite URL, else "PostgreSQL at host:port/name" (never a password)."""
    if not url:
        return "the database"
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "the database"
    if parsed.get_backend_name() == "sqlite":
        return f"the database {parsed.database or ':memory:'}"
    port = f":{parsed.port}" if parsed.port else ""
    return f"PostgreSQL at {parsed.host or 'localhost'}{port}/{parsed.database or ''}"


def store_error(exc: BaseException, url: str | None) -> StoreError:
    """A StoreError naming the database and the next step, chained to `exc` by the caller."""
    detail = _driver_message(exc)
    for pattern, what, todo in _CAUSES:
        if pattern.search(detail):
            return StoreError(f"{describe_database(url)} {what} ({detail}): {todo}")
    return StoreError(f"{describe_database(url)}: {detail}")


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, DBAPIError)


def _driver_message(exc: BaseException) -> str:
    # DBAPIError's own str() appends the SQL and a link; the driver's first line is enough.
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    return lines[0].strip() if lines else type(original).__name__
