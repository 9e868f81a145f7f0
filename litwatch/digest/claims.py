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
from litwatch.store.read import source_url, web_url

log = logging.getLogger(__name__)
# A week can touch fifty claims with two hundred records between them, most of
# them the week's own items: a claim names them by the item numbers of this
# digest ("[4] for, [9] mixed"), and only records the digest does not list by a
# link, so the section stays short and still names every record.


@dataclass
class ClaimRecord:
    ident: str              # "PMID 123" / "NCT01234567" / the title of a feed item
    url: str | None
    stance: str = ""        # for | against | mixed ...
    source_key: tuple[str, str] = ("", "")
    number: int = 0         # the item number in this digest, 0 when not listed in it


@dataclass
class ClaimView:
    claim_id: str
    claim: str
    seed: str               # the article the claim comes from: title (publisher)
    verdict: str
    new_records: list[ClaimRecord] = field(default_factory=list)


@dataclass
class SeedClaims:
    seed: str
    claims: list[ClaimView]


def by_seed(claims: list[ClaimView]) -> list[SeedClaims]:
    """Claims under the article they come from, in first-seen order."""
    groups: dict[str, SeedClaims] = {}
    for claim in claims:
        groups.setdefault(claim.seed, SeedClaims(claim.seed, [])).claims.append(claim)
    return list(groups.values())


def number_records(claims: list[ClaimView], numbers: dict[tuple[str, str], int]) -> None:
    """Point each claim's records at this digest's item numbers."""
    for claim in claims:
        for record in claim.new_records:
            record.number = numbers.get(record.source_key, 0)
        claim.new_records.sort(key=lambda r: (r.number == 0, r.number))


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
    return ClaimView(text("claim_id"), text("claim"), text("seed"), text("verdict"), records)


def _as_list(value: Any) -> Sequence[Any]:
    return list(value) if value else []


def _field(record: Any, name: str) -> str:
    value = record.get(name) if isinstance(record, dict) else getattr(record, name, None)
    return str(value) if value not in (None, "") else ""


def _record(record: Any) -> ClaimRecord:
    """A dict or row-like object (title, url, source, source_id, stance) or an id."""
    if not isinstance(record, dict) and not hasattr(record, "source_id"):
        return ClaimRecord(f"record {record}", None)
    source, source_id = _field(record, "source"), _field(record, "source_id")
    url = web_url(_field(record, "url")) or (source_url(source, source_id) if source_id else None)
    title = _field(record, "title") or source_id
    ident = {"pubmed": f"PMID {source_id}", "ctgov": source_id}.get(source) or _clip(title)
    return ClaimRecord(ident, url, _field(record, "stance"), (source, source_id))


def _clip(title: str, limit: int = 60) -> str:
    title = " ".join(title.split())
    return title if len(title) <= limit else title[:limit].rsplit(" ", 1)[0] + "…"
