"""The rendered digest: structure (parsed, not grepped), escaping, text twin, size cap."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import Engine

from litwatch.classify.labels import Classification, Label
from litwatch.config.loader import Settings
from litwatch.digest.service import RenderedDigest, render_week, render_window
from litwatch.digest.window import days_window, week_window
from litwatch.records import FeedItem, Paper
from litwatch.sync.load import load_directory
from litwatch.sync.pipeline import Incoming, ingest_batch
from testkit.digest_sample import sample_week

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def digest_settings(settings: Settings, tmp_path: Path, **digest: object) -> Settings:
    return replace(settings, digest=replace(settings.digest, archive_dir=tmp_path / "digests",
                                            **digest))


def render(settings: Settings, engine: Engine, week: str = "2026-W46") -> RenderedDigest:
    w = week_window(week, settings.digest.timezone)
    return render_week(settings, engine, w.start, w.end, w.label)


def store_hostile(engine: Engine) -> None:
    labels = Classification([Label("indication", "trd")], summary="<b>bold</b> & claims")
    ingest_batch(engine, [
        Incoming(Paper(pmid="555", title=HOSTILE, entrez_date="2026-11-12"), b"", labels),
        Incoming(FeedItem(guid="x1", title="Feed item with a bad link", link="javascript:alert(3)",
                          published="2026-11-12", feed_title="Hostile feed"), b"", labels)])


def test_digest_structure_order_and_links(settings: Settings, engine: Engine,
                                          tmp_path: Path) -> None:
    sample_week(engine, "2026-W46", count=40)
    out = render(digest_settings(settings, tmp_path), engine)
    doc = lxml.html.fromstring(out.html)
    conditions = [h.text.strip() for h in doc.xpath("//h2[contains(@class,'condition')]")]
    assert conditions[0] == "Treatment-resistant depression"
    assert conditions[-1] == "Other / unclassified"
    assert doc.get_element_by_id("numbers") is not None
    assert doc.get_element_by_id("chart").xpath(".//td[@bgcolor]")       # table-cell bars
    first = doc.xpath("//h2[contains(@class,'condition')]")[0]
    designs = []
    for el in first.itersiblings():
        if el.tag == "h2":
            break
        if el.tag == "h3":
            designs.append([])
        elif el.tag == "h4":
            designs[-1].append(el.text)
    from litwatch import vocab
    order = list(vocab.DESIGNS.values())
    for per_route in designs:                                 # strongest design first
        assert per_route == sorted(per_route, key=order.index)
    hrefs = [a.get("href") for a in doc.xpath("//a[@href]")]
    assert any(h.startswith("https://pubmed.ncbi.nlm.nih.gov/") for h in hrefs)
    assert any(h.startswith("https://clinicaltrials.gov/study/NCT") for h in hrefs)
    assert any(h.startswith("https://doi.org/10.1101/") for h in hrefs)
    assert all(h.startswith(("https://", "file://")) for h in hrefs)
    # Email-safe: no scripts, no images, styles inlined, a 640 px table.
    assert not doc.xpath("//script | //img | //style | //link")
    assert doc.xpath("//table[@width='640']")
    assert doc.xpath("//h2")[0].get("style")
    assert out.archive_path.read_text(encoding="utf-8") == out.html
    assert len(out.html.encode()) < 100 * 1024


def test_text_part_has_the_same_items_in_the_same_order(settings: Settings, engine: Engine,
                                                        tmp_path: Path) -> None:
    sample_week(engine, "2026-W46", count=40)
    out = render(digest_settings(settings, tmp_path), engine)
    doc = lxml.html.fromstring(out.html)
    titles = [p.text_content().strip() for p in doc.xpath("//p[contains(@class,'item-title')]")]
    positions = [out.text.index(f"* {t}") for t in titles[:5]]
    assert positions == sorted(positions)
    assert all(f"* {t}" in out.text for t in titles)
    assert "Status: RECRUITING -> COMPLETED" in out.text
    assert "THE WEEK IN NUMBERS" in out.text and "<" not in out.text.replace("<http", "")


def test_markup_in_titles_is_shown_as_text(settings: Settings, engine: Engine,
                                           tmp_path: Path) -> None:
    store_hostile(engine)
    out = render(digest_settings(settings, tmp_path), engine)
    doc = lxml.html.fromstring(out.html)
    assert not doc.xpath("//script | //img | //b")
    titles = [p.text_content().strip() for p in doc.xpath("//p[contains(@class,'item-title')]")]
    assert HOSTILE in titles
    assert "<b>bold</b> & claims" in doc.text_content()
    bad = [p for p in doc.xpath("//p[contains(@class,'item-title')]")
           if "bad link" in p.text_content()]
    assert bad and not bad[0].xpath(".//a")                   # javascript: is not linked
    assert HOSTILE in out.text


def test_size_cap_lists_top_items_and_links_the_archive(settings: Settings, engine: Engine,
                                                        tmp_path: Path) -> None:
    sample_week(engine, "2026-W46", count=600)
    s = digest_settings(settings, tmp_path, max_html_kb=95, top_items_per_group=5,
                        archive_base_url="https://digests.example.org/litwatch/")
    out = render(s, engine)
    assert len(out.html.encode()) <= 95 * 1024
    archive = out.archive_path.read_text(encoding="utf-8")
    assert len(archive.encode()) > 95 * 1024                  # the archive keeps everything
    doc = lxml.html.fromstring(out.html)
    url = "https://digests.example.org/litwatch/" + out.archive_path.name
    assert doc.get_element_by_id("truncated").xpath(".//a/@href") == [url]
    more = doc.xpath("//p[contains(@class,'more')]")
    assert more and all("and" in p.text_content() and "more" in p.text_content() for p in more)
    for titles in items_per_condition(doc).values():
        assert 0 < len(set(titles)) <= 5
    assert f"Full digest: {url}" in out.text and "... and" in out.text
    full = lxml.html.fromstring(archive)
    assert len(full.xpath("//div[contains(@class,'item')]")) > len(
        doc.xpath("//div[contains(@class,'item')]"))
    assert out.item_count == 603


def items_per_condition(doc: lxml.html.HtmlElement) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for h2 in doc.xpath("//h2[contains(@class,'condition')]"):
        titles = out.setdefault(h2.text.strip(), [])
        for el in h2.itersiblings():
            if el.tag == "h2":
                break
            if "item" in (el.get("class") or "").split():
                titles.append(el.xpath(".//p[contains(@class,'item-title')]")[0].text_content())
    return out


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
    claims = [FakeClaim("c1", "Ketamine cures depression <i>in hours</i>", "news-article",
                        "mixed", [{"title": "An RCT", "source": "pubmed", "source_id": "41000000",
                                   "design": "RCT", "stance": "supports"}])]
    hook = types.ModuleType("litwatch.claims.watch")
    hook.claims_watch = lambda settings, engine, start, end: claims      # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "litwatch.claims.watch", hook)
    doc = lxml.html.fromstring(render(digest_settings(settings, tmp_path), engine).html)
    section = doc.get_element_by_id("claims")
    assert "Ketamine cures depression <i>in hours</i>" in section.text_content()
    assert section.xpath(".//a/@href") == ["https://pubmed.ncbi.nlm.nih.gov/41000000/"]
    claims.clear()
    doc = lxml.html.fromstring(render(digest_settings(settings, tmp_path), engine).html)
    assert not doc.xpath("//*[@id='claims']")


def test_real_payloads_render(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    load_directory(engine, REALDATA)
    s = digest_settings(settings, tmp_path)
    out = render_window(s, engine, days_window(date(1970, 1, 1), date(2026, 12, 31), "UTC"))
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
    assert not doc.xpath("//*[@id='truncated']")              # a typical week is not capped
    assert doc.xpath("//h2[contains(@class,'condition')]")
