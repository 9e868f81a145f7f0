"""This week's changes to the evidence map, for the digest: which cells gained
records, of which designs, and which of them were gaps until now.

The map counts a record in every cell it is labelled for, and so does this
grid; the email says so beside it (the chart above it counts each record once).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Engine

from litwatch.digest.palette import (
    design_colour,
    design_short,
    ink_on,
    route_name,
    route_short,
    strength_order,
)
from litwatch.digest.placing import indication_name
from litwatch.evidence_map.cells import EvidenceMap, build_map, places
from litwatch.evidence_map.load import load_records


@dataclass
class ChangedCell:
    indication: str
    route: str
    added: Counter[str]             # design -> records added this week
    total: int                      # records in the cell now

    @property
    def count(self) -> int:
        return sum(self.added.values())

    @property
    def was_gap(self) -> bool:
        return self.count == self.total

    @property
    def strongest(self) -> str:
        return min(self.added, key=strength_order)


@dataclass
class MapChanges:
    rows: list[str]                                 # indications with a changed cell
    cols: list[str]                                 # routes with a changed cell
    cells: dict[tuple[str, str], ChangedCell] = field(default_factory=dict)
    records: int = 0                                # this week's records on the map

    @property
    def empty(self) -> bool:
        return not self.cells

    @property
    def gaps_filled(self) -> int:
        return sum(c.was_gap for c in self.cells.values())

    def cell(self, indication: str, route: str) -> ChangedCell | None:
        return self.cells.get((indication, route))

    @property
    def head(self) -> list[tuple[str, str]]:
        return grid_head(self)

    @property
    def table(self) -> list[tuple[str, list[GridCell | None]]]:
        return grid_rows(self)


def map_changes(engine: Engine, record_ids: set[int]) -> MapChanges:
    records, _ = load_records(engine, lean=True)
    return changes_on(build_map(records), record_ids)


def changes_on(full: EvidenceMap, record_ids: set[int]) -> MapChanges:
    cells: dict[tuple[str, str], ChangedCell] = {}
    added = [full.records[i] for i in sorted(record_ids) if i in full.records]
    for record in added:
        for place in places(record):
            if place not in cells:
                cells[place] = ChangedCell(*place, Counter(), full.cell(*place).total)
            cells[place].added[record.design] += 1
    rows = [r for r in full.rows if any(i == r for i, _ in cells)]
    cols = [c for c in full.cols if any(r == c for _, r in cells)]
    return MapChanges(rows, cols, cells, len(added))


@dataclass
class GridCell:
    """One changed cell as the email's table shows it."""

    text: str                       # "+2" or "+1 ★"
    colour: str
    ink: str
    line: str                       # the plain-text twin: "TRD / IN: +2 (RCT 1, ...), 14 in all"


def grid_rows(changes: MapChanges) -> list[tuple[str, list[GridCell | None]]]:
    """(indication name, a cell or None per changed route) for each changed indication."""
    return [(indication_name(i), [_grid_cell(changes.cell(i, r)) for r in changes.cols])
            for i in changes.rows]


def grid_head(changes: MapChanges) -> list[tuple[str, str]]:
    """(short name, full name) of each changed route."""
    return [(route_short(r), route_name(r)) for r in changes.cols]


def _grid_cell(cell: ChangedCell | None) -> GridCell | None:
    if cell is None:
        return None
    colour = design_colour(cell.strongest)
    mix = ", ".join(f"{design_short(d)} {n}" for d, n in
                    sorted(cell.added.items(), key=lambda kv: strength_order(kv[0])))
    line = (f"{indication_name(cell.indication)} / {route_short(cell.route)}: +{cell.count} "
            f"({mix}), {cell.total} in all" + (" *" if cell.was_gap else ""))
    return GridCell(f"+{cell.count}" + (" ★" if cell.was_gap else ""), colour, ink_on(colour),
                    line)
