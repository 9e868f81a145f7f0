"""The digest's "claims watch": claims that gained evidence in a window.

Claims are named by their article's title and publisher (seeds.toml), never by
the file the article is kept in.

A record is new to a claim when it entered its source (PubMed entry date, trial
first posted, feed date) or our store (first_seen) inside [start, end).  Both
count because a sync can pick up an old record late, and the reader should hear
about it the week litwatch learned of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from litwatch.claims.engine import check_claims
from litwatch.claims.model import default_claims_path, load_claims
from litwatch.claims.seeds import label_of
from litwatch.claims.summary import Finding
from litwatch.digest.window import iso_day
from litwatch.store.read import as_utc


@dataclass
class ClaimWatch:
    claim_id: str
    claim: str
    seed: str               # "Title — publisher" of the article(s) making the claim
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
        new = [f for f in report.findings if _is_new(f, start, end)]
        if not new:
            continue
        reviewer = report.claim.reviewer
        out.append(ClaimWatch(
            claim_id=report.claim.id, claim=report.claim.claim,
            seed="; ".join(label_of(a) for a in report.claim.seeds),
            verdict=report.verdict, new_records=[_record(ev) for ev in new],
            suggested_verdict=report.suggested,
            reviewer_verdict=reviewer.verdict if reviewer else None))
    return out


def _is_new(finding: Finding, start: datetime, end: datetime) -> bool:
    facts = finding.facts
    if as_utc(start) <= as_utc(facts.first_seen) < as_utc(end):
        return True
    # Partial dates ("2024-05") are not a day; they cannot place a record in a week.
    entered = iso_day(facts.entry_date)
    return entered is not None and start.date() <= entered < end.date()


def _record(finding: Finding) -> dict[str, Any]:
    facts = finding.facts
    stance = finding.stance if finding.counted else \
        f"not counted: {finding.excluded or 'no finding'}"
    return {"title": facts.title, "url": facts.url, "design": facts.design_name,
            "source": facts.source, "source_id": facts.source_id, "year": facts.year,
            "journal": facts.journal_abbrev or facts.journal, "stance": stance,
            "retracted": facts.retracted}
