"""The evidence gap map as data: indications down, routes across, records in cells.

A record counts in every cell it is labelled for (a trial of intravenous versus
intranasal ketamine in TRD is evidence for both routes), as evidence gap maps
do; row and column totals count each record once.  A record without an
indication sits in the "Other" row, without a stated route in the "Route not
stated" column.  A cell nobody has studied is a gap, and stays on the map.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from litwatch import vocab
from litwatch.digest.palette import DESIGN_NOT_STATED, strength_order

NO_INDICATION = "other"
NO_ROUTE = "not_stated"


@dataclass
class MapRecord:
    id: int
    source: str
    source_id: str
    title: str
    year: int | None
    entered: str                # entry date (ISO, may be partial)
    design: str
    url: str
    indications: list[str]
    routes: list[str]

    @property
    def label(self) -> str:
        """PMID 123 / NCT01234567 / the DOI or guid of a feed item."""
        if self.source == "pubmed":
            return f"PMID {self.source_id}"
        return self.source_id if self.source == "ctgov" else "preprint / feed item"


@dataclass
class Cell:
    indication: str
    route: str
    by_design: Counter[str] = field(default_factory=Counter)
    record_ids: list[int] = field(default_factory=list)     # newest publication first

    @property
    def total(self) -> int:
        return len(self.record_ids)

    @property
    def is_gap(self) -> bool:
        return not self.record_ids

    @property
    def strongest(self) -> str | None:
        return min(self.by_design, key=strength_order) if self.by_design else None

    def designs(self) -> list[tuple[str, int]]:
        """(design, count), strongest first."""
        return sorted(self.by_design.items(), key=lambda kv: strength_order(kv[0]))


@dataclass
class EvidenceMap:
    rows: list[str]                         # indication keys, vocabulary order
    cols: list[str]                         # route keys, vocabulary order
    cells: dict[tuple[str, str], Cell]
    records: dict[int, MapRecord]
    left_out: dict[str, int] = field(default_factory=dict)   # why -> how many
    filters: str = ""                       # the filters in words, "" for the whole store

    def cell(self, indication: str, route: str) -> Cell:
        return self.cells.get((indication, route)) or Cell(indication, route)

    def row_total(self, indication: str) -> int:
        return len({r for route in self.cols for r in self.cell(indication, route).record_ids})

    def col_total(self, route: str) -> int:
        return len({r for ind in self.rows for r in self.cell(ind, route).record_ids})

    @property
    def shown_records(self) -> int:
        return len({r for c in self.cells.values() for r in c.record_ids})

    @property
    def gaps(self) -> int:
        return sum(self.cell(i, r).is_gap for i in self.rows for r in self.cols)

    def designs_present(self) -> list[str]:
        """Designs found in any cell, strongest first: the legend."""
        return sorted({d for c in self.cells.values() for d in c.by_design}, key=strength_order)

    def newest(self, cell: Cell) -> MapRecord | None:
        return self.records[cell.record_ids[0]] if cell.record_ids else None


def places(record: MapRecord) -> list[tuple[str, str]]:
    """Every (indication, route) cell a record belongs to."""
    indications = record.indications or [NO_INDICATION]
    routes = [r for r in record.routes if r != NO_ROUTE] or [NO_ROUTE]
    return [(i, r) for i in indications for r in routes]


def build_map(records: list[MapRecord], rows: list[str] | None = None,
              cols: list[str] | None = None) -> EvidenceMap:
    """Place records (newest first within each cell) on the rows and columns given,
    by default every indication and route of the vocabulary, so gaps show.

    Newest means published most recently (then entered most recently): PubMed
    takes in old papers late, and a 2017 paper entered this week is not new evidence."""
    rows = rows or list(vocab.INDICATIONS)
    cols = cols or list(vocab.ROUTES)
    wanted = {(i, r) for i in rows for r in cols}
    cells: dict[tuple[str, str], Cell] = {}
    for record in sorted(records, key=lambda r: (r.year or 0, r.entered or "", r.id),
                         reverse=True):
        for place in places(record):
            if place in wanted:
                cell = cells.setdefault(place, Cell(*place))
                cell.by_design[record.design or DESIGN_NOT_STATED] += 1
                cell.record_ids.append(record.id)
    return EvidenceMap(rows, cols, cells, {r.id: r for r in records})
