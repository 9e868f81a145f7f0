"""Pick the records a digest window reports, straight from the store.

Three kinds of news (DESIGN.md decisions):
- new records: entry date inside the window, or first seen inside it with an
  earlier entry date (a sync after the previous digest, a feed listing an old
  preprint: filtering on entry date alone would silently drop them), unless a
  digest already sent covered that entry date after we had the record.
  arrival.py says which of them are late arrivals, caught up or older records;
  the older ones are kept apart in `older`;
- updated trials: trial_change rows whose new version was posted in the window;
- retractions and expressions of concern: flags on records changed in the window.
Off-topic records (label topic = off_topic) are news of nothing and left out.
Nothing here formats anything; model.py turns a Selection into what is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine, and_, or_
from sqlmodel import Session, col, select

from litwatch.digest.arrival import Arrival, classify_arrival
from litwatch.digest.window import Window, iso_day
from litwatch.records import Record
from litwatch.store.codec import load_record
from litwatch.store.read import as_utc, chunked, label_rows
from litwatch.store.tables import (
    DigestRunRow,
    FlagRow,
    LinkRow,
    RecordRow,
    TrialChangeRow,
)

# Flags the digest reports: on the affected article, and the notices themselves.
REPORTED_FLAGS = ("retracted", "expression_of_concern", "retraction_notice",
                  "expression_of_concern_notice")
OFF_TOPIC = ("topic", "off_topic")      # (family, value) the classifier gives unrelated records


@dataclass
class Entry:
    """One record with what the digest needs to show about it."""

    row: RecordRow
    record: Record
    labels: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[tuple[str, str], str] = field(default_factory=dict)  # (family, value) -> field
    arrival: Arrival = field(default_factory=Arrival)
    changes: list[TrialChangeRow] = field(default_factory=list)
    flags: list[FlagRow] = field(default_factory=list)

    def values(self, family: str) -> list[str]:
        return self.labels.get(family, [])

    @property
    def late(self) -> bool:
        return self.arrival.late

    @property
    def off_topic(self) -> bool:
        return OFF_TOPIC[1] in self.values(OFF_TOPIC[0])


@dataclass
class Selection:
    window: Window
    new: list[Entry]
    updated: list[Entry]
    flagged: list[Entry]
    links: dict[tuple[str, str], list[tuple[str, str]]]   # (source, id) -> [(source, id)]
    titles: dict[tuple[str, str], str]                    # linked records we hold
    older: list[Entry] = field(default_factory=list)      # entered their source long ago

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.updated or self.flagged or self.older)


def select_window(engine: Engine, window: Window) -> Selection:
    with Session(engine) as session:
        flagged = _flagged(session, window)
        flagged_ids = {e.row.id for e in flagged}
        # A flagged record is reported once, in the retractions list.
        arrived = [e for e in _new_records(session, window) if e.row.id not in flagged_ids]
        arrived_ids = {e.row.id for e in arrived}
        updated = [e for e in _updated_trials(session, window) if e.row.id not in arrived_ids]
        _attach_labels(session, flagged + arrived + updated)
        flagged, arrived, updated = (_on_topic(x) for x in (flagged, arrived, updated))
        links = _links(session, flagged + arrived + updated)
        titles = _titles(session, {other for pairs in links.values() for other in pairs})
    new = [e for e in arrived if e.arrival.kind != "older"]
    older = [e for e in arrived if e.arrival.kind == "older"]
    return Selection(window, new, updated, flagged, links, titles, older)


def stored_id(row: RecordRow) -> int:
    """The primary key of a row read from the store, where it is always set."""
    assert row.id is not None, "a record row read from the store has an id"
    return row.id


def _on_topic(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if not e.off_topic]


def _day_after(window: Window) -> str:
    return (window.last_day + timedelta(days=1)).isoformat()


def _new_records(session: Session, window: Window) -> list[Entry]:
    first = window.first_day.isoformat()
    in_window = and_(col(RecordRow.entry_date) >= first,
                     col(RecordRow.entry_date) < _day_after(window))
    late = and_(col(RecordRow.first_seen) >= window.start_utc,
                col(RecordRow.first_seen) < window.end_utc,
                or_(col(RecordRow.entry_date).is_(None), col(RecordRow.entry_date) < first))
    rows = session.exec(select(RecordRow).where(or_(in_window, late))).all()
    sent = _sent_runs(session, window)
    entries = []
    for row in rows:
        if not window.contains_date(row.entry_date) and _already_sent(row, sent):
            continue
        arrival = classify_arrival(row.source, row.entry_date, row.pub_date, window)
        entries.append(Entry(row, load_record(row), arrival=arrival))
    return entries


def _sent_runs(session: Session, window: Window) -> list[DigestRunRow]:
    return list(session.exec(select(DigestRunRow).where(
        col(DigestRunRow.status) == "sent", col(DigestRunRow.week) != window.label)).all())


def _already_sent(row: RecordRow, sent: Sequence[DigestRunRow]) -> bool:
    """A sent digest covered this record's entry date and went out after we had it."""
    day = iso_day(row.entry_date)
    if day is None:
        return False
    for run in sent:
        start, end = iso_day(run.window_start), iso_day(run.window_end)
        went_out = run.sent_at or run.created
        if start and end and start <= day < end and as_utc(went_out) >= as_utc(row.first_seen):
            return True
    return False


