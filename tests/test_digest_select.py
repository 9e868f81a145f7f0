"""Which records a week's digest reports, and how they are grouped and counted."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from litwatch.classify.labels import Classification, Label
from litwatch.digest.model import build_groups, count_numbers
from litwatch.digest.select import select_window
from litwatch.digest.window import week_window
from litwatch.records import Paper, Trial
from litwatch.store.tables import DigestRunRow
from litwatch.sync.pipeline import Incoming, ingest_batch
from testkit.digest_sample import sample_week

W46 = week_window("2026-W46", "Europe/London")


def store(engine: Engine, record, labels: list[Label], seen: datetime) -> None:
    ingest_batch(engine, [Incoming(record, b"", Classification(labels))], now=seen)


def paper(pmid: str, entered: str, title: str = "", nct_ids: list[str] | None = None) -> Paper:
    return Paper(pmid=pmid, title=title or f"Paper {pmid}", entrez_date=entered,
                 nct_ids=nct_ids or [])


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=UTC)


def test_new_records_by_entry_date_and_how_they_arrived(engine: Engine) -> None:
    store(engine, paper("1", "2026-11-10"), [], at("2026-11-10"))
    late = paper("2", "2026-11-11")                                    # late arrival:
    late.pub_date = "2019 Mar"                                         # published 2019
    store(engine, late, [], at("2026-11-11"))
    store(engine, paper("3", "2026-11-16"), [], at("2026-11-16"))      # next week
    store(engine, paper("4", "2026-11-01"), [], at("2026-11-02"))      # last week, on time
    store(engine, paper("5", "2026-11-05"), [], at("2026-11-10"))      # caught up
    store(engine, paper("6", "2022-11-20"), [], at("2026-11-10"))      # an older record
    selection = select_window(engine, W46)
    got = {e.row.source_id: (e.arrival.kind, e.late) for e in selection.new}
    assert got == {"1": ("", False), "2": ("", True), "5": ("caught_up", False)}
    assert [e.row.source_id for e in selection.older] == ["6"]
    numbers = count_numbers(selection)
    assert (numbers.late_arrivals, numbers.caught_up, numbers.older, numbers.total) == (1, 1, 1, 3)
    notes = {e.row.source_id: e.arrival.note for e in selection.new + selection.older}
    assert notes["2"] == "late arrival: published Mar 2019, entered PubMed 11 Nov 2026"
    assert notes["6"].startswith("entered PubMed 20 Nov 2022, first seen by litwatch")


def test_off_topic_records_are_left_out(engine: Engine) -> None:
    store(engine, paper("7", "2026-11-10"), [Label("topic", "off_topic")], at("2026-11-10"))
    store(engine, paper("8", "2026-11-10"), [Label("topic", "on_topic")], at("2026-11-10"))
    assert [e.row.source_id for e in select_window(engine, W46).new] == ["8"]


def test_late_arrival_already_in_a_sent_digest_is_not_repeated(engine: Engine) -> None:
    # Synced Monday 06:00, entry date Sunday of W45: the W45 digest sent at 07:00 had it.
    store(engine, paper("10", "2026-11-08"), [], at("2026-11-09", 6))
    # Synced Tuesday with the same entry date: W45 was already out, so W46 must carry it.
    store(engine, paper("11", "2026-11-08"), [], at("2026-11-10"))
    w45 = week_window("2026-W45", "Europe/London")
    with Session(engine) as session, session.begin():
        session.add(DigestRunRow(week="2026-W45", window_start=w45.start.isoformat(),
                                 window_end=w45.end.isoformat(), status="sent",
                                 sent_at=at("2026-11-09", 7)))
    assert [e.row.source_id for e in select_window(engine, W46).new] == ["11"]


def test_updated_trial_lists_first_before_and_last_after(engine: Engine) -> None:
    def trial(status: str, updated: str, enrollment: int) -> Trial:
        return Trial(nct_id="NCT01234567", brief_title="Esketamine trial", overall_status=status,
                     first_post_date="2025-01-05", last_update_post_date=updated,
                     enrollment=enrollment)
    store(engine, trial("RECRUITING", "2025-06-01", 40), [], at("2025-06-02"))
    store(engine, trial("ACTIVE_NOT_RECRUITING", "2026-11-10", 40), [], at("2026-11-11"))
    store(engine, trial("COMPLETED", "2026-11-12", 52), [], at("2026-11-13"))
    selection = select_window(engine, W46)
    assert selection.new == [] and len(selection.updated) == 1
    [group] = build_groups(selection)
    [item] = group.items
    assert item.kind == "updated_trial"
    # The week's first "before" and last "after": one change, not two.
    assert item.news == ["completed, enrollment 40 → 52"]


def test_trial_news_in_words(engine: Engine) -> None:
    def trial(status: str, updated: str, enrollment: int, kind: str, why: str = "") -> Trial:
        return Trial(nct_id="NCT01234568", brief_title="Ketamine trial", overall_status=status,
                     first_post_date="2025-01-05", last_update_post_date=updated,
                     enrollment=enrollment, enrollment_type=kind, why_stopped=why,
                     phases=["PHASE2", "PHASE3"], primary_outcomes=["MADRS change"])
    store(engine, trial("RECRUITING", "2025-06-01", 30, "ESTIMATED"), [], at("2025-06-02"))
    store(engine, trial("TERMINATED", "2026-11-10", 11, "ACTUAL", "Slow accrual."), [],
          at("2026-11-11"))
    [item] = build_groups(select_window(engine, W46))[0].items
    assert item.news == ["recruitment ended early: terminated, 11 of 30 enrolled; "
                         "why stopped: Slow accrual."]
    assert "Terminated" in item.facts and "Phase 2/3" in item.facts
    assert "N=11 enrolled" in item.facts and item.finding == "Primary outcome: MADRS change"


def test_retraction_is_reported_once_in_its_own_section(engine: Engine) -> None:
    from litwatch.records import Reference
    retracted = paper("20", "2026-11-11", title="Retracted ketamine trial")
    retracted.comments_corrections = [Reference("RetractionIn", "30")]
    store(engine, retracted, [Label("indication", "trd")], at("2026-11-11"))
    selection = select_window(engine, W46)
    assert selection.new == [] and [e.row.source_id for e in selection.flagged] == ["20"]
    [group] = build_groups(selection)
    assert group.designs[0].key == "flagged" and group.count == 1
    assert group.designs[0].items[0].flags == ["Retracted (notice: PMID 30)"]


def test_each_record_once_under_its_main_indication(engine: Engine) -> None:
    labels = [Label("indication", "suicidal_ideation", "mesh"), Label("indication", "trd", "mesh"),
              Label("indication", "mdd", "title"), Label("route", "intranasal"),
              Label("design", "rct")]
    store(engine, paper("40", "2026-11-10", nct_ids=["NCT07654321"]), labels, at("2026-11-10"))
    store(engine, paper("41", "2026-11-10"), [Label("indication", "ptsd", "mesh"),
                                              Label("indication", "anxiety", "title"),
                                              Label("route", "intranasal")], at("2026-11-10"))
    store(engine, paper("42", "2026-11-10"), [Label("indication", "ptsd"),
                                              Label("route", "intranasal"),
                                              Label("design", "systematic_review")],
          at("2026-11-10"))
    store(engine, paper("43", "2026-11-10"), [], at("2026-11-10"))
    store(engine, Trial(nct_id="NCT07654321", brief_title="The linked trial",
                        first_post_date="2024-01-01"), [], at("2024-01-02"))
    selection = select_window(engine, W46)
    groups = build_groups(selection)
    # TRD is more specific than MDD (even named in the title), a title beats MeSH
    # (anxiety over PTSD), then vocabulary order (TRD before suicidal ideation);
    # unlabelled records last.
    assert [g.title for g in groups] == ["Treatment-resistant depression", "PTSD",
                                         "Anxiety disorders", "Other / unclassified"]
    ids = [item.record_id for g in groups for item in g.items]
    assert len(ids) == len(set(ids)) == 4 == count_numbers(selection).total
    assert [g.count for g in groups] == [1, 1, 1, 1]
    [rct] = groups[0].items
    assert rct.notes == ["also: Major depression, Suicidal ideation"]
    assert "Intranasal" in rct.facts
    assert [(ref.label, ref.url, ref.title) for ref in rct.linked] == [
        ("NCT07654321", "https://clinicaltrials.gov/study/NCT07654321", "The linked trial")]
    assert [d.title for d in groups[1].designs] == ["Systematic review / meta-analysis"]


def test_sample_week_fills_every_section(engine: Engine) -> None:
    sample_week(engine, "2026-W46", count=40)
    numbers = count_numbers(select_window(engine, W46))
    assert numbers.new_papers and numbers.new_trials and numbers.feed_items
    assert (numbers.updated_trials, numbers.retractions, numbers.late_arrivals,
            numbers.caught_up, numbers.older) == (1, 1, 1, 1, 1)
