"""Load config.toml plus environment overrides into typed, validated settings.

Every error names the key that was wrong, so a broken config stops litwatch with
a message the operator can act on (exit status 2 from the CLI).  Secrets are
read from the environment only and never from the file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from litwatch import vocab
from litwatch.config.settings import (
    ConfigError,
    CtgovSettings,
    DigestSettings,
    Feed,
    HttpSettings,
    IndicationQuery,
    PubmedSettings,
    ScheduleSettings,
    Settings,
    SmtpSettings,
)

__all__ = ["ConfigError", "CtgovSettings", "DigestSettings", "Feed", "HttpSettings",
           "IndicationQuery", "PubmedSettings", "ScheduleSettings", "Settings", "SmtpSettings",
           "load_settings", "parse_settings", "default_config_path", "example_config_path"]


def example_config_path() -> Path:
    """The commented config.toml: shipped in the wheel, or at the checkout's root."""
    packaged = Path(__file__).parent / "config.example.toml"
    return packaged if packaged.exists() else Path(__file__).parent.parent / "config.toml"


def default_config_path() -> Path:
    """$LITWATCH_CONFIG, else ./config.toml, else the example with its defaults."""
    env = os.environ.get("LITWATCH_CONFIG")
    if env:
        return Path(env)
    cwd = Path.cwd() / "config.toml"
    return cwd if cwd.exists() else example_config_path()


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read `path` (default: see default_config_path) and apply `env` overrides."""
    env = os.environ if env is None else env
    path = Path(path) if path else default_config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_settings(raw, env, base_dir=path.resolve().parent, path=path)


def parse_settings(
    raw: Mapping[str, Any], env: Mapping[str, str], base_dir: Path, path: Path | None = None
) -> Settings:
    r = _Reader(raw)
    api_key = env.get("NCBI_API_KEY") or None
    pubmed_rate = r.number("pubmed.rate_limit_with_key" if api_key else "pubmed.rate_limit")
    return Settings(
        path=path,
        database_url=_database_url(env.get("LITWATCH_DATABASE_URL") or r.string("database.url"),
                                   base_dir),
        http=HttpSettings(
            timeout_seconds=r.number("http.timeout_seconds"),
            max_retries=r.integer("http.max_retries", minimum=0),
            backoff_seconds=r.number("http.backoff_seconds", allow_zero=True),
            max_backoff_seconds=r.number("http.max_backoff_seconds"),
            max_response_mb=r.number("http.max_response_mb"),
            user_agent=r.string("http.user_agent"),
        ),
        pubmed=PubmedSettings(
            base_url=_url(env.get("LITWATCH_EUTILS_URL") or r.string("pubmed.base_url"),
                          "pubmed.base_url"),
            tool=r.string("pubmed.tool"),
            email=env.get("LITWATCH_NCBI_EMAIL") or r.string("pubmed.email", allow_empty=True),
            api_key=api_key,
            rate_limit=pubmed_rate,
            batch_size=r.integer("pubmed.batch_size", minimum=1, maximum=500),
            overlap_days=r.integer("pubmed.overlap_days", minimum=0),
            retmax=r.integer("pubmed.retmax", minimum=1, maximum=10000),
        ),
        ctgov=CtgovSettings(
            base_url=_url(env.get("LITWATCH_CTGOV_URL") or r.string("ctgov.base_url"),
                          "ctgov.base_url"),
            rate_limit=r.number("ctgov.rate_limit"),
            page_size=r.integer("ctgov.page_size", minimum=1, maximum=1000),
            overlap_days=r.integer("ctgov.overlap_days", minimum=0),
        ),
        drugs=_drugs(r),
        indications=_indications(r),
        feeds=_feeds(r, env.get("LITWATCH_FEED_URLS")),
        digest=DigestSettings(
            timezone=_timezone(r.string("digest.timezone"), "digest.timezone"),
            archive_dir=_path(r.string("digest.archive_dir"), base_dir),
            send_empty=r.boolean("digest.send_empty"),
            max_html_kb=r.integer("digest.max_html_kb", minimum=10),
            top_items_per_group=r.integer("digest.top_items_per_group", minimum=1),
            archive_base_url=r.string("digest.archive_base_url", allow_empty=True),
        ),
        smtp=_smtp(r, env),
        schedule=ScheduleSettings(
            timezone=_timezone(r.string("schedule.timezone"), "schedule.timezone"),
            sync=r.string("schedule.sync"),
            digest=r.string("schedule.digest"),
            misfire_grace_seconds=r.integer("schedule.misfire_grace_seconds", minimum=1),
            lock_file=_path(r.string("schedule.lock_file"), base_dir),
        ),
        extra={k: v for k, v in raw.items() if k not in _KNOWN_SECTIONS},
    )


_KNOWN_SECTIONS = {"database", "http", "pubmed", "ctgov", "drugs", "indication", "feed",
                   "digest", "smtp", "schedule"}


class _Reader:
    """Typed access to nested TOML keys by dotted name, with key-naming errors."""

    def __init__(self, raw: Mapping[str, Any]):
        self.raw = raw

    def get(self, key: str) -> Any:
        node: Any = self.raw
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise ConfigError(f"missing setting: {key}")
            node = node[part]
        return node

    def string(self, key: str, allow_empty: bool = False) -> str:
        value = self.get(key)
        if not isinstance(value, str):
            raise ConfigError(f"{key}: expected a string, got {type(value).__name__}")
        if not allow_empty and not value.strip():
            raise ConfigError(f"{key}: must not be empty")
        return value

    def number(self, key: str, allow_zero: bool = False) -> float:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{key}: expected a number, got {value!r}")
        if value < 0 or (value == 0 and not allow_zero):
            raise ConfigError(f"{key}: must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")
        return float(value)

    def integer(self, key: str, minimum: int | None = None, maximum: int | None = None) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{key}: expected an integer, got {value!r}")
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise ConfigError(f"{key}: must be between {minimum} and {maximum}, got {value}")
        return value

    def boolean(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {value!r}")
        return value


def _database_url(url: str, base_dir: Path) -> str:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        rel = url[len("sqlite:///"):]
        if rel and rel != ":memory:":
            return "sqlite:///" + str((base_dir / rel).resolve())
    if not url.startswith(("sqlite:", "postgresql")):
        raise ConfigError(f"database.url: unsupported database {url.split(':')[0]!r} "
                          "(use sqlite:/// or postgresql+psycopg://)")
    return url


def _url(value: str, key: str, base: bool = True) -> str:
    """Validate an http(s) URL; API base URLs get the trailing slash urljoin needs."""
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"{key}: expected an http(s) URL, got {value!r}")
    return value if value.endswith("/") or not base else value + "/"


def _path(value: str, base_dir: Path) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else base_dir / p


def _timezone(value: str, key: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{key}: unknown time zone {value!r}") from None
    return value


def _drugs(r: _Reader) -> dict[str, tuple[str, ...]]:
    drugs = r.get("drugs")
    if not isinstance(drugs, Mapping) or not drugs:
        raise ConfigError("drugs: expected a table of drug = [terms]")
    out: dict[str, tuple[str, ...]] = {}
    for name, terms in drugs.items():
        if name not in vocab.DRUGS:
            raise ConfigError(f"drugs.{name}: unknown drug (known: {', '.join(vocab.DRUGS)})")
        if not isinstance(terms, list) or not terms or not all(
                isinstance(t, str) and t.strip() for t in terms):
            raise ConfigError(f"drugs.{name}: expected a non-empty list of terms")
        out[name] = tuple(terms)
    return out


def _indications(r: _Reader) -> tuple[IndicationQuery, ...]:
    items = r.get("indication")
    if not isinstance(items, list) or not items:
        raise ConfigError("indication: expected at least one [[indication]] table")
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        where = f"indication[{i}]"
        sub = _Reader(item)
        name = sub.string("name") if "name" in item else None
        if not name:
            raise ConfigError(f"{where}.name: missing setting")
        where = f"indication[{name}]"
        if name in seen:
            raise ConfigError(f"{where}.name: duplicate query name {name!r}")
        seen.add(name)
        labels = item.get("labels", [])
        if not isinstance(labels, list):
            raise ConfigError(f"{where}.labels: expected a list of indication keys")
        for label in labels:
            if label not in vocab.INDICATIONS:
                raise ConfigError(f"{where}.labels: unknown indication {label!r} "
                                  f"(known: {', '.join(vocab.INDICATIONS)})")
        for key in ("pubmed", "ctgov"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise ConfigError(f"{where}.{key}: missing setting")
        out.append(IndicationQuery(name, tuple(labels), item["pubmed"], item["ctgov"]))
    return tuple(out)


def _feeds(r: _Reader, override: str | None) -> tuple[Feed, ...]:
    if override is not None:
        feeds = []
        for part in filter(None, (p.strip() for p in override.split(","))):
            name, sep, url = part.partition("=")
            if not sep or not name:
                raise ConfigError(f"LITWATCH_FEED_URLS: expected name=url, got {part!r}")
            feeds.append(Feed(name.strip(),
                              _url(url.strip(), f"LITWATCH_FEED_URLS[{name}]", base=False)))
        return tuple(feeds)
    items = r.raw.get("feed", [])
    if not isinstance(items, list):
        raise ConfigError("feed: expected [[feed]] tables")
    out = []
    for i, item in enumerate(items):
        sub = _Reader(item)
        name = sub.string("name") if "name" in item else ""
        if not name:
            raise ConfigError(f"feed[{i}].name: missing setting")
        out.append(Feed(name, _url(sub.string("url") if "url" in item else "",
                                   f"feed[{name}].url", base=False)))
    return tuple(out)


def _smtp(r: _Reader, env: Mapping[str, str]) -> SmtpSettings:
    security = r.string("smtp.security")
    if security not in ("starttls", "ssl", "none"):
        raise ConfigError(f"smtp.security: expected starttls, ssl or none, got {security!r}")
    recipients = r.get("smtp.recipients")
    if not isinstance(recipients, list) or not all(isinstance(x, str) for x in recipients):
        raise ConfigError("smtp.recipients: expected a list of addresses")
    return SmtpSettings(
        host=r.string("smtp.host"),
        port=r.integer("smtp.port", minimum=1, maximum=65535),
        security=security,
        username=r.string("smtp.username", allow_empty=True),
        password=env.get("LITWATCH_SMTP_PASSWORD") or None,
        sender=r.string("smtp.sender"),
        recipients=tuple(recipients),
        list_unsubscribe=r.string("smtp.list_unsubscribe", allow_empty=True),
    )
