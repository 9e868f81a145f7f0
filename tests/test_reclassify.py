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


def test_reclassify_after_a_parser_or_taxonomy_change_agrees_everywhere(
        engine, settings, monkeypatch, capsys):
    """A stored payload that now parses to a new title and new labels: after reclassify
    the row, the full-text index, export and show all carry the new title and labels."""
    import io
    import json as json_

    from litwatch.search import search_records
    from litwatch.search.export import write_export
    from litwatch.search.show import find_record, record_detail
    from litwatch.store.codec import compress, decompress

    load_directory(engine, REALDATA)
    with Session(engine) as s:
        row = s.exec(select(RecordRow).where(RecordRow.source == "pubmed")).first()
        old_title, raw = row.title, decompress(row.raw)
    new_title = "Intranasal esketamine zorblax trial"
    # What a parser fix (or an upstream correction replayed offline) looks like: the
    # stored payload now yields another title, with a route word the labels must see.
    start, end = raw.index(b"<ArticleTitle>"), raw.index(b"</ArticleTitle>")
    patched = raw[:start] + f"<ArticleTitle>{new_title}".encode() + raw[end:]
    with Session(engine) as s, s.begin():
        s.exec(update(RecordRow).where(RecordRow.id == row.id).values(raw=compress(patched)))
    monkeypatch.setenv("LITWATCH_DATABASE_URL", settings.database_url)
    assert main(["--config", str(CONFIG), "reclassify"]) == 0

    with Session(engine) as s:
        fresh = s.get(RecordRow, row.id)
        routes = {lab.value for lab in s.exec(select(LabelRow).where(
            LabelRow.record_id == row.id, LabelRow.family == "route"))}
    assert fresh.title == new_title == json_.loads(fresh.data)["title"]
    assert "intranasal" in routes
    hits = search_records(engine, "zorblax")
    assert [h.source_id for h in hits] == [fresh.source_id]
    first_old_word = max(old_title.split(), key=len).strip(".,:;()")
    assert fresh.source_id not in {h.source_id for h in search_records(
        engine, f'"{first_old_word}"')} or first_old_word.lower() in fresh.abstract.lower()
    out = io.StringIO()
    write_export(engine, [row.id], "json", out)
    assert json_.loads(out.getvalue())[0]["title"] == new_title
    detail = record_detail(engine, find_record(engine, fresh.source_id))
    assert new_title in json_.dumps(detail.to_dict())
