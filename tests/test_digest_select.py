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


def test_new_records_by_entry_date_and_late_arrivals(engine: Engine) -> None:
    store(engine, paper("1", "2026-11-10"), [], at("2026-11-10"))
    store(engine, paper("2", "2026-09-01"), [], at("2026-11-11"))      # late arrival
    store(engine, paper("3", "2026-11-16"), [], at("2026-11-16"))      # next week
    store(engine, paper("4", "2026-11-01"), [], at("2026-11-02"))      # last week, on time
    selection = select_window(engine, W46)
    got = {e.row.source_id: e.late for e in selection.new}
    assert got == {"1": False, "2": True}
    assert count_numbers(selection).late_arrivals == 1


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
    [item] = group.routes[0].designs[0].sections[0].items
    changes = {c.field: (c.before, c.after) for c in item.changes}
    assert changes == {"Status": ("RECRUITING", "COMPLETED"), "Enrollment": ("40", "52")}


def test_retraction_is_reported_once_in_its_own_section(engine: Engine) -> None:
    from litwatch.records import Reference
    retracted = paper("20", "2026-11-11", title="Retracted ketamine trial")
    retracted.comments_corrections = [Reference("RetractionIn", "30")]
    store(engine, retracted, [Label("indication", "trd")], at("2026-11-11"))
    selection = select_window(engine, W46)
    assert selection.new == [] and [e.row.source_id for e in selection.flagged] == ["20"]
    [group] = build_groups(selection)
    section = group.routes[0].designs[0].sections[0]
    assert section.key == "retractions"
    assert section.items[0].flags == ["Retracted (notice: PMID 30)"]


def test_groups_condition_route_design_and_counts_each_record_once(engine: Engine) -> None:
    labels = [Label("indication", "suicidal_ideation"), Label("indication", "trd"),
              Label("route", "intranasal"), Label("design", "rct")]
    store(engine, paper("40", "2026-11-10", nct_ids=["NCT07654321"]), labels, at("2026-11-10"))
    store(engine, paper("41", "2026-11-10"), [Label("indication", "trd"),
                                              Label("route", "intranasal")], at("2026-11-10"))
    store(engine, paper("42", "2026-11-10"), [Label("indication", "trd"),
                                              Label("route", "intranasal"),
                                              Label("design", "systematic_review")],
          at("2026-11-10"))
    store(engine, paper("43", "2026-11-10"), [], at("2026-11-10"))
    store(engine, paper("44", "2026-11-10"), [Label("indication", "trd"),
                                              Label("route", "intravenous"),
                                              Label("route", "intranasal")], at("2026-11-10"))
    store(engine, Trial(nct_id="NCT07654321", brief_title="The linked trial",
                        first_post_date="2024-01-01"), [], at("2024-01-02"))
    selection = select_window(engine, W46)
    groups = build_groups(selection)
    # Vocabulary order (TRD before suicidal ideation); the unlabelled record last.
    assert [g.title for g in groups] == ["Treatment-resistant depression", "Suicidal ideation",
                                         "Other / unclassified"]
    assert [r.title for r in groups[2].routes] == ["Route not stated"]
    # Once per condition: a record naming two routes sits under "Several routes".
    assert [r.title for r in groups[0].routes] == ["Intranasal", "Several routes"]
    assert groups[0].routes[1].designs[0].sections[0].items[0].routes == "Intravenous, Intranasal"
    assert [d.title for d in groups[0].routes[0].designs] == [
        "Systematic review / meta-analysis", "Randomized controlled trial", "Design not stated"]
    assert count_numbers(selection).new_papers == 5          # "40" is in two groups
    rct = groups[0].routes[0].designs[1].sections[0].items[0]
    assert [(ref.label, ref.url, ref.title) for ref in rct.linked] == [
        ("NCT07654321", "https://clinicaltrials.gov/study/NCT07654321", "The linked trial")]


def test_sample_week_fills_every_section(engine: Engine) -> None:
    sample_week(engine, "2026-W46", count=40)
    numbers = count_numbers(select_window(engine, W46))
    assert numbers.new_papers and numbers.new_trials and numbers.feed_items
    assert (numbers.updated_trials, numbers.retractions, numbers.late_arrivals) == (1, 1, 1)
