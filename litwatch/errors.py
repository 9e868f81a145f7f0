"""Every failure litwatch knows how to explain, under one base class.

The CLI turns any LitwatchError into one line on stderr and the class's exit
status, so a new failure only needs a class here and a message that says what
went wrong and what to do.  The classes also keep the built-in base they had
before they moved here (ValueError, RuntimeError), so existing `except
ValueError` call sites behave as before.

    LitwatchError
    ├── ConfigError          a setting is missing or invalid            exit 2
    ├── UsageError           a command-line value is invalid            exit 2
    │   ├── QueryError       search text with nothing to search
    │   └── FilterError      an unknown label, phase, status...
    ├── ClaimsError          claims.toml is invalid                     exit 2
    ├── StoreError           the database cannot be opened or written   exit 2
    ├── SourceError          a source failed after every retry          exit 1
    ├── BadPayload           a body is not what the API promises (retried)
    ├── MailError            the digest could not be sent               exit 1
    └── LockBusy             another run holds the run lock             exit 1

This module imports nothing from litwatch: every layer may import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike


class LitwatchError(Exception):
    """A failure with a message fit for the operator; `exit_status` for the CLI."""

    exit_status = 1
    # Printed before the message ("litwatch: configuration error: ..."), or nothing.
    kind = ""


class ConfigError(LitwatchError, ValueError):
    """A setting is invalid or unknown; the message names the key (or variable)."""

    exit_status = 2
    kind = "configuration error"


class UsageError(LitwatchError, ValueError):
    """A command-line value is invalid; the message names the option."""

    exit_status = 2


class QueryError(UsageError):
    """The text holds nothing searchable; the message says what to type instead."""


class FilterError(UsageError):
    """An unknown filter value; the message names the option and the valid values."""

    def __init__(self, option: str, value: str, valid: Iterable[str]):
        self.option = option
        super().__init__(f"--{option}: unknown value {value!r} (valid: {', '.join(valid)})")


class ClaimsError(LitwatchError, ValueError):
    """claims.toml is malformed; the message names the claim id and the key."""

    exit_status = 2


class StoreError(LitwatchError, RuntimeError):
    """The database cannot be opened, read or written; says which file (or host) and
    what to do.  Raised before anything is committed, so the store is left as it was."""

    exit_status = 2


class SourceError(LitwatchError, RuntimeError):
    """A source could not be read after all retries; the run must fail."""


class BadPayload(LitwatchError, ValueError):
    """The body arrived but is not what the API promises (retryable)."""


class MailError(LitwatchError, RuntimeError):
    """The message could not be handed to the SMTP server."""


class LockBusy(LitwatchError, RuntimeError):
    """Another litwatch run holds the run lock; `who` describes the holder."""

    def __init__(self, path: str | PathLike[str], holder: object | None, who: str):
        self.path, self.holder = path, holder
        super().__init__(f"another litwatch run holds the lock {path}: {who}")
