"""The digest's "claims watch": claims that gained evidence in a window.

A record is new to a claim when it entered its source (PubMed entry date, trial
first posted, feed date) or our store (first_seen) inside [start, end).  Both
count because a sync can pick up an old record late, and the reader should hear
about it the week litwatch learned of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from litwatch.claims.check import check_claims
from litwatch.claims.evidence import Evidence
from litwatch.claims.model import default_claims_path, load_claims


@dataclass
class ClaimWatch:
    claim_id: str
    claim: str
    seed: str
    verdict: str
    new_records: list[dict[str, Any]] = field(default_factory=list)
    suggested_verdict: str = ""
    reviewer_verdict: str | None = None


def claims_watch(settings: Any, engine: Engine, start: datetime, end: datetime,
                 claims_path: Path | None = None) -> list[ClaimWatch]:
    """Claims with records new in [start, end), in claims.toml order."""
    path = claims_path or default_claims_path(getattr(settings, "path", None))
    out = []
    for report in check_claims(engine, load_claims(path)):
        new = [ev for ev in report.evidence if _is_new(ev, start, end)]
        if not new:
            continue
        reviewer = report.claim.reviewer
        out.append(ClaimWatch(
            claim_id=report.claim.id, claim=report.claim.claim, seed=report.claim.seed,
            verdict=report.verdict, new_records=[_record(ev) for ev in new],
            suggested_verdict=report.suggested,
            reviewer_verdict=reviewer.verdict if reviewer else None))
    return out


def _is_new(ev: Evidence, start: datetime, end: datetime) -> bool:
    seen = _aware(ev.first_seen)
    if _aware(start) <= seen < _aware(end):
        return True
    entered = _parse_date(ev.entry_date)
    return entered is not None and start.date() <= entered.date() < end.date()


def _aware(moment: datetime) -> datetime:
    # SQLite hands datetimes back naive; they were stored as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _parse_date(value: str | None) -> datetime | None:
    # Partial dates ("2024-05") are not a day; they cannot place a record in a week.
    if not value or len(value) < 10:
        return None
    try:
        return datetime.fromisoformat(value[:10])
    except ValueError:
        return None


def _record(ev: Evidence) -> dict[str, Any]:
    return {"title": ev.title, "url": ev.url, "design": ev.design_name, "source": ev.source,
            "source_id": ev.source_id, "year": ev.year, "journal": ev.journal_abbrev or ev.journal,
            "stance": ev.stance, "retracted": ev.retracted}
