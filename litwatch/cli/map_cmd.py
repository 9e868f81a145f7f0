"""`litwatch map`: the living evidence map of the store, as a page and an image."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from litwatch.cli.app import App
from litwatch.cli.search_cmd import filters_from_args
from litwatch.evidence_map import FORMATS, write_map
from litwatch.evidence_map.png import RenderError
from litwatch.search.filters import LABEL_OPTIONS

DEFAULT_FORMATS = ["html", "svg"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "map", help="draw the evidence gap map (indications x routes) of the store",
        description="Render every stored record, or those the filters select, as an "
                    "evidence gap map: indications down, routes across; each cell shows how "
                    "many records of each design exist, the strongest design's colour and "
                    "the newest record; empty cells are gaps. Writes evidence-map.html (a "
                    "self-contained page: click a cell to list its records) and "
                    "evidence-map.svg; --format png adds a PNG rendered by headless "
                    "Chromium. Exit status 1 when no record matched or the PNG failed.")
    p.add_argument("--out", metavar="DIR",
                   help="write the files here (default: 'map' beside digest.archive_dir)")
    p.add_argument("--format", action="append", choices=FORMATS, metavar="FORMAT",
                   help="html, svg or png; repeat for several (default: html and svg)")
    for option, (_, keys) in LABEL_OPTIONS.items():
        p.add_argument(f"--{option}", action="append", metavar="KEY",
                       help=f"only records labelled with this {option}: {', '.join(keys)}")
    p.add_argument("--since", metavar="DATE", help="entered on or after YYYY-MM-DD")
    p.add_argument("--until", metavar="DATE", help="entered on or before YYYY-MM-DD")
    p.set_defaults(func=cmd_map, source=None, phase=None, status=None)


def cmd_map(app: App, args: argparse.Namespace) -> int:
    filters = filters_from_args(args)
    settings = app.settings
    out = Path(args.out) if args.out else Path(settings.digest.archive_dir).parent / "map"
    try:
        evidence, written = write_map(app.engine, out, args.format or DEFAULT_FORMATS,
                                      settings.now(settings.digest.timezone), filters)
    except RenderError as exc:
        print(f"litwatch: {exc}", file=sys.stderr)
        return exc.exit_status
    for path in written:
        print(f"wrote {path}")
    filled = len(evidence.rows) * len(evidence.cols) - evidence.gaps
    print(f"{evidence.shown_records} records in {filled} cells; {evidence.gaps} gaps")
    if not evidence.shown_records:
        print("litwatch: no records matched", file=sys.stderr)
        return 1
    return 0
