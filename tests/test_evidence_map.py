"""The evidence map: placing records in cells, what counts as evidence, the page and
the image `litwatch map` writes, and the digest's grid of this week's changes."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from sqlalchemy import Engine

from litwatch import vocab
from litwatch.classify.labels import Classification, Label
from litwatch.cli import map_cmd
from litwatch.cli.app import App
from litwatch.errors import UsageError
from litwatch.evidence_map import build_map, map_from_store
from litwatch.evidence_map.cells import MapRecord
from litwatch.evidence_map.week import changes_on
from litwatch.records import Paper, Reference
from litwatch.search.filters import build_filters
from litwatch.sync.pipeline import Incoming, ingest_batch
from tests.conftest import CONFIG

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)


def record(i: int, indications: list[str], routes: list[str], design: str = "rct",
           entered: str = "2026-01-01") -> MapRecord:
    return MapRecord(i, "pubmed", str(i), f"Paper {i}", 2026, entered, design,
                     f"https://pubmed.ncbi.nlm.nih.gov/{i}/", indications, routes)


def test_a_record_counts_in_every_cell_it_is_labelled_for() -> None:
    evidence = build_map([record(1, ["trd", "mdd"], ["intravenous", "intranasal"]),
                          record(2, ["trd"], ["intravenous"], "systematic_review", "2026-05-01"),
                          record(3, [], [], "case_report")])
    assert evidence.rows == list(vocab.INDICATIONS) and evidence.cols == list(vocab.ROUTES)
    cell = evidence.cell("trd", "intravenous")
    assert cell.total == 2 and cell.strongest == "systematic_review"
    assert cell.record_ids == [2, 1]                          # newest first
    assert evidence.newest(cell).id == 2
    assert evidence.cell("mdd", "intranasal").total == 1
    assert evidence.row_total("trd") == 2                     # each record once per row
    assert evidence.cell("other", "not_stated").record_ids == [3]
    assert evidence.cell("ptsd", "oral").is_gap
    assert evidence.gaps == len(vocab.INDICATIONS) * len(vocab.ROUTES) - 5


def test_off_topic_retracted_and_notices_are_not_evidence(engine: Engine) -> None:
    def paper(pmid: str, **kw: object) -> Paper:
        return Paper(pmid=pmid, title=f"Paper {pmid}", entrez_date="2026-11-10", **kw)
    labels = [Label("indication", "trd"), Label("route", "intravenous")]
    retracted = paper("2", comments_corrections=[Reference("RetractionIn", "3")])
    ingest_batch(engine, [
        Incoming(paper("1"), b"", Classification(labels)),
        Incoming(retracted, b"", Classification(labels)),
        Incoming(paper("4"), b"", Classification(labels + [Label("topic", "off_topic")]))])
    evidence = map_from_store(engine)
    assert [evidence.records[i].source_id for i in evidence.cell("trd", "intravenous").record_ids
            ] == ["1"]
    assert evidence.left_out == {"off-topic": 1, "retracted": 1}


def test_filters_narrow_the_map_like_search(corpus_engine: Engine) -> None:
    whole = map_from_store(corpus_engine)
    rct_trd = map_from_store(corpus_engine, build_filters(indication=["trd"], design=["rct"]))
    assert rct_trd.rows == ["trd"] and rct_trd.cols == list(vocab.ROUTES)
    assert 0 < rct_trd.shown_records < whole.shown_records
    assert all(rct_trd.records[i].design == "rct"
               for c in rct_trd.cells.values() for i in c.record_ids)
    assert rct_trd.filters == "indication trd; design rct"


def run_map(argv: list[str], database: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """`litwatch map ...` through the command module, as the CLI will wire it."""
    monkeypatch.setenv("LITWATCH_DATABASE_URL", database)
    parser = argparse.ArgumentParser(prog="litwatch")
    map_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["map", *argv])
    app = App(str(CONFIG))
    try:
        return args.func(app, args)
    finally:
        app.close()


def test_litwatch_map_writes_a_self_contained_page_and_an_image(
        corpus_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "map"
    assert run_map(["--out", str(out)], str(corpus_engine.url), monkeypatch) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out / 'evidence-map.html'}" in printed and "gaps" in printed
    page = lxml.html.fromstring((out / "evidence-map.html").read_text(encoding="utf-8"))
    # Self-contained: nothing to fetch, so it opens from disk and offline.
    assert not page.xpath("//link | //script[@src] | //img | //iframe | //@src")
    styles = " ".join(page.xpath("//style/text() | //@style"))
    assert "url(" not in styles and "@import" not in styles and "@font-face" not in styles
    rows = page.xpath("//table[@id='evidence-map']/tbody/tr")
    assert len(rows) == len(vocab.INDICATIONS)
    assert all(len(r.xpath("./td[contains(@class,'cell')]")) == len(vocab.ROUTES) for r in rows)
    data = json.loads(page.get_element_by_id("map-data").text)
    for td in page.xpath("//td[contains(@class,'cell')]"):
        key = td.xpath("./button/@data-cell")[0]
        assert int(td.get("data-count")) == len(data["cells"].get(key, []))
    assert page.xpath("//td[contains(@class,'gap')]")               # gaps stay visible
    assert all(r["url"].startswith("https://") for r in data["records"].values())
    svg = lxml.etree.parse(str(out / "evidence-map.svg")).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(svg.xpath("//s:g[@class='cell' or @class='gap']", namespaces=ns)) == \
        len(vocab.INDICATIONS) * len(vocab.ROUTES)
    assert not svg.xpath("//@href | //s:image | //s:script", namespaces=ns)


def test_litwatch_map_filters_and_formats(corpus_engine: Engine, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "svg-only"
    argv = ["--out", str(out), "--format", "svg", "--indication", "trd",
            "--route", "intranasal,intravenous", "--since", "2015-01-01"]
    assert run_map(argv, str(corpus_engine.url), monkeypatch) == 0
    assert sorted(p.name for p in out.iterdir()) == ["evidence-map.svg"]
    assert run_map(["--out", str(tmp_path), "--indication", "ocd", "--route", "oral",
                    "--design", "guideline"], str(corpus_engine.url), monkeypatch) == 1
    with pytest.raises(UsageError, match="--design|design"):
        run_map(["--out", str(tmp_path), "--design", "anecdote"], str(corpus_engine.url),
                monkeypatch)


def test_this_weeks_changes_mark_the_gaps_they_fill() -> None:
    evidence = build_map([record(1, ["trd"], ["intravenous"]), record(2, ["trd"], ["oral"]),
                          record(3, ["ptsd"], ["intranasal"], "single_arm")])
    changes = changes_on(evidence, {2, 3})
    assert changes.rows == ["trd", "ptsd"] and changes.cols == ["intranasal", "oral"]
    assert changes.cell("trd", "oral").was_gap and changes.gaps_filled == 2
    [(_, cells)] = [row for row in changes.table if row[0] == "PTSD"]
    assert [c.text if c else None for c in cells] == ["+1 ★", None]
