"""This week's records by main indication and design, as a bar chart of table cells.

Mail clients run no scripts and often block images, so the chart is rows of
coloured <td> cells whose widths are percentages; the plain-text part draws the
same numbers with characters.  The chart is drawn from the condition groups
themselves (every record once, under its main indication), so a bar's number
is its section's number by construction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from litwatch.digest.model import ConditionGroup
from litwatch.digest.palette import design_colour, design_name, design_short, strength_order


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
    key: str
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

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def design_counts(group: ConditionGroup) -> Counter[str]:
    counts = Counter(item.design_key for item in group.items)
    counts.update(group.left_out.by_design)
    return counts


def build_chart(groups: list[ConditionGroup], text_width: int = 20) -> Chart:
    counts = {g.key: design_counts(g) for g in groups}
    widest = max((g.count for g in groups), default=0)
    rows = [_row(g, counts[g.key], widest, text_width) for g in groups]
    totals: Counter[str] = Counter()
    for c in counts.values():
        totals.update(c)
    return Chart(rows, [_segment(d, n, 0) for d, n in _by_strength(totals)])


def _by_strength(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: strength_order(kv[0]))


def _segment(design: str, count: int, total: int) -> Segment:
    percent = round(100 * count / total) if total else 0
    return Segment(design, design_name(design), design_short(design), count, percent,
                   design_colour(design))


def _row(group: ConditionGroup, counts: Counter[str], widest: int, text_width: int) -> ChartRow:
    segments = [_segment(d, n, group.count) for d, n in _by_strength(counts)]
    # Rounding can leave the percentages a point off 100; the last segment absorbs it.
    if segments:
        segments[-1].percent = max(1, 100 - sum(s.percent for s in segments[:-1]))
    bar = max(2, round(100 * group.count / widest)) if widest else 0
    text_bar = "#" * max(1, round(text_width * group.count / widest)) if widest else ""
    return ChartRow(group.key, group.title, group.count, bar, segments, text_bar)
