"""Every setting litwatch reads, declared once.

One row per setting: its key ("section.name"; a bare name is a whole table such
as [drugs], or an environment-only value), its kind (type and bounds), its
default (as it would be written in config.toml), the environment variable that
overrides it, and a line of help.  The loader, the dataclass defaults, the README
table (litwatch.config.docs) and tests/test_docs.py are all derived from SETTINGS,
so adding a setting here is the one place to add it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litwatch.config import kinds as k
from litwatch.config import watchlist as w


@dataclass(frozen=True)
class Setting:
    key: str
    kind: k.Kind
    default: Any
    help: str
    env: str | None = None
    file: bool = True           # False: environment only (secrets, the clock)

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[-1]


S = Setting
SETTINGS: tuple[Setting, ...] = (
    S("database.url", k.DATABASE_URL, "sqlite:///data/litwatch.db",
      "SQLite (relative paths: to the config file's directory) or PostgreSQL, e.g. "
      "`postgresql+psycopg://user@host/db`", env="LITWATCH_DATABASE_URL"),

    S("http.timeout_seconds", k.number(), 30.0, "connect and read timeout of every request"),
    S("http.max_retries", k.integer(0), 5,
      "retries after 429, 5xx, timeouts and connection errors"),
    S("http.backoff_seconds", k.number(allow_zero=True), 1.0,
      "first retry delay; doubles each time, with jitter"),
    S("http.max_backoff_seconds", k.number(), 60.0,
      "no single wait (incl. Retry-After) is longer than this"),
    S("http.max_response_mb", k.number(), 200.0,
      "larger bodies are refused, not loaded into memory"),
    S("http.user_agent", k.string(), "litwatch/0.1 (+https://github.com/litwatch/litwatch)",
      "User-Agent header of every request"),

    S("pubmed.base_url", k.url(), "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/",
      "NCBI E-utilities base URL (the demo and tests use the emulator)",
      env="LITWATCH_EUTILS_URL"),
    S("pubmed.tool", k.string(), "litwatch", "`tool` parameter NCBI asks clients to send"),
    S("pubmed.email", k.EMAIL, "",
      "contact address NCBI asks for; a live sync without one warns", env="LITWATCH_NCBI_EMAIL"),
    S("pubmed.api_key", k.string(), None,
      "NCBI API key (10 requests/s instead of 3); secret", env="NCBI_API_KEY", file=False),
    S("pubmed.rate_limit", k.number(), 3.0,
      "requests per second without an API key (NCBI allows 3)"),
    S("pubmed.rate_limit_with_key", k.number(), 10.0,
      "requests per second with NCBI_API_KEY (NCBI allows 10)"),
    S("pubmed.batch_size", k.integer(1, 500), 400,
      "ids per efetch POST (NCBI suggests at most 500)"),
    S("pubmed.overlap_days", k.integer(0), 3,
      "re-read this many days before the last watermark"),
    S("pubmed.retmax", k.integer(1, 10000), 10000, "esearch page size (PubMed's own cap)"),

    S("ctgov.base_url", k.url(), "https://clinicaltrials.gov/api/v2/",
      "ClinicalTrials.gov API v2 base URL", env="LITWATCH_CTGOV_URL"),
    S("ctgov.rate_limit", k.number(), 1.0,
      "requests per second (robots.txt asks for one second between requests)"),
    S("ctgov.page_size", k.integer(1, 1000), 1000, "studies per page (the API maximum)"),
    S("ctgov.overlap_days", k.integer(0), 2,
      "re-read this many days before the last watermark"),

    S("drugs", w.DRUGS, w.DEFAULT_DRUGS,
      "terms that make a record \"about\" each drug (queries, feed filter)"),
    S("indication", w.INDICATIONS, w.DEFAULT_INDICATIONS,
      "the indication queries: one PubMed and one ClinicalTrials.gov search each"),
    S("feed", w.FEEDS, w.DEFAULT_FEEDS,
      "RSS/Atom feeds; the variable takes `name=url,name=url` (empty: no feeds)",
      env="LITWATCH_FEED_URLS"),

    S("digest.timezone", k.TIMEZONE, "Europe/London",
      "weeks run Monday to Sunday in this zone"),
    S("digest.archive_dir", k.PATH, "data/digests",
      "every digest is written here as standalone HTML"),
    S("digest.send_empty", k.BOOLEAN, True,
      "send a short \"nothing new\" digest for an empty week"),
    S("digest.max_html_kb", k.integer(10), 95,
      "above this the email lists only the top items per group"),
    S("digest.top_items_per_group", k.integer(1), 5,
      "... this many, then \"and N more\" and the archive link"),
    S("digest.archive_base_url", k.string(allow_empty=True), "",
      "public URL of archive_dir, for \"read the full digest\""),

    S("smtp.host", k.string(), "localhost", "SMTP server"),
    S("smtp.port", k.integer(1, 65535), 587, "SMTP port"),
    S("smtp.security", k.choice("starttls", "ssl", "none"), "starttls",
      "how the connection is secured"),
    S("smtp.username", k.string(allow_empty=True), "", "SMTP login (empty: no login)"),
    S("smtp.password", k.string(), None, "SMTP password; secret",
      env="LITWATCH_SMTP_PASSWORD", file=False),
    S("smtp.sender", k.string(), "litwatch <litwatch@localhost>", "From: header"),
    S("smtp.recipients", k.STRING_LIST, [], "To: addresses of the digest"),
    S("smtp.list_unsubscribe", k.string(allow_empty=True),
      "mailto:litwatch-unsubscribe@localhost", "List-Unsubscribe: header (empty: none)"),

    S("schedule.timezone", k.TIMEZONE, "Europe/London", "zone of the crontab expressions"),
    S("schedule.sync", k.string(), "0 6 * * *", "crontab of the sync (daily at 06:00)"),
    S("schedule.digest", k.string(), "0 7 * * mon",
      "crontab of the digest (Monday 07:00: last week's)"),
    S("schedule.misfire_grace_seconds", k.integer(1), 3600,
      "a run missed by less than this (host asleep) still runs"),
    S("schedule.lock_file", k.PATH, "data/litwatch.lock",
      "run lock shared by `litwatch run` and `litwatch schedule`"),

    S("today", k.DATE, None,
      "pins the date every job believes it is (the demo and tests replay past weeks)",
      env="LITWATCH_TODAY", file=False),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}
# Bare keys are whole top-level values; the others group into [section] tables.
TABLES: dict[str, dict[str, Setting]] = {}
for _s in SETTINGS:
    if "." in _s.key:
        TABLES.setdefault(_s.section, {})[_s.name] = _s


def default(key: str) -> Any:
    """The typed default of `key`, e.g. for a dataclass field.  Paths stay relative:
    they are resolved against the config file's directory only when loading."""
    setting = BY_KEY[key]
    if setting.default is None:
        return None
    return setting.kind.check(setting.default, key, Path())
