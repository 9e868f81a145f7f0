"""The ingest pipeline splits a record into sentences once and stores them with labels."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from litwatch.records import AbstractSection, Paper
from litwatch.store.tables import LabelRow, RecordRow, SentenceRow
from litwatch.sync.pipeline import Incoming, ingest_batch, prepare


def _paper() -> Paper:
    return Paper(pmid="424242", title="Intranasal esketamine in treatment-resistant depression",
                 abstract_sections=[
                     AbstractSection("BACKGROUND", "BACKGROUND",
                                     "Intravenous ketamine has been shown to act within hours."),
                     AbstractSection("METHODS", "METHODS",
                                     "Patients were randomized to esketamine nasal spray or "
                                     "placebo."),
                     AbstractSection("RESULTS", "RESULTS",
                                     "MADRS scores fell more with esketamine than placebo "
                                     "(P < .001).")])


def test_prepare_hands_the_store_sentences_and_their_label_links() -> None:
    prepared = prepare(Incoming(_paper(), b"<xml/>"))
    rows = prepared.sentences
    assert [r["idx"] for r in rows] == list(range(len(rows)))
    assert {r["role"] for r in rows} >= {"title", "background", "methods", "results"}
    result = next(r for r in rows if r["role"] == "results")
    assert result["direction"] == "benefit"
    assert any(n["kind"] == "p_value" for n in json.loads(result["numbers"]))
    route = next(lb for lb in prepared.labels if lb["family"] == "route")
    assert route["value"] == "intranasal"
    assert rows[route["sentence_idx"]]["role"] in ("title", "methods")


def test_store_writes_sentences_once_and_replaces_them(engine) -> None:
    ingest_batch(engine, [Incoming(_paper(), b"<xml/>")])
    ingest_batch(engine, [Incoming(_paper(), b"<xml/><changed/>")])
    with Session(engine) as s:
        record = s.exec(select(RecordRow)).one()
        sentences = s.exec(select(SentenceRow).where(SentenceRow.record_id == record.id)).all()
        labels = s.exec(select(LabelRow).where(LabelRow.record_id == record.id)).all()
    assert len(sentences) == len({row.idx for row in sentences}) == 4
    idx = {row.idx: row for row in sentences}
    linked = [lb for lb in labels if lb.sentence_idx is not None]
    assert linked and all(idx[lb.sentence_idx].text.startswith(lb.evidence[:40])
                          for lb in linked)
