"""The evidence map as a standalone SVG image, drawn in Python.

One drawing for every static use: the file `litwatch map --format svg` writes,
and the PNG rendered from it.  Each cell is filled with the colour of its
strongest design and shows its record count, the newest record's year and a
strip of its designs; a gap is white with a dashed outline, so missing evidence
is as visible as evidence.  No fonts, scripts or images are referenced: the
file opens the same anywhere.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from litwatch.digest.palette import (
    design_colour,
    design_name,
    ink_on,
    route_name,
)
from litwatch.digest.placing import indication_name
from litwatch.evidence_map.cells import Cell, EvidenceMap

CELL_W, CELL_H, GAP = 104, 46, 2
LEFT, TOP, PAD = 250, 118, 16
FONT = "Arial, Helvetica, sans-serif"
GAP_INK = "#aab1b8"


def size(evidence: EvidenceMap) -> tuple[int, int]:
    """(width, height) in pixels, legend included."""
    width = LEFT + len(evidence.cols) * (CELL_W + GAP) + PAD
    height = TOP + len(evidence.rows) * (CELL_H + GAP) + 36 + _legend_height(evidence)
    return width, height


def render_svg(evidence: EvidenceMap, title: str, subtitle: str) -> str:
    width, height = size(evidence)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{FONT}" role="img">',
             f"<title>{escape(title)}</title>",
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
             _text(PAD, 30, title, 20, weight="bold"),
             _text(PAD, 52, subtitle, 12, fill="#566573")]
    parts += _column_heads(evidence)
    for row, indication in enumerate(evidence.rows):
        parts += _row(evidence, indication, TOP + row * (CELL_H + GAP))
    parts += _column_totals(evidence, TOP + len(evidence.rows) * (CELL_H + GAP))
    parts += _legend(evidence, height - _legend_height(evidence))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _text(x: float, y: float, text: str, px: int, fill: str = "#1c2833", anchor: str = "start",
          weight: str = "normal") -> str:
    return (f'<text x="{x:.0f}" y="{y:.0f}" font-size="{px}" fill="{fill}" '
            f'text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>')


def _column_heads(evidence: EvidenceMap) -> list[str]:
    parts = []
    for col, route in enumerate(evidence.cols):
        x = LEFT + col * (CELL_W + GAP) + CELL_W / 2
        # Two lines at most ("Sublingual /" over "buccal") so a head fits its column.
        words = route_name(route).replace(" / ", "/ ").split(" ")
        lines = [" ".join(words[:1]), " ".join(words[1:])] if len(words) > 1 else words
        for i, line in enumerate(lines):
            parts.append(_text(x, TOP - 26 + i * 14 - (7 if len(lines) > 1 else 0), line, 12,
                               anchor="middle", weight="bold"))
    return parts


def _row(evidence: EvidenceMap, indication: str, y: int) -> list[str]:
    total = evidence.row_total(indication)
    parts = [_text(LEFT - 10, y + CELL_H / 2, indication_name(indication), 13, anchor="end"),
             _text(LEFT - 10, y + CELL_H / 2 + 14, f"{total} record{'s' * (total != 1)}", 10,
                   fill="#6c757d", anchor="end")]
    for col, route in enumerate(evidence.cols):
        x = LEFT + col * (CELL_W + GAP)
        parts += _cell(evidence, evidence.cell(indication, route), x, y)
    return parts


def _cell(evidence: EvidenceMap, cell: Cell, x: int, y: int) -> list[str]:
    label = f"{indication_name(cell.indication)}, {route_name(cell.route)}"
    if cell.is_gap:
        return [f'<g class="gap"><title>{escape(label)}: no records (a gap)</title>',
                f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" '
                f'fill="#ffffff" stroke="{GAP_INK}" stroke-dasharray="4 3"/>',
                _text(x + CELL_W / 2, y + CELL_H / 2 + 4, "gap", 11, GAP_INK, "middle"), "</g>"]
    colour = design_colour(cell.strongest or "other")
    ink = ink_on(colour)
    newest = evidence.newest(cell)
    mix = ", ".join(f"{design_name(d)} {n}" for d, n in cell.designs())
    parts = [f'<g class="cell"><title>{escape(label)}: {cell.total} ({escape(mix)})</title>',
             f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{colour}"/>',
             _text(x + 8, y + 24, str(cell.total), 18, ink, weight="bold")]
    if newest and newest.year:
        parts.append(_text(x + CELL_W - 6, y + 16, str(newest.year), 10, ink, "end"))
    parts += _design_strip(cell, x, y + CELL_H - 9)
    parts.append("</g>")
    return parts


def _design_strip(cell: Cell, x: int, y: int) -> list[str]:
    """A thin bar of the cell's designs, strongest first, widths by count."""
    parts = [f'<rect x="{x + 4}" y="{y - 1}" width="{CELL_W - 8}" height="7" fill="#ffffff"/>']
    left, width = x + 5.0, CELL_W - 10
    for design, count in cell.designs():
        w = width * count / cell.total
        parts.append(f'<rect x="{left:.1f}" y="{y}" width="{w:.1f}" height="5" '
                     f'fill="{design_colour(design)}"/>')
        left += w
    return parts


def _column_totals(evidence: EvidenceMap, y: int) -> list[str]:
    parts = [_text(LEFT - 10, y + 16, "records per route", 10, "#6c757d", "end")]
    for col, route in enumerate(evidence.cols):
        x = LEFT + col * (CELL_W + GAP) + CELL_W / 2
        parts.append(_text(x, y + 16, str(evidence.col_total(route)), 11, "#566573", "middle"))
    return parts


def _legend_height(evidence: EvidenceMap) -> int:
    return 24 + 20 * ((len(evidence.designs_present()) + 2) // 3)


def _legend(evidence: EvidenceMap, y: int) -> list[str]:
    parts = [_text(PAD, y + 12, "Number: records in the cell; top right: the year of its newest "
                   "record; colour: its strongest design; strip: its designs; dashed: no "
                   "records yet (a gap).", 11, "#566573")]
    for i, design in enumerate(evidence.designs_present()):
        x, row_y = PAD + (i % 3) * 300, y + 24 + (i // 3) * 20
        parts.append(f'<rect x="{x}" y="{row_y}" width="14" height="14" '
                     f'fill={quoteattr(design_colour(design))}/>')
        parts.append(_text(x + 20, row_y + 12, design_name(design), 12))
    return parts
