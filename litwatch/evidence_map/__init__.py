"""The living evidence map: every stored record (or a filtered set) as an evidence
gap map, indications down, routes across.

    cells   the map as data: records placed in (indication, route) cells
    load    reading the store with the search filters; what is not evidence
    page    the self-contained HTML page (click a cell to list its records)
    svg     the static image, drawn in Python
    png     the SVG rendered to PNG by headless Chromium
    week    this week's changes to the map, for the digest's table grid
    write   `litwatch map`: build and write the files
"""

from litwatch.evidence_map.cells import EvidenceMap, build_map
from litwatch.evidence_map.write import FORMATS, map_from_store, write_map

__all__ = ["EvidenceMap", "FORMATS", "build_map", "map_from_store", "write_map"]
