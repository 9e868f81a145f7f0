"""What every command shares: lazily built settings and database, option checks,
secret redaction in logs, and failures reported as one line.

Nothing heavy is imported at module level: `litwatch --help` and the parser of
every command load this module, and only a command that needs the database
pays for SQLAlchemy.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from litwatch.errors import LitwatchError, UsageError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from litwatch.config.loader import Settings

__all__ = ["App", "UsageError", "check_out_path", "parse_date", "report_failure"]


class App:
    def __init__(self, config_path: str | None = None):
        self.config_path = Path(config_path) if config_path else None

    @cached_property
    def settings(self) -> Settings:
        from litwatch.config.loader import load_settings
        return load_settings(self.config_path)

    @cached_property
    def engine(self) -> Engine:
        return open_engine(self.settings.database_url)

    @property
    def database_url(self) -> str | None:
        """The configured URL once settings loaded, for naming it in an error."""
        settings = self.__dict__.get("settings")
        return settings.database_url if settings is not None else None

    def close(self) -> None:
        """Release pooled connections (in-process callers run many commands)."""
        if "engine" in self.__dict__:
            self.__dict__.pop("engine").dispose()

    def install_log_redaction(self) -> None:
        """Every log record passes through a filter that masks the secrets."""
        try:
            secrets = self.settings.secrets()
        except Exception:   # a broken config is reported by the command itself
            return
        if secrets:
            handler_filter = _Redactor(secrets)
            for handler in logging.getLogger().handlers:
                handler.addFilter(handler_filter)


def open_engine(url: str) -> Engine:
    """The store's open_engine, imported on first use (tests replace this seam)."""
    from litwatch.store.engine import open_engine as open_store
    return open_store(url)


class _Redactor(logging.Filter):
    def __init__(self, secrets: list[str]):
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, "***")
        record.msg, record.args = message, None
        return True


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: expected a date as YYYY-MM-DD, got {value!r}") from None


def check_out_path(value: str | None, option: str = "--out") -> Path | None:
    """The output file an option names, refused before any work when it cannot be
    written: a missing or read-only directory, or a directory given as the file.

    Called first thing by commands that write a file, so a bad path costs nothing
    and leaves nothing behind (no half-built export, no digest marked as done).
    """
    if not value:
        return None
    path = Path(value)
    parent = path.parent
    if path.is_dir():
        raise UsageError(f"{option}: {path} is a directory; name a file in it")
    if not parent.exists():
        raise UsageError(f"{option}: the directory {parent} does not exist; create it first")
    if not parent.is_dir():
        raise UsageError(f"{option}: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path,
                                                                                   os.W_OK)):
        raise UsageError(f"{option}: {path} is not writable by this user")
    return path


def report_failure(exc: BaseException, app: App, verbose: bool) -> int:
    """One line on stderr for a failure (with -v the traceback first); the exit status.

    Known failures (LitwatchError, database errors, files that cannot be read or
    written) get their own message and status; anything else is a bug, reported
    in one line that says how to see the traceback.
    """
    exc = _as_known(exc, app)
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, LitwatchError):
        kind = f"{exc.kind}: " if exc.kind else ""
        print(f"litwatch: {kind}{exc}", file=sys.stderr)
        return exc.exit_status
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        print(f"litwatch: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    hint = "" if verbose else " (run with -v for the traceback)"
    print(f"litwatch: internal error: {type(exc).__name__}: {exc}{hint}", file=sys.stderr)
    return 1


def _as_known(exc: BaseException, app: App) -> BaseException:
    # SQLAlchemy is only loaded by commands that opened the database: without it
    # loaded, the failure cannot be one of its errors (and --help stays light).
    if "sqlalchemy" not in sys.modules:
        return exc
    from litwatch.store.failures import is_database_error, store_error
    if not is_database_error(exc):
        return exc
    translated = store_error(exc, app.database_url)
    translated.__cause__ = exc
    return translated
