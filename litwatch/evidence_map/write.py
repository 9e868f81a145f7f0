"""`litwatch map`'s work: read the store, build the map, write the page and images.

Files are written whole or not at all (temp file, then rename), so a page a
browser or a web server is reading is never half a page.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from litwatch.evidence_map.cells import EvidenceMap, build_map
from litwatch.evidence_map.load import load_records
from litwatch.evidence_map.page import render_page
from litwatch.evidence_map.png import svg_to_png
from litwatch.evidence_map.svg import render_svg, size
from litwatch.search.filters import SearchFilters

FORMATS = ("html", "svg", "png")
STEM = "evidence-map"
TITLE = "litwatch evidence map: ketamine, esketamine, arketamine"


def map_from_store(engine: Engine, filters: SearchFilters | None = None) -> EvidenceMap:
    """The whole store (or what the filters select), label filters narrowing the rows
    and columns to the indications and routes asked for."""
    records, left_out = load_records(engine, filters)
    rows = list(filters.indication) if filters and filters.indication else None
    cols = list(filters.route) if filters and filters.route else None
    evidence = build_map(records, rows, cols)
    evidence.left_out = left_out
    evidence.filters = describe_filters(filters)
    return evidence


def describe_filters(filters: SearchFilters | None) -> str:
    if filters is None or not filters.any():
        return ""
    parts = []
    for f in fields(filters):
        value = getattr(filters, f.name)
        if value:
            parts.append(f"{f.name} {', '.join(value) if isinstance(value, tuple) else value}")
    return "; ".join(parts)


def subtitle(evidence: EvidenceMap, generated: datetime) -> str:
    cells = len(evidence.rows) * len(evidence.cols)
    what = f"records matching {evidence.filters}" if evidence.filters else "records in the store"
    text = (f"{evidence.shown_records} {what}, in {cells - evidence.gaps} of {cells} cells "
            f"({evidence.gaps} gaps).")
    if evidence.left_out:
        text += " Left out: " + ", ".join(f"{n} {why}" for why, n in evidence.left_out.items())
        text += "."
    return f"{text} Generated {generated:%Y-%m-%d %H:%M %Z}.".replace(" .", ".")


def write_map(engine: Engine, out_dir: Path, formats: list[str], generated: datetime,
              filters: SearchFilters | None = None) -> tuple[EvidenceMap, list[Path]]:
    """Write evidence-map.{html,svg,png} for the formats asked; PNG needs the SVG,
    which is kept beside it."""
    evidence = map_from_store(engine, filters)
    out_dir.mkdir(parents=True, exist_ok=True)
    sub = subtitle(evidence, generated)
    written = []
    if "html" in formats:
        written.append(_write(out_dir / f"{STEM}.html", render_page(evidence, TITLE, sub)))
    if "svg" in formats or "png" in formats:
        svg = _write(out_dir / f"{STEM}.svg", render_svg(evidence, TITLE, sub))
        written.append(svg)
        if "png" in formats:
            written.append(svg_to_png(svg, out_dir / f"{STEM}.png", *size(evidence)))
    return evidence, written


def _write(path: Path, text: str) -> Path:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
