"""The rendered digest: structure (parsed, not grepped), escaping, text twin, links."""

from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import Engine, delete
from sqlmodel import Session

from litwatch import vocab
from litwatch.classify.labels import Classification, Label
from litwatch.config.loader import Settings
from litwatch.digest.service import RenderedDigest, render_week, render_window
from litwatch.digest.window import days_window, week_window
from litwatch.records import FeedItem, Paper
from litwatch.store.tables import LabelRow
from litwatch.sync.load import load_directory
from litwatch.sync.pipeline import Incoming, ingest_batch
from testkit.digest_sample import sample_week

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
PUBLIC = ("https://pubmed.ncbi.nlm.nih.gov/", "https://clinicaltrials.gov/study/NCT",
          "https://doi.org/")


def digest_settings(settings: Settings, tmp_path: Path, **digest: object) -> Settings:
    return replace(settings, digest=replace(settings.digest, archive_dir=tmp_path / "digests",
                                            **digest))


def render(settings: Settings, engine: Engine, week: str = "2026-W46") -> RenderedDigest:
    w = week_window(week, settings.digest.timezone)
    return render_week(settings, engine, w.start, w.end, w.label)


def store_hostile(engine: Engine) -> None:
    labels = Classification([Label("indication", "trd")],
                            summary="Randomized controlled trial\n<b>bold</b> & claims")
    ingest_batch(engine, [
        Incoming(Paper(pmid="555", title=HOSTILE, entrez_date="2026-11-12"), b"", labels),
        Incoming(FeedItem(guid="x1", title="Feed item with a bad link", link="javascript:alert(3)",
                          published="2026-11-12", feed_title="Hostile feed"), b"", labels)])


def item_titles(doc: lxml.html.HtmlElement, numbered: bool = False) -> list[str]:
    """The items' titles, by default without their "[n] " number."""
    titles = [p.text_content().strip() for p in doc.xpath("//div[contains(@class,'item-title')]")]
    return titles if numbered else [re.sub(r"^\[\d+\] ", "", t) for t in titles]


def sections(doc: lxml.html.HtmlElement) -> dict[str, list[lxml.html.HtmlElement]]:
    """Condition heading text -> the item divs under it (up to the next h2)."""
    out: dict[str, list[lxml.html.HtmlElement]] = {}
    for h2 in doc.xpath("//h2[contains(@class,'condition')]"):
        items = out.setdefault(h2.text.strip(), [])
        for el in h2.itersiblings():
            if el.tag == "h2":
                break
            if "item" in (el.get("class") or "").split():
                items.append(el)
    return out


def test_digest_structure_order_and_links(settings: Settings, engine: Engine,
                                          tmp_path: Path) -> None:
    sample_week(engine, "2026-W46", count=40)
    out = render(digest_settings(settings, tmp_path), engine)
    doc = lxml.html.fromstring(out.html)
    conditions = [h.text.strip() for h in doc.xpath("//h2[contains(@class,'condition')]")]
    assert conditions[0] == "Treatment-resistant depression"
    assert conditions[-2:] == ["Other / unclassified", "Older records first seen this week"]
    assert doc.get_element_by_id("numbers") is not None
    assert doc.get_element_by_id("chart").xpath(".//td[@bgcolor]")       # table-cell bars
    order = ["flagged", *vocab.DESIGNS, "not_stated"]
    for h2 in doc.xpath("//h2[contains(@class,'condition')]"):
        designs = []
        for el in h2.itersiblings():
            if el.tag == "h2":
                break
            if el.tag == "h3":
                designs.append(el.get("data-design"))
        assert designs == sorted(designs, key=order.index)          # strongest design first
    hrefs = doc.xpath("//a/@href")
    for prefix in PUBLIC:
        assert any(h.startswith(prefix) for h in hrefs), prefix
    assert all(h.startswith("https://") for h in hrefs)             # never file:, never relative
    # Email-safe: no scripts, no images, styles inlined, a 640 px table.
    assert not doc.xpath("//script | //img | //style | //link | //svg")
    assert doc.xpath("//table[@width='640']")
    assert doc.xpath("//h2")[0].get("style")
    assert out.archive_path.read_text(encoding="utf-8") == out.html
    assert len(out.html.encode()) < 100 * 1024
    assert not doc.xpath("//*[@id='left-out']")


