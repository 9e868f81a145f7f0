"""A week of 1,000 new records: the email stays under Gmail's clipping limit, names
what it left out and why, and its counts still agree with the archive's."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import Engine

from litwatch.config.loader import Settings
from litwatch.digest.service import RenderedDigest, render_week
from litwatch.digest.window import week_window
from testkit.digest_sample import sample_week

MORE = re.compile(r"^(\d+) more not listed in this email for size: (.+)\.$")


@pytest.fixture
def big_week(engine: Engine) -> Engine:
    sample_week(engine, "2026-W46", count=1000)
    return engine


def render(settings: Settings, engine: Engine, tmp_path: Path, **digest: object
           ) -> RenderedDigest:
    s = replace(settings, digest=replace(settings.digest, archive_dir=tmp_path / "digests",
                                         **digest))
    w = week_window("2026-W46", s.digest.timezone)
    return render_week(s, engine, w.start, w.end, w.label)


def groups(doc: lxml.html.HtmlElement) -> dict[str, tuple[int, int, int]]:
    """condition key -> (heading count, items listed, items said to be left out)."""
    out = {}
    for h2 in doc.xpath("//h2[contains(@class,'condition')]"):
        listed, left = 0, 0
        for el in h2.itersiblings():
            if el.tag == "h2":
                break
            if el.get("data-record"):
                listed += 1
            if "more" in (el.get("class") or ""):
                left = int(MORE.match(el.text_content().strip()).group(1))
        out[h2.get("id").removeprefix("condition-")] = (int(h2.get("data-count")), listed, left)
    return out


def test_a_huge_week_fits_and_names_what_it_left_out(settings: Settings, big_week: Engine,
                                                     tmp_path: Path) -> None:
    out = render(settings, big_week, tmp_path)
    assert len(out.html.encode()) <= settings.digest.max_html_kb * 1024 < 102 * 1024
    doc = lxml.html.fromstring(out.html)
    note = doc.get_element_by_id("left-out").text_content()
    counts = groups(doc)
    listed = sum(n for _, n, _ in counts.values())
    left = sum(n for _, _, n in counts.values())
    assert listed + left == out.item_count == 1005
    assert f"{out.item_count} records" in note and f"lists {listed} of them" in note
    assert "102 KB" in note and f"other {left}" in note
    assert "litwatch digest --week 2026-W46" in note            # no archive URL: no link
    assert not any(h.startswith("file:") for h in doc.xpath("//@href"))
    for key, (heading, shown, missing) in counts.items():       # headings count everything
        assert heading == shown + missing, key
    chart = {row.get("data-condition"): int(row.xpath(".//td[@class='chart-total']")[0].text)
             for row in doc.xpath("//tr[contains(@class,'chart-row')]")}
    assert chart == {k: v[0] for k, v in counts.items() if k != "older"}
    for p in doc.xpath("//p[contains(@class,'more')]"):         # left out, named by design
        assert re.search(r"\d+ (SR/MA|RCT|preclinical|review|case|protocol|observational|"
                         r"single-arm|guideline|non-randomized)", p.text_content())
    # The week's retraction is never the one left out.
    assert doc.xpath("//div[@data-kind='flagged']")
    ids = doc.xpath("//div[@data-record]/@data-record")
    assert len(ids) == len(set(ids))
    assert "TOO LARGE FOR ONE EMAIL" in out.text and "more not listed" in out.text


def test_the_archive_keeps_every_record_and_the_email_links_it(settings: Settings,
                                                               big_week: Engine,
                                                               tmp_path: Path) -> None:
    base = "https://digests.example.org/litwatch/"
    out = render(settings, big_week, tmp_path, archive_base_url=base)
    url = base + out.archive_path.name
    doc = lxml.html.fromstring(out.html)
    assert doc.get_element_by_id("left-out").xpath(".//a/@href") == [url]
    assert f"Full digest: {url}" in " ".join(out.text.split())
    archive = lxml.html.fromstring(out.archive_path.read_text(encoding="utf-8"))
    assert len(archive.xpath("//div[@data-record]")) == out.item_count
    assert not archive.xpath("//*[@id='left-out']")
