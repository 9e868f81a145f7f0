"""Precision, recall and F1 per label value, and macro F1 per family and source.

Multi-label families (indication, route, drug) compare the sets of values per
record; design compares one value.  Macro F1 of a (source, family) is the mean F1
over every value present in the gold OR predicted for that source: a value the
classifier invents and the gold never uses scores F1 = 0 and pulls the mean down,
so false positives of absent classes are not free.  Values with neither gold nor
predicted support are not counted.  A family with no values at all (drug on
records where neither side names a drug) has no macro F1 and is shown as "-".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

FAMILIES = ("indication", "route", "design", "drug")
# The real evaluation set also labels topic: off_topic / on_topic.
REAL_FAMILIES = (*FAMILIES, "topic")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    # (source, family, value) -> counts
    counts: dict[tuple[str, str, str], Counts] = field(
        default_factory=lambda: defaultdict(Counts))
    records: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)

    def add(self, source: str, family: str, gold: set[str], predicted: set[str]) -> None:
        for value in gold | predicted:
            c = self.counts[(source, family, value)]
            if value in gold and value in predicted:
                c.tp += 1
            elif value in predicted:
                c.fp += 1
            else:
                c.fn += 1

    def macro_f1(self, source: str, family: str) -> float | None:
        f1s = [c.f1 for (s, f, _), c in self.counts.items() if s == source and f == family]
        return sum(f1s) / len(f1s) if f1s else None

    def sources(self) -> list[str]:
        return sorted({s for s, _, _ in self.counts} | set(self.records))


def value_table(scores: Scores) -> str:
    lines = [f"{'source':<7} {'family':<10} {'value':<20} {'P':>5} {'R':>5} {'F1':>5} "
             f"{'tp':>4} {'fp':>4} {'fn':>4}"]
    for (source, family, value), c in sorted(scores.counts.items()):
        lines.append(f"{source:<7} {family:<10} {value:<20} {c.precision:5.2f} {c.recall:5.2f} "
                     f"{c.f1:5.2f} {c.tp:4d} {c.fp:4d} {c.fn:4d}")
    return "\n".join(lines)


def macro_table(scores: Scores, targets: dict[tuple[str, str], float],
                families: tuple[str, ...] = FAMILIES) -> str:
    lines = [f"{'source':<7} {'records':>7}  " + "  ".join(f"{f:>10}" for f in families)]
    for source in scores.sources():
        cells = []
        for family in families:
            value = scores.macro_f1(source, family)
            target = targets.get((source, family))
            mark = "" if target is None else ("*" if value is not None and value >= target
                                              else "!")
            cells.append(f"{'-' if value is None else f'{value:.3f}'}{mark:1}".rjust(10))
        lines.append(f"{source:<7} {scores.records[source]:>7}  " + "  ".join(cells))
    lines.append("macro F1 per family; * meets its target, ! below its target")
    return "\n".join(lines)


def failures(scores: Scores, targets: dict[tuple[str, str], float]) -> list[str]:
    out = []
    for (source, family), target in targets.items():
        value = scores.macro_f1(source, family)
        if value is None or value < target:
            shown = "none" if value is None else f"{value:.3f}"
            out.append(f"{source} {family}: macro F1 {shown} < target {target:.2f}")
    return out
