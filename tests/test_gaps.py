"""Publication-gap flags: completed trials with no results a year on."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session, select

from litwatch.store.tables import FlagRow, RecordRow
from litwatch.sync.gaps import completion_day, gap_evidence, refresh_publication_gaps
from litwatch.sync.load import load_directory
from tests.conftest import REALDATA

TODAY = date(2026, 11, 21)


def trial(**fields) -> dict:
    base = {"overall_status": "COMPLETED", "completion_date": "2024-05",
            "has_results": False, "results_first_post_date": None}
    return base | fields


def test_partial_dates_count_from_their_last_day() -> None:
    assert completion_day("2024-02") == date(2024, 2, 29)
    assert completion_day("2019") == date(2019, 12, 31)
    assert completion_day("2020-06-15") == date(2020, 6, 15)


def test_gap_rules() -> None:
    assert "no results posted" in gap_evidence(trial(), linked=False, today=TODAY)
    assert gap_evidence(trial(), linked=True, today=TODAY) is None
    assert gap_evidence(trial(has_results=True), linked=False, today=TODAY) is None
    assert gap_evidence(trial(overall_status="RECRUITING"), linked=False, today=TODAY) is None
    assert gap_evidence(trial(completion_date="2026-01-10"), linked=False, today=TODAY) is None
    assert gap_evidence(trial(completion_date="2025-11-21"), linked=False, today=TODAY)


def test_refresh_flags_and_unflags(engine) -> None:
    load_directory(engine, REALDATA / "ctgov")
    refresh_publication_gaps(engine, TODAY)
    with Session(engine) as s:
        flagged = {r.source_id for r in s.exec(
            select(RecordRow).join(FlagRow, FlagRow.record_id == RecordRow.id)
            .where(FlagRow.kind == "publication_gap"))}
        data = {r.source_id: json.loads(r.data) for r in s.exec(select(RecordRow))}
    # NCT03418623 (completed 2020, no results, only a BACKGROUND reference) is a gap;
    # NCT00763412 posted results; NCT02552212 has RESULT papers.
    assert "NCT03418623" in flagged
    assert not {"NCT00763412", "NCT02552212"} & flagged
    assert all(data[n]["overall_status"] in ("COMPLETED", "TERMINATED") for n in flagged)
    # Three months after its completion (2020-03-13) the same trial is not yet a gap.
    refresh_publication_gaps(engine, date(2020, 6, 1))
    with Session(engine) as s:
        early = {r.source_id for r in s.exec(
            select(RecordRow).join(FlagRow, FlagRow.record_id == RecordRow.id)
            .where(FlagRow.kind == "publication_gap"))}
    assert "NCT03418623" not in early and early <= flagged
