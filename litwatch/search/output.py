"""Search results as a terminal table, JSON or CSV.

The table is for people: on a terminal rich fits it to the terminal's width; piped
(`| less`, `| grep`, `> file`) it becomes one tab-separated line per record, since
a table wrapped at an assumed 80 columns is unreadable and ungreppable.  JSON and
CSV are for programs: the data and nothing else, every value on one line, and
snippets as plain text (matched words are highlighted on the terminal only).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from litwatch.search.hits import SearchHit
from litwatch.search.ranked import MARK_CLOSE, MARK_OPEN, strip_marks

if TYPE_CHECKING:        # rich is imported when a terminal gets a table, not for pipes
    from rich.console import Console
    from rich.text import Text

CSV_COLUMNS = ("source", "id", "title", "journal", "year", "entry_date", "doi", "design",
               "phase", "status", "retracted", "indication", "route", "drug", "url", "score",
               "snippet")
LABEL_FAMILIES = ("indication", "route", "drug")


def marked_text(text: str, style: str = "bold yellow", base: str = "") -> Text:
    """A rich Text with the marked spans styled (markup in records stays literal)."""
    from rich.text import Text
    out = Text(style=base)
    pos = 0
    while (start := text.find(MARK_OPEN, pos)) >= 0:
        end = text.find(MARK_CLOSE, start)
        end = len(text) if end < 0 else end
        out.append(text[pos:start])
        out.append(text[start + 1:end], style=style)
        pos = end + 1
    out.append(text[pos:])
    return out


def one_line(text: str | None) -> str:
    """Plain text on one line: marks removed, newlines, tabs and runs of spaces squeezed."""
    return " ".join(strip_marks(text or "").split())


def hit_record(hit: SearchHit) -> dict:
    """The JSON shape of one hit: source and id first, the snippet as plain text."""
    data: dict[str, object] = {"source": hit.source, "id": hit.source_id}
    data.update((k, v) for k, v in hit.to_dict().items()
                if k not in ("source", "source_id", "title_marked"))
    data["snippet"] = one_line(hit.snippet) if hit.snippet else None
    data["score"] = None if hit.score is None else round(hit.score, 4)
    return data


def write_json(hits: Sequence[SearchHit], stream: IO[str]) -> None:
    json.dump([hit_record(h) for h in hits], stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_csv(hits: Sequence[SearchHit], stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        rec = hit_record(hit)
        for family in LABEL_FAMILIES:
            rec[family] = ";".join(hit.labels.get(family, []))
        rec["retracted"] = "yes" if hit.retracted else ""
        writer.writerow([_csv_cell(rec.get(c)) for c in CSV_COLUMNS])


def _csv_cell(value: object) -> object:
    # Spreadsheets and reference managers read a quoted newline as a new record.
    return "" if value is None else one_line(value) if isinstance(value, str) else value


def display_id(hit: SearchHit) -> str:
    return hit.source_id if hit.source != "feed" else f"feed:{hit.source_id}"


def write_lines(hits: Sequence[SearchHit], stream: IO[str]) -> None:
    """The piped table: id, date, design, status, labels, title; tab-separated, no header."""
    for hit in hits:
        labels = ",".join(v for f in LABEL_FAMILIES for v in hit.labels.get(f, []))
        title = ("RETRACTED: " if hit.retracted else "") + (hit.title or "(no title)")
        fields = [display_id(hit), (hit.entry_date or str(hit.year or ""))[:10],
                  hit.design or "", (hit.status or "").lower(), labels, title]
        stream.write("\t".join(one_line(f) for f in fields) + "\n")


def write_table(hits: Sequence[SearchHit], stream: IO[str], title: str = "") -> None:
    """A table fitted to the terminal, or tab-separated lines when `stream` is not one."""
    if stream.isatty():
        from rich.console import Console
        render_table(hits, Console(file=stream), title)
    else:
        write_lines(hits, stream)


def _title_cell(hit: SearchHit) -> Text:
    from rich.text import Text
    cell = marked_text(hit.title_marked or hit.title or "(no title)", base="bold")
    if hit.retracted:
        cell = Text("RETRACTED ", style="bold red") + cell
    if hit.snippet:
        cell = Text("\n").join([cell, marked_text(hit.snippet.replace("\n", " "), base="dim")])
    return cell


def _labels_cell(hit: SearchHit) -> str:
    parts = [hit.design or ""] + [v for f in LABEL_FAMILIES for v in hit.labels.get(f, [])]
    return "\n".join(p for p in parts if p)


def render_table(hits: Sequence[SearchHit], console: Console, title: str = "") -> None:
    from rich.table import Table
    table = Table(title=title or None, show_lines=True, expand=True)
    table.add_column("id", style="cyan", overflow="fold", max_width=24)
    table.add_column("date", no_wrap=True)
    table.add_column("title / matching text", ratio=4, overflow="fold")
    table.add_column("labels", ratio=1, overflow="fold")
    for hit in hits:
        date = (hit.entry_date or str(hit.year or ""))[:10]
        status = f"\n{hit.status.lower()}" if hit.status else ""
        table.add_row(display_id(hit), date + status, _title_cell(hit), _labels_cell(hit))
    console.print(table)
