"""Everything one digest shows, assembled from a Selection: the templates' only input."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from litwatch.digest.chart import Chart, build_chart
from litwatch.digest.claims import ClaimView
from litwatch.digest.model import ConditionGroup, Numbers, build_groups, count_numbers
from litwatch.digest.select import Selection


@dataclass
class DigestView:
    label: str                      # "2026-W46" or "2026-11-01..2026-11-14"
    period: str                     # "09 Nov 2026 – 15 Nov 2026"
    timezone: str
    numbers: Numbers
    chart: Chart
    groups: list[ConditionGroup]
    claims: list[ClaimView] = field(default_factory=list)
    generated: str = ""
    archive_url: str | None = None  # where the full digest is kept
    truncated: bool = False         # the email lists only the top items per group

    @property
    def empty(self) -> bool:
        return self.numbers.total == 0 and not self.claims

    @property
    def is_week(self) -> bool:
        return "-W" in self.label

    @property
    def subject(self) -> str:
        what = "week" if self.is_week else "period"
        head = f"litwatch {self.label}"
        if self.empty:
            return f"{head}: nothing new this {what}"
        return head + ": " + ", ".join(f"{c} {w}" for c, w in self.numbers.parts() if c)


def build_view(selection: Selection, tz: str, claims: list[ClaimView], generated: datetime,
               archive_url: str | None) -> DigestView:
    window = selection.window
    return DigestView(label=window.label, period=window.describe(), timezone=tz,
                      numbers=count_numbers(selection), chart=build_chart(selection),
                      groups=build_groups(selection), claims=claims,
                      generated=f"{generated:%Y-%m-%d %H:%M %Z}".strip(),
                      archive_url=archive_url)
