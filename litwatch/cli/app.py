"""Lazily built settings and database for CLI commands; secret redaction in logs."""

from __future__ import annotations

import logging
from datetime import date
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine

from litwatch.config.loader import Settings, load_settings
from litwatch.store.engine import open_engine


class UsageError(ValueError):
    """A command-line value is invalid; the message names the option."""


class App:
    def __init__(self, config_path: str | None = None):
        self.config_path = Path(config_path) if config_path else None

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.config_path)

    @cached_property
    def engine(self) -> Engine:
        return open_engine(self.settings.database_url)

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