def test_each_item_has_separate_lines_and_a_citation(settings: Settings, engine: Engine,
                                                     tmp_path: Path) -> None:
    sample_week(engine, "2026-W46", count=20)
    doc = lxml.html.fromstring(render(digest_settings(settings, tmp_path), engine).html)
    for item in doc.xpath("//div[@data-record]"):
        lines = [p.get("class") for p in item.xpath("./div")]
        assert lines[0] == "item-title" and "facts" in lines, lines
        if item.get("data-kind") == "new_paper":
            cite = item.xpath("./div[@class='cite']")[0].text_content()
            authors = r"^\w+ [A-Z]+(, \w+ [A-Z]+)*(, et al\.|\.)"
            assert re.match(authors + r" J Synth Psychiatry\. 20\d\d\.", cite), cite
            assert item.xpath("./div[@class='cite']/a[starts-with(., 'PMID')]")
    ids = doc.xpath("//div[@data-record]/@data-record")
    assert len(ids) == len(set(ids))


def test_text_part_has_the_same_items_in_the_same_order(settings: Settings, engine: Engine,
                                                        tmp_path: Path) -> None:
    sample_week(engine, "2026-W46", count=40)
    out = render(digest_settings(settings, tmp_path), engine)
    doc = lxml.html.fromstring(out.html)
    flat = " ".join(out.text.split())
    titles = item_titles(doc, numbered=True)
    positions = [flat.index(f"* {t} ") for t in titles]
    assert positions == sorted(positions)
    assert "This week: completed This week: results posted on ClinicalTrials.gov 12 Nov 2026" \
        in flat
    assert not re.search(r"\b(RECRUITING|COMPLETED|PHASE\d)\b", out.text)
    assert "THE WEEK IN NUMBERS" in out.text and "<" not in out.text.replace("<http", "")
    # The text twin keeps its indent: every item's continuation lines start at column 5.
    item_lines = out.text.split("\n   * ")[1:]
    for block in item_lines:
        for line in block.split("\n\n")[0].splitlines()[1:]:
            assert line.startswith("     ") or line.startswith("-- ") or not line.strip(), line


def test_markup_in_titles_is_shown_as_text(settings: Settings, engine: Engine,
                                           tmp_path: Path) -> None:
    store_hostile(engine)
    out = render(digest_settings(settings, tmp_path), engine)
    doc = lxml.html.fromstring(out.html)
    assert not doc.xpath("//script | //img | //div[@class='finding']//*")
    assert HOSTILE in item_titles(doc)
    assert "<b>bold</b> & claims" in doc.xpath("//div[@class='finding']/text()")
    bad = [p for p in doc.xpath("//div[contains(@class,'item-title')]")
           if "bad link" in p.text_content()]
    assert bad and not bad[0].xpath(".//a")                   # javascript: is not linked
    assert HOSTILE in out.text


def test_archive_link_only_when_a_public_url_is_configured(settings: Settings, engine: Engine,
                                                           tmp_path: Path) -> None:
    sample_week(engine, "2026-W46", count=8)
    plain = render(digest_settings(settings, tmp_path), engine)
    hrefs = lxml.html.fromstring(plain.html).xpath("//@href")
    assert not any(h.startswith("file:") for h in hrefs)
    assert "file:" not in plain.text and str(tmp_path) not in plain.html + plain.text
    public = render(digest_settings(settings, tmp_path, archive_base_url="https://x.org/d/"),
                    engine)
    footer = lxml.html.fromstring(public.html).get_element_by_id("footer")
    assert footer.xpath(".//a/@href") == ["https://x.org/d/litwatch-2026-W46.html"]
    # The footer's sentences stay apart from the address (a line break, not a run-on).
    assert footer.xpath(".//br")


