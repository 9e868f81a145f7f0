"""Everything one digest shows, assembled from a Selection: the templates' only input."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from litwatch.digest.chart import Chart, build_chart
from litwatch.digest.claims import ClaimView, SeedClaims, by_seed, number_records
from litwatch.digest.model import (
    ConditionGroup,
    Numbers,
    build_groups,
    build_older_group,
    count_numbers,
)
from litwatch.digest.select import Selection
from litwatch.evidence_map.week import MapChanges


@dataclass
class DigestView:
    label: str                      # "2026-W46" or "2026-11-01..2026-11-14"
    period: str                     # "09 Nov 2026 – 15 Nov 2026"
    timezone: str
    numbers: Numbers
    chart: Chart
    groups: list[ConditionGroup]
    older: ConditionGroup | None = None
    claims: list[ClaimView] = field(default_factory=list)
    map_changes: MapChanges | None = None
    generated: str = ""
    archive_url: str | None = None  # a public copy of the full digest, when configured
    rebuild_hint: str = ""          # the command that writes the complete digest
    left_out: int = 0               # records not listed in this email for size

    @property
    def empty(self) -> bool:
        return self.numbers.total == 0 and not self.claims and self.older is None

    @property
    def is_week(self) -> bool:
        return "-W" in self.label

    @property
    def all_groups(self) -> list[ConditionGroup]:
        return self.groups + ([self.older] if self.older else [])

    @property
    def item_count(self) -> int:
        """Every record the digest lists, older ones included."""
        return self.numbers.total + self.numbers.older

    @property
    def claims_by_seed(self) -> list[SeedClaims]:
        return by_seed(self.claims)

    @property
    def listed_numbers(self) -> set[int]:
        return {item.number for g in self.all_groups for item in g.items}

    @property
    def listed(self) -> int:
        return sum(len(g.items) for g in self.all_groups)

    @property
    def subject(self) -> str:
        what = "week" if self.is_week else "period"
        head = f"litwatch {self.label}"
        if self.empty:
            return f"{head}: nothing new this {what}"
        return head + ": " + ", ".join(f"{c} {w}" for c, w in self.numbers.parts() if c)


def build_view(selection: Selection, tz: str, claims: list[ClaimView], generated: datetime,
               archive_url: str | None, map_changes: MapChanges | None = None) -> DigestView:
    window = selection.window
    groups = build_groups(selection)
    older = build_older_group(selection)
    numbers = _number_items(groups + ([older] if older else []))
    number_records(claims, numbers)
    hint = (f"litwatch digest --week {window.label}" if window.is_iso_week else
            f"litwatch digest --since {window.first_day} --until {window.last_day}")
    return DigestView(label=window.label, period=window.describe(), timezone=tz,
                      numbers=count_numbers(selection), chart=build_chart(groups),
                      groups=groups, older=older, claims=claims,
                      map_changes=map_changes,
                      generated=f"{generated:%Y-%m-%d %H:%M %Z}".strip(),
                      archive_url=archive_url, rebuild_hint=hint)


def _number_items(groups: list[ConditionGroup]) -> dict[tuple[str, str], int]:
    """Number the items 1..n in reading order (the claims watch refers to them)."""
    numbers = {}
    for number, item in enumerate((i for g in groups for i in g.items), start=1):
        item.number = number
        numbers[item.source_key] = number
    return numbers
