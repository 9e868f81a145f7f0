"""Typed settings: what config.toml becomes once read and validated (see loader.py).

Field defaults come from litwatch.config.declarations, the one table of settings,
so a dataclass built in a test and a config without that key agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from litwatch.config.base import ConfigError, Feed, IndicationQuery
from litwatch.config.declarations import default as d

__all__ = ["ConfigError", "CtgovSettings", "DigestSettings", "Feed", "HttpSettings",
           "IndicationQuery", "PubmedSettings", "ScheduleSettings", "Settings", "SmtpSettings",
           "SECTION_TYPES"]


@dataclass(frozen=True)
class HttpSettings:
    timeout_seconds: float = d("http.timeout_seconds")
    max_retries: int = d("http.max_retries")
    backoff_seconds: float = d("http.backoff_seconds")
    max_backoff_seconds: float = d("http.max_backoff_seconds")
    max_response_mb: float = d("http.max_response_mb")
    user_agent: str = d("http.user_agent")


@dataclass(frozen=True)
class PubmedSettings:
    base_url: str = d("pubmed.base_url")
    tool: str = d("pubmed.tool")
    email: str = d("pubmed.email")
    api_key: str | None = d("pubmed.api_key")
    rate_limit: float = d("pubmed.rate_limit")     # the loader puts the effective rate here
    rate_limit_with_key: float = d("pubmed.rate_limit_with_key")
    batch_size: int = d("pubmed.batch_size")
    overlap_days: int = d("pubmed.overlap_days")
    retmax: int = d("pubmed.retmax")


@dataclass(frozen=True)
class CtgovSettings:
    base_url: str = d("ctgov.base_url")
    rate_limit: float = d("ctgov.rate_limit")
    page_size: int = d("ctgov.page_size")
    overlap_days: int = d("ctgov.overlap_days")


@dataclass(frozen=True)
class DigestSettings:
    timezone: str = d("digest.timezone")
    archive_dir: Path = d("digest.archive_dir")
    send_empty: bool = d("digest.send_empty")
    max_html_kb: int = d("digest.max_html_kb")
    top_items_per_group: int = d("digest.top_items_per_group")
    archive_base_url: str = d("digest.archive_base_url")


@dataclass(frozen=True)
class SmtpSettings:
    host: str = d("smtp.host")
    port: int = d("smtp.port")
    security: str = d("smtp.security")
    username: str = d("smtp.username")
    password: str | None = d("smtp.password")
    sender: str = d("smtp.sender")
    recipients: tuple[str, ...] = d("smtp.recipients")
    list_unsubscribe: str = d("smtp.list_unsubscribe")


@dataclass(frozen=True)
class ScheduleSettings:
    timezone: str = d("schedule.timezone")
    sync: str = d("schedule.sync")
    digest: str = d("schedule.digest")
    misfire_grace_seconds: int = d("schedule.misfire_grace_seconds")
    lock_file: Path = d("schedule.lock_file")


# [section] -> the dataclass its keys become (one field per declared key).
SECTION_TYPES: dict[str, type] = {
    "http": HttpSettings, "pubmed": PubmedSettings, "ctgov": CtgovSettings,
    "digest": DigestSettings, "smtp": SmtpSettings, "schedule": ScheduleSettings,
}


@dataclass(frozen=True)
class Settings:
    path: Path | None               # the config file read; None: defaults, no file
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
    base_dir: Path = Path()         # relative paths were resolved against this directory
    today: date | None = None       # $LITWATCH_TODAY: the pinned clock of every job

    @property
    def drug_terms(self) -> list[str]:
        return [term for terms in self.drugs.values() for term in terms]

    def secrets(self) -> list[str]:
        """Values that must never be printed, logged or stored."""
        return [s for s in (self.pubmed.api_key, self.smtp.password) if s]

    def now(self, tz: str = "UTC") -> datetime:
        """Real time, or noon (in `tz`) of the pinned day, so that sync, digest and
        `litwatch run` all agree on what "today" is when the clock is pinned."""
        if self.today is None:
            return datetime.now(UTC)
        return datetime.combine(self.today, time(12), ZoneInfo(tz))
