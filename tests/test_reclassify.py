"""`litwatch reclassify` rebuilds labels from stored payloads, offline."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlmodel import Session, select

from litwatch.cli import main
from litwatch.store.tables import LabelRow, RecordRow
from litwatch.sync.load import load_directory
from tests.conftest import CONFIG, REALDATA


def snapshot(engine) -> tuple[set, dict]:
    with Session(engine) as s:
        labels = {(r.record_id, r.family, r.value, r.field, r.evidence)
                  for r in s.exec(select(LabelRow))}
        rows = {r.id: (r.design, r.summary, r.retracted, r.data) for r in s.exec(select(RecordRow))}
    return labels, rows


def test_reclassify_restores_labels_without_network(engine, settings, monkeypatch, capsys):
    load_directory(engine, REALDATA)
    before = snapshot(engine)
    with Session(engine) as s, s.begin():
        s.exec(delete(LabelRow))
        s.exec(update(RecordRow).values(design=None, summary="", retracted=False, data="{}"))
    assert snapshot(engine) != before
    monkeypatch.setenv("LITWATCH_DATABASE_URL", settings.database_url)
    # Unreachable API URLs prove nothing is fetched.
    monkeypatch.setenv("LITWATCH_EUTILS_URL", "http://127.0.0.1:9/")
    assert main(["--config", str(CONFIG), "reclassify"]) == 0
    assert f"reclassified {len(before[1])} records" in capsys.readouterr().out
    assert snapshot(engine) == before
