"""Publication gaps: trials completed a year or more ago with nothing to show.

A trial is flagged when its completion date is 12 or more months past, no results
are posted on ClinicalTrials.gov, and no stored paper is linked to it as a result
(a RESULT reference in the registration, or a paper naming the NCT id in its
DataBankList or text).  Flags are recomputed after every sync, so a trial loses
its flag as soon as its results appear.
"""

from __future__ import annotations

import calendar
import json
from datetime import date
from typing import Any

from sqlalchemy import Engine, Table, delete, select
from sqlmodel import col

from litwatch.store.derived import dialect_insert
from litwatch.store.tables import FLAG_KEY, FlagRow, LinkRow, RecordRow

# SQLModel declares `__table__` on the class at runtime only; the stubs do not know it.
FLAG: Table = FlagRow.__table__  # type: ignore[attr-defined]

GAP_MONTHS = 12
FINISHED = {"COMPLETED", "TERMINATED"}
RESULT_LINKS = {"RESULT", "databank", "text"}


def completion_day(value: str | None) -> date | None:
    """Partial dates ("2019-05") count from the last day they can mean."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return date(year, month, day)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def gap_evidence(trial: dict[str, Any], linked: bool, today: date) -> str | None:
    """Why the trial has a publication gap, or None when it has none."""
    if trial.get("overall_status") not in FINISHED or linked:
        return None
    if trial.get("has_results") or trial.get("results_first_post_date"):
        return None
    done = completion_day(trial.get("completion_date") or trial.get("primary_completion_date"))
    if done is None or months_between(done, today) < GAP_MONTHS:
        return None
    return (f"{trial['overall_status'].lower()} {trial.get('completion_date') or done}, "
            f"no results posted and no linked results paper after "
            f"{months_between(done, today)} months")


def refresh_publication_gaps(engine: Engine, today: date) -> int:
    """Recompute every publication-gap flag; return how many trials carry one."""
    with engine.begin() as conn:
        linked = {row.nct_id for row in conn.execute(
            select(col(LinkRow.nct_id)).where(col(LinkRow.kind).in_(RESULT_LINKS)))}
        trials = conn.execute(select(col(RecordRow.id), col(RecordRow.source_id),
                                     col(RecordRow.data))
                              .where(col(RecordRow.source) == "ctgov")).all()
        conn.execute(delete(FlagRow).where(col(FlagRow.kind) == "publication_gap"))
        flags: list[dict[str, Any]] = []
        for record_id, nct_id, data in trials:
            evidence = gap_evidence(json.loads(data), nct_id in linked, today)
            if evidence:
                flags.append({"record_id": record_id, "kind": "publication_gap",
                              "ref_pmid": "", "evidence": evidence})
        if flags:
            # Two syncs of one PostgreSQL store refresh at once: the other's flags,
            # inserted after this DELETE's snapshot, are not deleted by it, and a plain
            # INSERT of the same flag fails on uq_flag.  The same flag is the same row.
            insert = dialect_insert(conn, FLAG)
            conn.execute(insert.on_conflict_do_update(
                index_elements=list(FLAG_KEY),
                set_={"evidence": insert.excluded.evidence}), flags)
    return len(flags)
