"""New evidence by indication and design, as data for a bar chart drawn with table cells.

Mail clients run no scripts and often block images, so the chart is rows of
coloured <td> cells whose widths are percentages; the plain-text part draws the
same numbers with characters.  Only new records count (updates and retractions
are news about evidence already counted).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from litwatch import vocab
from litwatch.digest.placing import (
    DESIGN_NOT_STATED,
    UNCLASSIFIED,
    design_key,
    design_name,
    indication_keys,
    indication_name,
)
from litwatch.digest.select import Selection

# One colour per design, dark to light as evidence gets weaker; readable on white.
DESIGN_SHORT = {
    "systematic_review": "SR/MA", "rct": "RCT", "non_randomized": "non-randomized",
    "single_arm": "single-arm", "observational": "observational", "case_report": "case",
    "guideline": "guideline", "narrative_review": "review", "protocol": "protocol",
    "preclinical": "preclinical", "other": "other", DESIGN_NOT_STATED: "design n/s",
}
DESIGN_COLOURS = {
    "systematic_review": "#1b4f72", "rct": "#2874a6", "non_randomized": "#3498db",
    "single_arm": "#5dade2", "observational": "#48c9b0", "case_report": "#a3e4d7",
    "guideline": "#af7ac5", "narrative_review": "#d2b4de", "protocol": "#f5b041",
    "preclinical": "#cacfd2", "other": "#e5e8e8", DESIGN_NOT_STATED: "#f2f3f4",
}


@dataclass
class Segment:
    key: str
    title: str
    short: str              # for the plain-text chart
    count: int
    percent: int            # of the row's bar
    colour: str


@dataclass
class ChartRow:
    title: str
    total: int
    bar_percent: int        # of the widest bar
    segments: list[Segment]
    text_bar: str           # the plain-text twin: '#' characters


@dataclass
class Chart:
    rows: list[ChartRow]
    legend: list[Segment]   # designs present, strongest first (count = week total)

    @property
    def empty(self) -> bool:
        return not self.rows


def build_chart(selection: Selection, text_width: int = 20) -> Chart:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in selection.new:
        for ind in indication_keys(entry):
            counts[ind][design_key(entry)] += 1
    order = {k: i for i, k in enumerate(vocab.INDICATIONS) if k != UNCLASSIFIED}
    keys = sorted(counts, key=lambda k: (k == UNCLASSIFIED, order.get(k, len(order)), k))
    widest = max((sum(c.values()) for c in counts.values()), default=0)
    rows = [_row(indication_name(k), counts[k], widest, text_width) for k in keys]
    totals: Counter[str] = Counter()
    for c in counts.values():
        totals.update(c)
    return Chart(rows, [_segment(d, n, 0) for d, n in _by_strength(totals)])


def _by_strength(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (kv[0] == DESIGN_NOT_STATED,
                                                  vocab.design_rank(kv[0])))


def _segment(design: str, count: int, total: int) -> Segment:
    percent = round(100 * count / total) if total else 0
    return Segment(design, design_name(design), DESIGN_SHORT.get(design, design), count, percent,
                   DESIGN_COLOURS.get(design, DESIGN_COLOURS["other"]))


def _row(title: str, counts: Counter[str], widest: int, text_width: int) -> ChartRow:
    total = sum(counts.values())
    segments = [_segment(d, n, total) for d, n in _by_strength(counts)]
    # Rounding can leave the percentages a point off 100; the last segment absorbs it.
    if segments:
        segments[-1].percent = max(1, 100 - sum(s.percent for s in segments[:-1]))
    bar = max(2, round(100 * total / widest)) if widest else 0
    return ChartRow(title, total, bar, segments,
                    "#" * max(1, round(text_width * total / widest)) if widest else "")
