"""The optional claims section: asks litwatch.claims.watch (when present) what changed.

The claims check is built and configured separately.  When it is missing, has
nothing for the window, or fails (no claims file, a bad claim), the digest goes
out without the section: a weekly bulletin must not be held back by an extra.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from litwatch.config.loader import Settings
from litwatch.digest.urls import source_url, web_url

log = logging.getLogger(__name__)
# A claim can gain many records in a week; the claims report has them all.
MAX_RECORDS_PER_CLAIM = 3


@dataclass
class ClaimRecord:
    title: str
    url: str | None
    note: str = ""          # design and stance, e.g. "RCT, supports"


@dataclass
class ClaimView:
    claim_id: str
    claim: str
    seed: str
    verdict: str
    new_records: list[ClaimRecord] = field(default_factory=list)
    more: int = 0


def claims_for_window(settings: Settings, engine: Engine, start: datetime, end: datetime
                      ) -> list[ClaimView]:
    try:
        from litwatch.claims.watch import claims_watch
    except ImportError:
        return []
    try:
        return [_view(c) for c in claims_watch(settings, engine, start, end) or []]
    except Exception as exc:   # any failure of the extra only omits the extra
        log.warning("claims watch left out of the digest: %s", exc)
        return []


def _view(claim: Any) -> ClaimView:
    def text(name: str) -> str:
        return str(getattr(claim, name, "") or "")
    records = [_record(r) for r in _as_list(getattr(claim, "new_records", []))]
    return ClaimView(text("claim_id"), text("claim"), text("seed"), text("verdict"),
                     records[:MAX_RECORDS_PER_CLAIM],
                     max(0, len(records) - MAX_RECORDS_PER_CLAIM))


def _as_list(value: Any) -> Sequence[Any]:
    return list(value) if value else []


def _field(record: Any, name: str) -> str:
    value = record.get(name) if isinstance(record, dict) else getattr(record, name, None)
    return str(value) if value not in (None, "") else ""


def _record(record: Any) -> ClaimRecord:
    """A dict or row-like object (title, url, source, source_id, design, stance) or an id."""
    if not isinstance(record, dict) and not hasattr(record, "source_id"):
        return ClaimRecord(f"record {record}", None)
    source, source_id = _field(record, "source"), _field(record, "source_id")
    url = web_url(_field(record, "url")) or (source_url(source, source_id) if source_id else None)
    note = ", ".join(x for x in (_field(record, "design"), _field(record, "stance")) if x)
    return ClaimRecord(_field(record, "title") or source_id, url, note)
