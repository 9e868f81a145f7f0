"""The demo week (2026-W46) as `make demo` builds it: the corpus replayed through the
API emulator on the demo's dates, then the digest the Monday email carries.

What a clinician forwarding it needs: complete (nothing cut) and under Gmail's
clipping limit, each record once, readable registry words, public links only,
a citation (authors, journal abbreviation) on every paper, and counts that agree.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import lxml.html
import pytest
from sqlalchemy import Engine

from litwatch.config.loader import Settings
from litwatch.digest.service import RenderedDigest, render_window
from litwatch.digest.window import week_window
from litwatch.http import HttpClient
from litwatch.store.engine import open_engine
from litwatch.sync import SyncContext, run_sync
from testkit.emulator import Emulator
from tests.conftest import CORPUS, REPO, make_settings
from tests.test_sync import fast

# Raw ClinicalTrials.gov enums and phase codes: none may reach a reader.
REGISTRY_CODE = re.compile(r"\b(?:NOT_YET_RECRUITING|ACTIVE_NOT_RECRUITING|ENROLLING_BY_INVITATION|"
                           r"RECRUITING|COMPLETED|TERMINATED|WITHDRAWN|SUSPENDED|UNKNOWN|"
                           r"EARLY_PHASE1|PHASE\d|ESTIMATED|ACTUAL)\b")


def demo_plan() -> tuple[list[str], str, str]:
    """The replay dates, first feed date and digest week of scripts/demo.py itself."""
    spec = importlib.util.spec_from_file_location("demo", REPO / "scripts" / "demo.py")
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)                         # type: ignore[union-attr]
    return demo.REPLAY, demo.FEEDS_FROM, demo.DIGEST_WEEK


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Engine]]:
    replay, feeds_from, _ = demo_plan()
    tmp = tmp_path_factory.mktemp("demo")
    with Emulator(CORPUS, today=replay[0]) as emulator:
        settings = fast(make_settings(tmp, emulator))
        engine = open_engine(settings.database_url)
        for day in replay:
            emulator.set_today(day)
            sources = ["pubmed", "ctgov"] + (["feeds"] if day >= feeds_from else [])
            ctx = SyncContext(settings, engine, HttpClient(settings.http),
                              today=date.fromisoformat(day))
            assert run_sync(ctx, sources=sources).ok
    settings = replace(settings, digest=replace(settings.digest, archive_dir=tmp / "digests"))
    yield settings, engine
    engine.dispose()


@pytest.fixture(scope="module")
def digest(demo_store: tuple[Settings, Engine]) -> RenderedDigest:
    settings, engine = demo_store
    week = demo_plan()[2]
    return render_window(settings, engine, week_window(week, settings.digest.timezone))


@pytest.fixture(scope="module")
def doc(digest: RenderedDigest) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(digest.html)


def test_the_email_is_complete_and_under_the_clipping_limit(digest: RenderedDigest,
                                                            doc: lxml.html.HtmlElement) -> None:
    assert len(digest.html.encode()) < 100 * 1024
    assert digest.html == digest.archive_path.read_text(encoding="utf-8")   # nothing cut
    assert not doc.xpath("//*[@id='left-out'] | //p[contains(@class,'more')]")
    assert len(doc.xpath("//div[@data-record]")) == digest.item_count > 30


def test_each_record_appears_once(doc: lxml.html.HtmlElement) -> None:
    ids = doc.xpath("//div[@data-record]/@data-record")
    assert len(ids) == len(set(ids))
    titles = [p.text_content() for p in doc.xpath("//div[contains(@class,'item-title')]")]
    assert len(titles) == len(set(titles))


def test_chart_and_headings_agree_and_say_what_they_count(digest: RenderedDigest,
                                                          doc: lxml.html.HtmlElement) -> None:
    headings = {}
    for h2 in doc.xpath("//h2[contains(@class,'condition')]"):
        key = h2.get("id").removeprefix("condition-")
        listed = 0
        for el in h2.itersiblings():
            if el.tag == "h2":
                break
            listed += el.get("data-record") is not None
        assert int(h2.get("data-count")) == listed, key
        assert h2.xpath("./span")[0].text_content().strip() == \
            f"· {listed} record{'s' if listed != 1 else ''}"
        headings[key] = listed
    chart = {row.get("data-condition"): int(row.xpath(".//td[@class='chart-total']")[0].text)
             for row in doc.xpath("//tr[contains(@class,'chart-row')]")}
    assert chart == {k: n for k, n in headings.items() if k != "older"}
    tiles = [int(t.text) for t in doc.xpath("//table[@id='numbers']//span[@class='num']")]
    assert sum(tiles) == sum(chart.values())
    note = doc.get_element_by_id("numbers-note").text_content()
    assert f"{sum(tiles)} records, each counted once" in note
    assert "counted once, under its main indication" in \
        doc.xpath("//h2[@id='chart-title']/following-sibling::p[1]")[0].text_content()


def test_no_raw_registry_codes(digest: RenderedDigest, doc: lxml.html.HtmlElement) -> None:
    assert not REGISTRY_CODE.findall(doc.text_content())
    assert not REGISTRY_CODE.findall(digest.text)
    news = [p.text_content() for p in doc.xpath("//div[@class='news']")]
    assert any("recruitment ended early: terminated, 11 of 30 enrolled; why stopped:" in n
               for n in news), news
    assert any("results posted on ClinicalTrials.gov" in n for n in news)
    facts = " ".join(p.text_content() for p in doc.xpath("//div[@data-kind='updated_trial' or "
                                                         "@data-kind='new_trial']/div[@class='facts']"))
    assert "Recruiting" in facts and re.search(r"Phase \d", facts)


def test_links_are_public_addresses_only(digest: RenderedDigest,
                                         doc: lxml.html.HtmlElement) -> None:
    hrefs = doc.xpath("//@href")
    assert hrefs and all(h.startswith(("https://pubmed.ncbi.nlm.nih.gov/",
                                       "https://clinicaltrials.gov/study/NCT",
                                       "https://doi.org/")) for h in hrefs)
    assert "file:" not in digest.text and str(digest.archive_path.parent) not in digest.text


def test_every_paper_is_citable(doc: lxml.html.HtmlElement) -> None:
    papers = doc.xpath("//div[@data-kind='new_paper' or @data-kind='flagged']"
                       "[.//a[starts-with(., 'PMID')]]")
    assert len(papers) > 15
    for item in papers:
        cite = item.xpath("./div[@class='cite']")[0]
        text = cite.text_content()
        # Authors (up to three, then et al.), the ISO abbreviation, the year.
        assert re.match(r"^[^.]+?(, et al)?\. [A-Z][A-Za-z ]+\. (19|20)\d\d[.;]", text), text
        journal = text.split(". ")[1]
        assert journal != journal.lower(), text                 # not NLM's long lowercase form
        assert cite.xpath("./a[starts-with(@href, 'https://pubmed.ncbi.nlm.nih.gov/')]")
    assert any(re.search(r";\d+(\(\w+\))?:[\de-]+", p.text_content())
               for p in doc.xpath("//div[@class='cite']"))         # volume(issue):pages


def test_labels_and_findings_are_separate_lines(digest: RenderedDigest,
                                                doc: lxml.html.HtmlElement) -> None:
    for item in doc.xpath("//div[@data-record]"):
        facts = item.xpath("./div[@class='facts']")[0].text_content()
        for finding in item.xpath("./div[@class='finding']"):
            assert finding.text_content() not in facts
    # "... over 40 minutes This proof-of-concept trial ..." was a run-on of two lines.
    assert not re.search(r"minutes [A-Z]", doc.text_content())
    for line in digest.text.splitlines():
        assert not re.search(r"\b(oral|intranasal) \1\b", line, re.IGNORECASE), line


def test_old_preprints_are_not_late_arrivals(doc: lxml.html.HtmlElement) -> None:
    older = doc.xpath("//h2[@id='condition-older']")
    assert older, "the 2019 and 2022 preprints are listed apart"
    for item in doc.xpath("//div[@data-kind='older']"):
        notes = item.xpath("./div[contains(@class,'notes')]")[0].text_content()
        assert "late arrival" not in notes and "first seen by litwatch" in notes
    for note in doc.xpath("//div[contains(@class,'notes')]"):
        text = note.text_content()
        if "late arrival" in text:                # this week's PubMed entries, published long ago
            assert re.search(r"late arrival: published \w+ (19|20)\d\d, entered PubMed \d\d \w+ "
                             r"2026", text), text


def test_the_map_changes_grid_is_a_table(doc: lxml.html.HtmlElement) -> None:
    grid = doc.get_element_by_id("map-changes")
    assert grid.tag == "table" and grid.xpath(".//td[contains(@class,'map-cell')]")
    assert all(re.match(r"^\+\d+( ★)?$", td.text_content())
               for td in grid.xpath(".//td[contains(@class,'map-cell')]"))
