"""Typed settings: what config.toml becomes once read and validated (see config.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names the key."""


@dataclass(frozen=True)
class HttpSettings:
    timeout_seconds: float = 30.0
    max_retries: int = 5
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0
    max_response_mb: float = 200.0
    user_agent: str = "litwatch/0.1"


@dataclass(frozen=True)
class PubmedSettings:
    base_url: str
    tool: str
    email: str
    api_key: str | None
    rate_limit: float
    batch_size: int
    overlap_days: int
    retmax: int


@dataclass(frozen=True)
class CtgovSettings:
    base_url: str
    rate_limit: float
    page_size: int
    overlap_days: int


@dataclass(frozen=True)
class IndicationQuery:
    name: str
    labels: tuple[str, ...]
    pubmed: str
    ctgov: str


@dataclass(frozen=True)
class Feed:
    name: str
    url: str


@dataclass(frozen=True)
class DigestSettings:
    timezone: str = "UTC"
    archive_dir: Path = Path("data/digests")
    send_empty: bool = True
    max_html_kb: int = 95
    top_items_per_group: int = 5
    archive_base_url: str = ""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password: str | None = None
    sender: str = "litwatch <litwatch@localhost>"
    recipients: tuple[str, ...] = ()
    list_unsubscribe: str = ""


@dataclass(frozen=True)
class ScheduleSettings:
    timezone: str = "UTC"
    sync: str = "0 6 * * *"
    digest: str = "0 7 * * mon"
    misfire_grace_seconds: int = 3600
    lock_file: Path = Path("data/litwatch.lock")


@dataclass(frozen=True)
class Settings:
    path: Path | None
    database_url: str
    http: HttpSettings
    pubmed: PubmedSettings
    ctgov: CtgovSettings
    drugs: dict[str, tuple[str, ...]]
    indications: tuple[IndicationQuery, ...]
    feeds: tuple[Feed, ...]
    digest: DigestSettings
    smtp: SmtpSettings
    schedule: ScheduleSettings
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def drug_terms(self) -> list[str]:
        return [term for terms in self.drugs.values() for term in terms]

    def secrets(self) -> list[str]:
        """Values that must never be printed, logged or stored."""
        return [s for s in (self.pubmed.api_key, self.smtp.password) if s]
