"""Exports a reference manager can import: every author, volume, issue, pages, ids.

The paper is ingested from real efetch XML, so volume, issue and pages come the way
they do in production: from the stored raw payload.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from litwatch.classify.labels import Classification, Label
from litwatch.cli import main
from litwatch.records import Trial
from litwatch.search.citation import medline_pages, ris_name
from litwatch.sources.pubmed_xml import parse_efetch
from litwatch.store.engine import open_engine
from litwatch.sync.pipeline import Incoming, ingest_batch
from tests.conftest import CONFIG

EFETCH = b"""<?xml version="1.0" encoding="UTF-8"?>
<PubmedArticleSet><PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">91000001</PMID>
<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Internet">
<Volume>74</Volume><Issue>4</Issue><PubDate><Year>2017</Year><Month>Apr</Month></PubDate>
</JournalIssue><Title>JAMA psychiatry</Title><ISOAbbreviation>JAMA Psychiatry</ISOAbbreviation>
</Journal>
<ArticleTitle>Ketamine for depression: a consensus statement.</ArticleTitle>
<Pagination><StartPage>399</StartPage><MedlinePgn>399-405</MedlinePgn></Pagination>
<Abstract><AbstractText Label="BACKGROUND">Ketamine is used off label.</AbstractText>
<AbstractText Label="RESULTS">Rapid antidepressant effects were reported.</AbstractText>
</Abstract>
<AuthorList CompleteYN="Y">
<Author><LastName>Sanacora</LastName><ForeName>Gerard</ForeName><Initials>G</Initials></Author>
<Author><LastName>M\xc3\xbcller</LastName><ForeName>\xc3\x96zlem</ForeName><Initials>\xc3\x96</Initials></Author>
<Author><LastName>McDonald</LastName><Initials>W</Initials><Suffix>Jr</Suffix></Author>
<Author><CollectiveName>Task Force on Novel Treatments</CollectiveName></Author>
</AuthorList>
<Language>eng</Language>
</Article></MedlineCitation>
<PubmedData><History><PubMedPubDate PubStatus="entrez"><Year>2017</Year><Month>3</Month>
<Day>2</Day></PubMedPubDate></History><ArticleIdList>
<ArticleId IdType="pubmed">91000001</ArticleId><ArticleId IdType="doi">10.1001/x.2017.1</ArticleId>
</ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>
"""


@pytest.fixture
def export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    url = f"sqlite:///{tmp_path / 'export.db'}"
    result = parse_efetch(EFETCH)
    [paper] = result.papers
    trial = Trial(nct_id="NCT91000001", brief_title="Esketamine in Adolescents",
                  overall_status="RECRUITING", first_post_date="2024-05-02",
                  sponsor="Janssen Research & Development, LLC",
                  brief_summary="A trial.\nOn two lines.")
    engine = open_engine(url)
    ingest_batch(engine, [
        Incoming(paper, result.raw[paper.pmid], Classification([Label("drug", "ketamine")])),
        Incoming(trial, b"{}", Classification([Label("drug", "esketamine")]))])
    engine.dispose()
    monkeypatch.setenv("LITWATCH_DATABASE_URL", url)

    def run(fmt: str) -> str:
        assert main(["--config", str(CONFIG), "export", "--format", fmt]) == 0
        return capsys.readouterr().out
    return run


def entries(ris: str) -> dict[str, list[str]]:
    out = {}
    for entry in filter(str.strip, ris.split("ER  - \n")):
        lines = entry.strip().splitlines()
        out[next(ln[6:] for ln in lines if ln.startswith("ID  - "))] = lines
    return out


def test_ris_paper_has_every_field_zotero_and_endnote_read(export) -> None:
    paper = entries(export("ris"))["91000001"]
    expected = ["TY  - JOUR", "AU  - Sanacora, Gerard", "AU  - Müller, Özlem",
                "AU  - McDonald, W, Jr", "AU  - Task Force on Novel Treatments",
                "T2  - JAMA psychiatry", "JO  - JAMA Psychiatry", "VL  - 74", "IS  - 4",
                "SP  - 399", "EP  - 405", "PY  - 2017", "DO  - 10.1001/x.2017.1",
                "UR  - https://pubmed.ncbi.nlm.nih.gov/91000001/", "DB  - PubMed",
                "AN  - 91000001"]
    for line in expected:
        assert line in paper, line
    assert paper[0] == "TY  - JOUR" and [ln for ln in paper if ln.startswith("AU")] == \
        expected[1:5]                                         # all authors, in order


def test_ris_trial_is_a_database_record_with_its_registry_id(export) -> None:
    trial = entries(export("ris"))["NCT91000001"]
    for line in ("TY  - DBASE", "DB  - ClinicalTrials.gov", "AN  - NCT91000001",
                 "UR  - https://clinicaltrials.gov/study/NCT91000001",
                 "PB  - Janssen Research & Development, LLC", "PY  - 2024",
                 "DA  - 2024/05/02"):
        assert line in trial, line
    assert not any(ln.startswith(("JO", "T2", "VL")) for ln in trial)


def test_csv_carries_citation_columns_on_one_line_per_record(export) -> None:
    out = export("csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert len(out.splitlines()) == len(rows) + 1            # no embedded newlines
    paper = rows["91000001"]
    assert paper["authors"] == ("Sanacora, Gerard; Müller, Özlem; McDonald, W, Jr; "
                                "Task Force on Novel Treatments")
    assert (paper["volume"], paper["issue"], paper["pages"]) == ("74", "4", "399-405")
    assert (paper["start_page"], paper["end_page"]) == ("399", "405")
    assert (paper["pmid"], paper["doi"], paper["year"]) == ("91000001", "10.1001/x.2017.1", "2017")
    assert paper["journal"] == "JAMA psychiatry" and paper["journal_abbrev"] == "JAMA Psychiatry"
    assert paper["abstract"].startswith("BACKGROUND: Ketamine") and "RESULTS:" in paper["abstract"]
    assert rows["NCT91000001"]["nct_ids"] == "NCT91000001"


def test_json_carries_the_same_fields(export) -> None:
    records = {r["id"]: r for r in json.loads(export("json"))}
    paper = records["91000001"]
    assert paper["volume"] == "74" and paper["pages"] == "399-405" and len(paper["authors"]) == 4


@pytest.mark.parametrize("text,expected", [
    ("399-405", ("399", "405")), ("1234-56", ("1234", "1256")),
    ("123-30; quiz 131", ("123", "130")),
    ("e26", ("e26", "")), ("S1-S5", ("S1", "S5")), ("S12-9", ("S12", "S19")), ("", ("", "")),
])
def test_medline_page_ranges(text: str, expected: tuple[str, str]) -> None:
    assert medline_pages(text) == expected


@pytest.mark.parametrize("name,expected", [
    ("Doe J", "Doe, J"), ("Müller Ö", "Müller, Ö"), ("van der Berg JA", "van der Berg, JA"),
    ("Ketamine Study Group", "Ketamine Study Group"), ("Plato", "Plato"),
])
def test_ris_names(name: str, expected: str) -> None:
    assert ris_name(name) == expected
