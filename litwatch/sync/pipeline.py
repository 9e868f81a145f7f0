"""The one ingest pipeline: parsed record -> sentences -> classify, link, derive -> row.

Every way a record enters or is re-derived goes through `prepare`: the sync of
each source, `load` of saved payloads, and `reclassify`.  It splits the record into
sentences once (litwatch.classify.sentences), classifies it from those sentences,
derives its links, correction flags and trial changes, and builds the row, the
label rows (each naming the sentence of its evidence) and the sentence rows once;
the store (litwatch.store.upsert) only persists what it is handed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from litwatch.classify import classify_record
from litwatch.classify import links as linking
from litwatch.classify.labels import Classification
from litwatch.classify.sentences import sentences_of
from litwatch.classify.trial_changes import diff_trials
from litwatch.records import Record, Trial
from litwatch.store.codec import record_of
from litwatch.store.upsert import PreparedRecord, UpsertCounts, persist_batch, rederive_batch
from litwatch.sync.rows import label_rows, record_values, sentence_rows


@dataclass
class Incoming:
    """One parsed record on its way in: the record, its raw payload, the queries that
    found it.  A classification given here is used as is (tests pin labels so)."""

    record: Record
    raw: bytes
    classification: Classification | None = None
    matched_queries: Sequence[str] = ()


def prepare(item: Incoming) -> PreparedRecord:
    record = item.record
    sentences = sentences_of(record)
    cls = item.classification or classify_record(record, item.matched_queries, sentences)
    flags = linking.flags_for(record)
    return PreparedRecord(
        source=record.source, source_id=record.source_id,
        values=record_values(record, item.raw, cls,
                             retracted=any(f.kind == "retracted" for f in flags)),
        labels=label_rows(cls),
        sentences=sentence_rows(sentences),
        links=[vars(spec) for spec in linking.links_for(record)],
        flags=[{"kind": f.kind, "ref_pmid": f.ref_pmid, "evidence": f.evidence}
               for f in flags],
        matched_queries=tuple(item.matched_queries),
        changes_since=_trial_changes(record) if isinstance(record, Trial) else None)


def _trial_changes(new: Trial):  # type: ignore[no-untyped-def]
    def changes_since(old_data: str) -> list[dict[str, Any]]:
        old = record_of("ctgov", old_data)
        assert isinstance(old, Trial)
        return [{"nct_id": new.nct_id, "field": c.field, "before": c.before,
                 "after": c.after, "source_date": new.last_update_post_date}
                for c in diff_trials(old, new)]
    return changes_since


def ingest_batch(engine: Engine, items: Iterable[Incoming],
                 now: datetime | None = None) -> UpsertCounts:
    """Prepare and store a batch in one transaction (new, updated, unchanged counts)."""
    return persist_batch(engine, [prepare(item) for item in items], now=now)


def rederive(engine: Engine, stored: list[tuple[int, Incoming]]) -> None:
    """Re-derive stored records (by row id) through the same `prepare`."""
    rederive_batch(engine, [(row_id, prepare(item)) for row_id, item in stored])
