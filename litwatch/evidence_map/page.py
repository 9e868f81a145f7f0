"""The evidence map as one self-contained HTML page: a table of cells, and the
records of a cell listed when it is clicked.

Everything the page needs is inside it (styles, a short script, the records as
JSON), so it opens from disk, offline, and can be mailed or archived as one
file.  Records reach the page as JSON in a <script type="application/json">
(Jinja's tojson escapes <, > and &, so a title cannot close the element) and
the script writes them with textContent, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from litwatch.digest.palette import design_colour, design_name, ink_on, route_name
from litwatch.digest.placing import indication_name
from litwatch.evidence_map.cells import Cell, EvidenceMap
from litwatch.templating import environment


@dataclass
class StripPart:
    colour: str
    percent: float
    title: str              # "Randomized controlled trial: 3"


@dataclass
class PageCell:
    key: str                # "trd|intravenous", the JSON's cell key
    total: int
    label: str              # for screen readers and the tooltip
    colour: str = "#ffffff"
    ink: str = "#1c2833"
    newest: str = ""        # the year of the newest record: "2025"
    strip: list[StripPart] | None = None


@dataclass
class PageRow:
    key: str
    name: str
    total: int
    cells: list[PageCell]


def cell_key(indication: str, route: str) -> str:
    return f"{indication}|{route}"


def page_rows(evidence: EvidenceMap) -> list[PageRow]:
    return [PageRow(i, indication_name(i), evidence.row_total(i),
                    [_page_cell(evidence, evidence.cell(i, r)) for r in evidence.cols])
            for i in evidence.rows]


def _page_cell(evidence: EvidenceMap, cell: Cell) -> PageCell:
    key = cell_key(cell.indication, cell.route)
    where = f"{indication_name(cell.indication)}, {route_name(cell.route)}"
    if cell.is_gap:
        return PageCell(key, 0, f"{where}: no records (a gap)")
    colour = design_colour(cell.strongest or "other")
    newest = evidence.newest(cell)
    strip = [StripPart(design_colour(d), round(100 * n / cell.total, 2), f"{design_name(d)}: {n}")
             for d, n in cell.designs()]
    mix = "; ".join(part.title for part in strip)
    year = str(newest.year) if newest and newest.year else ""
    label = f"{where}: {cell.total} records ({mix})" + (f", newest {year}" if year else "")
    return PageCell(key, cell.total, label, colour, ink_on(colour), year, strip)


def page_data(evidence: EvidenceMap) -> dict:
    """The records of every cell, newest first, for the page's script."""
    cells = {cell_key(c.indication, c.route): c.record_ids for c in evidence.cells.values()}
    shown = {i for ids in cells.values() for i in ids}
    records = {str(r.id): {"title": r.title, "url": r.url, "year": r.year or "",
                           "design": design_name(r.design), "colour": design_colour(r.design),
                           "label": r.label, "entered": r.entered[:10]}
               for r in evidence.records.values() if r.id in shown}
    names = {cell_key(i, r): f"{indication_name(i)} · {route_name(r)}"
             for i in evidence.rows for r in evidence.cols}
    return {"cells": cells, "records": records, "names": names}


def legend(evidence: EvidenceMap) -> list[tuple[str, str]]:
    return [(design_name(d), design_colour(d)) for d in evidence.designs_present()]


def render_page(evidence: EvidenceMap, title: str, subtitle: str) -> str:
    return environment().get_template("evidence_map.html").render(
        title=title, subtitle=subtitle, heads=[route_name(r) for r in evidence.cols],
        col_totals=[evidence.col_total(r) for r in evidence.cols], rows=page_rows(evidence),
        data=page_data(evidence), legend=legend(evidence), left_out=evidence.left_out)