def _updated_trials(session: Session, window: Window) -> list[Entry]:
    first = window.first_day.isoformat()
    posted = and_(col(TrialChangeRow.source_date) >= first,
                  col(TrialChangeRow.source_date) < _day_after(window))
    detected = and_(col(TrialChangeRow.source_date).is_(None),
                    col(TrialChangeRow.detected_at) >= window.start_utc,
                    col(TrialChangeRow.detected_at) < window.end_utc)
    changes = session.exec(select(TrialChangeRow).where(or_(posted, detected))
                           .order_by(col(TrialChangeRow.id))).all()
    by_record: dict[int, list[TrialChangeRow]] = defaultdict(list)
    for change in changes:
        by_record[change.record_id].append(change)
    rows = _rows_by_id(session, by_record)
    return [Entry(rows[rid], load_record(rows[rid]), changes=by_record[rid])
            for rid in by_record if rid in rows]


def _flagged(session: Session, window: Window) -> list[Entry]:
    first = window.first_day.isoformat()
    changed = or_(and_(col(RecordRow.last_changed) >= window.start_utc,
                       col(RecordRow.last_changed) < window.end_utc),
                  and_(col(RecordRow.entry_date) >= first,
                       col(RecordRow.entry_date) < _day_after(window)))
    pairs = session.exec(select(FlagRow, RecordRow)
                         .join(RecordRow, col(RecordRow.id) == col(FlagRow.record_id))
                         .where(col(FlagRow.kind).in_(REPORTED_FLAGS), changed)
                         .order_by(col(FlagRow.id))).all()
    entries: dict[int, Entry] = {}
    for flag, row in pairs:
        rid = stored_id(row)
        entry = entries.get(rid) or entries.setdefault(rid, Entry(row, load_record(row)))
        entry.flags.append(flag)
    return list(entries.values())


def _rows_by_id(session: Session, ids: Iterable[int]) -> dict[int, RecordRow]:
    out: dict[int, RecordRow] = {}
    for chunk in chunked(ids):
        for row in session.exec(select(RecordRow).where(col(RecordRow.id).in_(chunk))).all():
            out[stored_id(row)] = row
    return out


def _attach_labels(session: Session, entries: list[Entry]) -> None:
    """Values per family, and the field each value was found in (placing.py ranks a
    record's indications by it)."""
    rows = label_rows(session, {stored_id(entry.row) for entry in entries})
    for entry in entries:           # a record can stand in more than one entry
        for label in rows.get(stored_id(entry.row), []):
            have = entry.labels.setdefault(label.family, [])
            if label.value not in have:
                have.append(label.value)
            entry.fields.setdefault((label.family, label.value), label.field)


def _links(session: Session, entries: list[Entry]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    pmids = {e.row.source_id for e in entries if e.row.source == "pubmed"}
    pmids |= {p for e in entries
              if e.row.source == "feed" and (p := getattr(e.record, "pmid", None))}
    ncts = {e.row.source_id for e in entries if e.row.source == "ctgov"}
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    rows: list[LinkRow] = []
    for chunk in chunked(pmids):
        rows += session.exec(select(LinkRow).where(col(LinkRow.pmid).in_(chunk))).all()
    for chunk in chunked(ncts):
        rows += session.exec(select(LinkRow).where(col(LinkRow.nct_id).in_(chunk))).all()
    for link in sorted(rows, key=lambda r: (r.pmid, r.nct_id)):
        for here, there in ((("pubmed", link.pmid), ("ctgov", link.nct_id)),
                            (("ctgov", link.nct_id), ("pubmed", link.pmid))):
            if there not in out[here]:
                out[here].append(there)
    return dict(out)


def _titles(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for source in ("pubmed", "ctgov"):
        ids = [sid for src, sid in keys if src == source]
        for chunk in chunked(ids):
            for sid, title in session.exec(select(RecordRow.source_id, RecordRow.title).where(
                    col(RecordRow.source) == source, col(RecordRow.source_id).in_(chunk))).all():
                out[(source, sid)] = title
    return out
