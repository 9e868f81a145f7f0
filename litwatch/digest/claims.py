"""The optional claims section: asks litwatch.claims (when installed) what changed.

The claims check is built separately; until it exists, or when it has nothing
to say for the window, the digest simply has no claims section.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from litwatch.config import Settings
from litwatch.digest.urls import source_url

log = logging.getLogger(__name__)


@dataclass
class ClaimView:
    claim_id: str
    claim: str
    seed: str
    verdict: str
    new_records: list[tuple[str, str | None]] = field(default_factory=list)   # (label, url)


def claims_for_window(settings: Settings, engine: Engine, start: datetime, end: datetime
                      ) -> list[ClaimView]:
    try:
        from litwatch.claims.watch import claims_watch  # type: ignore[import-not-found]
    except ImportError:
        return []
    return [_view(c) for c in claims_watch(settings, engine, start, end) or []]


def _view(claim: Any) -> ClaimView:
    def text(name: str) -> str:
        return str(getattr(claim, name, "") or "")
    return ClaimView(text("claim_id"), text("claim"), text("seed"), text("verdict"),
                     [_record_ref(r) for r in _as_list(getattr(claim, "new_records", []))])


def _as_list(value: Any) -> Sequence[Any]:
    return list(value) if value else []


def _record_ref(record: Any) -> tuple[str, str | None]:
    """A record id, or a row-like object with source/source_id/title, as (label, url)."""
    source, source_id = getattr(record, "source", None), getattr(record, "source_id", None)
    if source and source_id:
        title = getattr(record, "title", "") or source_id
        return str(title), source_url(str(source), str(source_id))
    return f"record {record}", None
