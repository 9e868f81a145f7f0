"""`litwatch show` and `litwatch export` through the console entry point."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests import test_search_data

store_url, cli = test_search_data.store_url, test_search_data.cli
litwatch = test_search_data.litwatch


def show_json(cli, ident: str) -> dict:
    status, out, err = cli("show", ident, "--format", "json")
    assert status == 0, err
    return json.loads(out)


def test_show_paper_with_labels_evidence_and_links(cli):
    detail = show_json(cli, "90000001")
    assert detail["record"]["title"].startswith("Intranasal esketamine")
    assert detail["record"]["authors"] == ["Doe J", "Roe R"]
    assert {"family": "route", "value": "intranasal", "name": "Intranasal", "field": "title",
            "evidence": "intranasal phrase"} in detail["labels"]
    kinds = {(link["id"], link["kind"]) for link in detail["links"]}
    assert kinds == {("NCT90000001", "databank"), ("NCT90000001", "RESULT")}
    assert all(link["in_store"] and link["title"] for link in detail["links"])


def test_show_trial_has_its_change_history_and_papers(cli):
    detail = show_json(cli, "nct90000001")
    assert detail["record"]["status"] == "ACTIVE_NOT_RECRUITING"
    assert [(c["field"], c["before"], c["after"]) for c in detail["changes"]] == [
        ("status", "RECRUITING", "ACTIVE_NOT_RECRUITING")]
    assert [link["id"] for link in detail["links"]] == ["90000001", "90000001"]


def test_show_retracted_paper_flags(cli):
    detail = show_json(cli, "90000003")
    assert detail["record"]["retracted"] is True
    assert {(f["kind"], f["ref_pmid"]) for f in detail["flags"]} == {
        ("retracted", "90000099"), ("erratum", "90000098")}
    status, out, _ = cli("show", "90000003")
    assert status == 0 and "RETRACTED" in out and "90000099" in out


@pytest.mark.parametrize("ident,expected", [
    ("10.1000/ESK.2024.1", "90000001"),
    ("doi:10.1000/esk.2024.1", "90000001"),
    ("https://doi.org/10.1000/esk.2024.1", "90000001"),
    ("pubmed:90000005", "pubmed:90000005"),        # a PubMed RSS item not yet merged
    ("90000005", "pubmed:90000005"),
    ("feed:pubmed:90000005", "pubmed:90000005"),
    ("ctgov:NCT90000002", "NCT90000002"),
    ("pmid:90000004", "90000004"),
])
def test_show_finds_records_by_any_id(cli, ident, expected):
    assert show_json(cli, ident)["record"]["id"] == expected


def test_show_text_output(store_url):
    done = litwatch(store_url, "show", "NCT90000001")
    assert done.returncode == 0, done.stderr
    for text in ("Esketamine Nasal Spray", "labels (with evidence)", "intranasal phrase",
                 "trial changes", "ACTIVE_NOT_RECRUITING", "90000001"):
        assert text in done.stdout


@pytest.mark.parametrize("ident", ["99999999", "NCT00000000", "10.9/none", "nope", " "])
def test_show_unknown_id_exits_1(cli, ident):
    status, out, err = cli("show", ident)
    assert status == 1 and out == "" and "no record" in err


def test_export_csv_everything(cli):
    status, out, _ = cli("export")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0 and len(rows) == 7
    by_id = {r["id"]: r for r in rows}
    assert by_id["90000004"]["authors"] == "Müller, Ö; Núñez, J"     # "Last, First" for importers
    assert by_id["90000001"]["route"] == "intranasal"
    assert by_id["90000003"]["retracted"] == "yes"


def test_export_json_with_query_and_filters(cli):
    status, out, _ = cli("export", "depression", "--drug", "esketamine", "--format", "json")
    records = json.loads(out)
    assert status == 0 and {r["id"] for r in records} == {"90000001", "NCT90000001"}
    assert records[0]["labels"]["drug"] == ["esketamine"]


def test_export_ris_for_reference_managers(cli, tmp_path):
    target = tmp_path / "refs.ris"
    status, out, err = cli("export", "--drug", "esketamine", "--format", "ris", "--out",
                           str(target))
    assert status == 0 and out == "" and "wrote 2 records" in err
    ris = target.read_text(encoding="utf-8")
    entries = [e for e in ris.split("ER  - \n") if e.strip()]
    assert len(entries) == 2
    for line in ris.splitlines():
        assert line == "" or re.match(r"^[A-Z][A-Z0-9]  - ", line), line
    paper = next(e for e in entries if "ID  - 90000001" in e)
    trial = next(e for e in entries if "ID  - NCT90000001" in e)
    assert "TY  - JOUR" in paper and "AU  - Doe, J" in paper and "JO  - J Test" in paper
    assert "DO  - 10.1000/esk.2024.1" in paper and "PY  - 2024" in paper
    assert "KW  - route: Intranasal" in paper and "KW  - design: Randomized" in paper
    assert "UR  - https://pubmed.ncbi.nlm.nih.gov/90000001/" in paper
    assert "TY  - DBASE" in trial and "DB  - ClinicalTrials.gov" in trial


def test_export_ris_marks_retractions_and_keeps_one_line_fields(cli):
    status, out, _ = cli("export", "--indication", "chronic_pain", "--format", "ris")
    assert status == 0 and "N1  - RETRACTED" in out
    assert out.count("\nAB  - ") == 1


def test_export_nothing_matched_writes_no_file(cli, tmp_path):
    target = tmp_path / "none.csv"
    status, _, err = cli("export", "zebrafish", "--out", str(target))
    assert status == 1 and "no records matched" in err and not target.exists()


@pytest.mark.parametrize("args,message", [
    (["(((", "--format", "ris"], "no words to search for"),
    (["--design", "meta"], "--design: unknown value"),
])
def test_export_usage_errors(cli, args, message):
    status, out, err = cli("export", *args)
    assert status == 2 and out == "" and message in err
