"""The store: upserts never duplicate, raw payloads survive, trial changes recorded."""

from __future__ import annotations

import copy
import json

from sqlalchemy import func, text
from sqlmodel import Session, select

from litwatch.classify import classify_record
from litwatch.sources.ctgov_json import parse_study
from litwatch.sources.pubmed_xml import parse_efetch
from litwatch.store.codec import decompress, load_record
from litwatch.store.tables import FlagRow, LinkRow, RecordRow, TrialChangeRow
from litwatch.sync.load import load_directory
from litwatch.sync.pipeline import Incoming, ingest_batch
from tests.conftest import REALDATA


def study(name: str) -> dict:
    return json.loads((REALDATA / "ctgov" / name).read_bytes())


def incoming_trial(data: dict) -> Incoming:
    trial = parse_study(data)
    return Incoming(trial, json.dumps(data).encode(), classify_record(trial))


def count(engine, source: str | None = None) -> int:
    with Session(engine) as s:
        q = select(func.count()).select_from(RecordRow)
        if source:
            q = q.where(RecordRow.source == source)
        return s.exec(q).one()


def test_reloading_realdata_changes_nothing(engine) -> None:
    first = load_directory(engine, REALDATA)
    before = count(engine)
    second = load_directory(engine, REALDATA)
    assert first.new == before and second.new == 0 and second.updated == 0
    assert count(engine) == before


def test_versions_differing_only_in_version_holder_are_unchanged(engine) -> None:
    a = study("aact_NCT02552212_versionHolder_2023-12-12.json")
    b = study("aact_NCT02552212_versionHolder_2024-01-03.json")
    assert ingest_batch(engine, [incoming_trial(a)]).new == 1
    assert ingest_batch(engine, [incoming_trial(b)]).unchanged == 1
    assert count(engine, "ctgov") == 1


def test_trial_changes_are_recorded_before_and_after(engine) -> None:
    v1 = study("aact_NCT03418623.json")
    v2 = copy.deepcopy(v1)
    status = v2["protocolSection"]["statusModule"]
    status["overallStatus"] = "TERMINATED"
    status["whyStopped"] = "Sponsor decision"
    status["lastUpdatePostDateStruct"] = {"date": "2026-11-10", "type": "ACTUAL"}
    v2["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": 12, "type": "ACTUAL"}
    ingest_batch(engine, [incoming_trial(v1)])
    assert ingest_batch(engine, [incoming_trial(v2)]).updated == 1
    with Session(engine) as s:
        changes = {c.field: (c.before, c.after, c.source_date)
                   for c in s.exec(select(TrialChangeRow))}
    assert changes["status"] == ("COMPLETED", "TERMINATED", "2026-11-10")
    assert changes["enrollment"] == ("24 (actual)", "12 (actual)", "2026-11-10")
    assert "why_stopped" in changes and "phase" not in changes


def test_raw_payload_is_compressed_and_reparses(engine) -> None:
    load_directory(engine, REALDATA / "pubmed")
    with Session(engine) as s:
        row = s.exec(select(RecordRow).where(RecordRow.source_id == "29768149")).one()
    raw = decompress(row.raw)
    assert len(row.raw) < len(raw)
    reparsed = parse_efetch(b"<PubmedArticleSet>" + raw + b"</PubmedArticleSet>").papers[0]
    assert reparsed == load_record(row)


def test_links_and_retraction_flags(engine) -> None:
    load_directory(engine, REALDATA)
    with Session(engine) as s:
        links = {(link.pmid, link.nct_id, link.kind) for link in s.exec(select(LinkRow))}
        flags = {(f.kind, f.ref_pmid) for f in s.exec(select(FlagRow))}
        retracted = s.exec(select(RecordRow.source_id).where(RecordRow.retracted)).all()
    assert ("29768149", "NCT02149199", "databank") in links
    assert ("35296532", "NCT02552212", "RESULT") in links
    assert ("retracted", "40251503") in flags
    assert ("expression_of_concern", "") in {(k, "") for k, _ in flags}
    assert retracted == ["31844417"]


def test_full_text_index_follows_the_table(engine) -> None:
    load_directory(engine, REALDATA / "pubmed")
    with engine.connect() as conn:
        hits = conn.execute(text("SELECT rowid FROM record_fts WHERE record_fts MATCH "
                                 "'dexmedetomidine'")).all()
        conn.execute(text("UPDATE record SET title = 'renamed', abstract = '' "
                          "WHERE id = :id"), {"id": hits[0][0]})
        conn.commit()
        after = conn.execute(text("SELECT count(*) FROM record_fts WHERE record_fts MATCH "
                                  "'dexmedetomidine'")).scalar()
        integrity = conn.execute(text("INSERT INTO record_fts(record_fts) VALUES "
                                      "('integrity-check')"))
    assert len(hits) == 1 and after == 0 and integrity is not None
