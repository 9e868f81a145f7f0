"""Pick the records a digest window reports, straight from the store.

Three kinds of news (DESIGN.md decisions):
- new records: entry date inside the window, or first seen inside it with an
  earlier entry date ("late arrival": PubMed back-dates records, so filtering on
  entry date alone would silently drop them), unless a digest already sent
  covered that entry date after we had the record;
- updated trials: trial_change rows whose new version was posted in the window;
- retractions and expressions of concern: flags on records changed in the window.
Nothing here formats anything; model.py turns a Selection into what is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, and_, or_
from sqlmodel import Session, col, select

from litwatch.digest.window import Window, iso_day
from litwatch.records import Record
from litwatch.store.codec import load_record
from litwatch.store.tables import (
    DigestRunRow,
    FlagRow,
    LabelRow,
    LinkRow,
    RecordRow,
    TrialChangeRow,
)

# Flags the digest reports: on the affected article, and the notices themselves.
REPORTED_FLAGS = ("retracted", "expression_of_concern", "retraction_notice",
                  "expression_of_concern_notice")
_CHUNK = 500   # ids per IN (...) query: well under every database's parameter limit


@dataclass
class Entry:
    """One record with what the digest needs to show about it."""

    row: RecordRow
    record: Record
    labels: dict[str, list[str]] = field(default_factory=dict)
    late: bool = False
    changes: list[TrialChangeRow] = field(default_factory=list)
    flags: list[FlagRow] = field(default_factory=list)

    def values(self, family: str) -> list[str]:
        return self.labels.get(family, [])


@dataclass
class Selection:
    window: Window
    new: list[Entry]
    updated: list[Entry]
    flagged: list[Entry]
    links: dict[tuple[str, str], list[tuple[str, str]]]   # (source, id) -> [(source, id)]
    titles: dict[tuple[str, str], str]                    # linked records we hold

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.updated or self.flagged)


def select_window(engine: Engine, window: Window) -> Selection:
    with Session(engine) as session:
        flagged = _flagged(session, window)
        flagged_ids = {e.row.id for e in flagged}
        # A flagged record is reported once, in the retractions list.
        new = [e for e in _new_records(session, window) if e.row.id not in flagged_ids]
        new_ids = {e.row.id for e in new}
        updated = [e for e in _updated_trials(session, window) if e.row.id not in new_ids]
        entries = new + updated + flagged
        _attach_labels(session, entries)
        links = _links(session, entries)
        titles = _titles(session, {other for pairs in links.values() for other in pairs})
    return Selection(window, new, updated, flagged, links, titles)


def _day_after(window: Window) -> str:
    return (window.last_day + timedelta(days=1)).isoformat()


def _new_records(session: Session, window: Window) -> list[Entry]:
    first = window.first_day.isoformat()
    in_window = and_(RecordRow.entry_date >= first, RecordRow.entry_date < _day_after(window))
    late = and_(RecordRow.first_seen >= window.start_utc, RecordRow.first_seen < window.end_utc,
                or_(col(RecordRow.entry_date).is_(None), RecordRow.entry_date < first))
    rows = session.exec(select(RecordRow).where(or_(in_window, late))).all()
    sent = _sent_runs(session, window)
    entries = []
    for row in rows:
        is_late = not window.contains_date(row.entry_date)
        if is_late and _already_sent(row, sent):
            continue
        entries.append(Entry(row, load_record(row), late=is_late))
    return entries


def _sent_runs(session: Session, window: Window) -> list[DigestRunRow]:
    return list(session.exec(select(DigestRunRow).where(
        DigestRunRow.status == "sent", DigestRunRow.week != window.label)).all())


def _already_sent(row: RecordRow, sent: Sequence[DigestRunRow]) -> bool:
    """A sent digest covered this record's entry date and went out after we had it."""
    day = iso_day(row.entry_date)
    if day is None:
        return False
    for run in sent:
        start, end = iso_day(run.window_start), iso_day(run.window_end)
        went_out = run.sent_at or run.created
        if start and end and start <= day < end and _aware(went_out) >= _aware(row.first_seen):
            return True
    return False


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _updated_trials(session: Session, window: Window) -> list[Entry]:
    first = window.first_day.isoformat()
    posted = and_(TrialChangeRow.source_date >= first,
                  TrialChangeRow.source_date < _day_after(window))
    detected = and_(col(TrialChangeRow.source_date).is_(None),
                    TrialChangeRow.detected_at >= window.start_utc,
                    TrialChangeRow.detected_at < window.end_utc)
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
    changed = or_(and_(RecordRow.last_changed >= window.start_utc,
                       RecordRow.last_changed < window.end_utc),
                  and_(RecordRow.entry_date >= first, RecordRow.entry_date < _day_after(window)))
    pairs = session.exec(select(FlagRow, RecordRow)
                         .join(RecordRow, col(RecordRow.id) == col(FlagRow.record_id))
                         .where(col(FlagRow.kind).in_(REPORTED_FLAGS), changed)
                         .order_by(col(FlagRow.id))).all()
    entries: dict[int, Entry] = {}
    for flag, row in pairs:
        entry = entries.get(row.id) or entries.setdefault(row.id, Entry(row, load_record(row)))
        entry.flags.append(flag)
    return list(entries.values())


def _chunks(values: Iterable, size: int = _CHUNK) -> Iterable[list]:
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _rows_by_id(session: Session, ids: Iterable[int]) -> dict[int, RecordRow]:
    out: dict[int, RecordRow] = {}
    for chunk in _chunks(ids):
        for row in session.exec(select(RecordRow).where(col(RecordRow.id).in_(chunk))).all():
            out[row.id] = row
    return out


def _attach_labels(session: Session, entries: list[Entry]) -> None:
    by_id: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_id[entry.row.id].append(entry)
    for chunk in _chunks(by_id):
        labels = session.exec(select(LabelRow).where(col(LabelRow.record_id).in_(chunk))
                              .order_by(col(LabelRow.id))).all()
        for label in labels:
            for entry in by_id[label.record_id]:
                values = entry.labels.setdefault(label.family, [])
                if label.value not in values:
                    values.append(label.value)


def _links(session: Session, entries: list[Entry]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    pmids = {e.row.source_id for e in entries if e.row.source == "pubmed"}
    pmids |= {p for e in entries
              if e.row.source == "feed" and (p := getattr(e.record, "pmid", None))}
    ncts = {e.row.source_id for e in entries if e.row.source == "ctgov"}
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    rows: list[LinkRow] = []
    for chunk in _chunks(pmids):
        rows += session.exec(select(LinkRow).where(col(LinkRow.pmid).in_(chunk))).all()
    for chunk in _chunks(ncts):
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
        for chunk in _chunks(ids):
            for sid, title in session.exec(select(RecordRow.source_id, RecordRow.title).where(
                    RecordRow.source == source, col(RecordRow.source_id).in_(chunk))).all():
                out[(source, sid)] = title
    return out