def test_empty_week_says_so(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    out = render(digest_settings(settings, tmp_path), engine, "2026-W40")
    doc = lxml.html.fromstring(out.html)
    assert "Nothing new this week" in doc.get_element_by_id("empty-week").text_content()
    assert not doc.xpath("//h2[contains(@class,'condition')]")
    assert "Nothing new this week" in out.text
    assert out.subject == "litwatch 2026-W40: nothing new this week" and out.item_count == 0


@dataclass
class FakeClaim:
    claim_id: str
    claim: str
    seed: str
    verdict: str
    new_records: list


def test_claims_section_renders_what_the_hook_returns(settings: Settings, engine: Engine,
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    sample_week(engine, "2026-W46", count=8)
    claims = [FakeClaim("c1", "Ketamine cures depression <i>in hours</i>",
                        "Ketamine clinics (Example News)", "mixed",
                        [{"title": "Not in this digest", "source": "pubmed", "source_id": "123",
                          "stance": "against"},
                         {"title": "An RCT", "source": "pubmed", "source_id": "41000000",
                          "stance": "supports"}])]
    hook = types.ModuleType("litwatch.claims.watch")
    hook.claims_watch = lambda settings, engine, start, end: claims      # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "litwatch.claims.watch", hook)
    out = render(digest_settings(settings, tmp_path), engine)
    doc = lxml.html.fromstring(out.html)
    section = doc.get_element_by_id("claims")
    assert "Ketamine cures depression <i>in hours</i>" in section.text_content()
    assert section.xpath(".//h3")[0].text_content() == "Ketamine clinics (Example News)"
    # A record listed above is named by its item number, any other by a link.
    [rct] = [i for i in doc.xpath("//div[@data-record]")
             if "41000000" in i.xpath("./div[@class='cite']")[0].text_content()]
    number = rct.xpath("./div[contains(@class,'item-title')]")[0].text_content().split("]")[0]
    assert f"new: {number}] supports, PMID 123 against" in section.text_content()
    assert section.xpath(".//a/@href") == ["https://pubmed.ncbi.nlm.nih.gov/123/"]
    assert f"new: {number}] supports, PMID 123 <https://pubmed.ncbi.nlm.nih.gov/123/> against" \
        in " ".join(out.text.split())
    claims.clear()
    doc = lxml.html.fromstring(render(digest_settings(settings, tmp_path), engine).html)
    assert not doc.xpath("//*[@id='claims']")


def test_real_payloads_render(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    load_directory(engine, REALDATA)
    s = digest_settings(settings, tmp_path)
    every_day = days_window(date(1970, 1, 1), date(2026, 12, 31), "UTC")
    # The saved payloads are not about ketamine: the digest leaves them out ...
    assert render_window(s, engine, every_day).item_count < 5
    # ... and, taken as on topic, every real shape renders with safe links only.
    with Session(engine) as session, session.begin():
        session.exec(delete(LabelRow).where(LabelRow.family == "topic"))
    out = render_window(s, engine, every_day)
    assert out.item_count > 50
    doc = lxml.html.fromstring(out.archive_path.read_text(encoding="utf-8"))
    assert not doc.xpath("//script")
    links = doc.xpath("//div[contains(@class,'item')]//a/@href")
    assert links and all(h.startswith("https://") for h in links)
    assert len(out.html.encode()) <= s.digest.max_html_kb * 1024


def test_bundled_corpus_week_fits_in_one_email(settings: Settings, corpus_engine: Engine,
                                               tmp_path: Path) -> None:
    out = render(digest_settings(settings, tmp_path), corpus_engine, "2026-W46")
    assert out.item_count > 10
    assert len(out.html.encode()) < 100 * 1024                # Gmail clips at ~102 KB
    doc = lxml.html.fromstring(out.html)
    assert not doc.xpath("//*[@id='left-out']")               # a typical week is complete
    assert doc.xpath("//h2[contains(@class,'condition')]")
