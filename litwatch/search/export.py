"""Export records as CSV (spreadsheets), JSON, or RIS (Zotero, EndNote, Mendeley).

Selection reuses search (query and filters, no limit); records are then read a
chunk at a time with their parsed payload, so authors and full abstracts are
exported and memory stays flat on large stores.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from litwatch import vocab
from litwatch.records import FeedItem, Paper, Trial
from litwatch.search import SearchFilters, rank_records, record_url
from litwatch.store.codec import load_record
from litwatch.store.tables import LabelRow, RecordRow

FORMATS = ("csv", "json", "ris")
CHUNK = 500
CSV_COLUMNS = ("source", "id", "title", "authors", "journal", "year", "pub_date",
               "entry_date", "doi", "design", "phase", "status", "sample_size", "retracted",
               "indication", "route", "drug", "comparator", "url", "summary", "abstract")
_LABEL_NAMES = {"indication": vocab.INDICATIONS, "route": vocab.ROUTES,
                "design": vocab.DESIGNS, "drug": vocab.DRUGS, "comparator": vocab.COMPARATORS}


@dataclass
class ExportItem:
    """One record flattened for export."""

    fields: dict
    labels: dict[str, list[str]]
    authors: list[str]
    kind: str          # paper | trial | feed


def select_ids(engine: Engine, query: str | None, filters: SearchFilters) -> list[int]:
    """Record ids in export order (rank with a query, newest first without)."""
    with engine.connect() as conn:
        return [r.record_id for r in rank_records(conn, query, filters, None, snippets=False)]


def _item(row: RecordRow, labels: dict[str, list[str]]) -> ExportItem:
    record = load_record(row)
    authors: list[str] = []
    kind = "feed"
    if isinstance(record, Paper):
        authors, kind = list(record.authors), "paper"
    elif isinstance(record, Trial):
        kind = "trial"
    elif isinstance(record, FeedItem):
        authors = list(record.authors)
    fields = {"source": row.source, "id": row.source_id, "title": row.title,
              "journal": row.journal, "year": row.year, "pub_date": row.pub_date,
              "entry_date": row.entry_date, "doi": row.doi, "design": row.design,
              "phase": row.phase, "status": row.status, "sample_size": row.sample_size,
              "retracted": bool(row.retracted), "url": record_url(row.source, row.source_id,
                                                                  row.data),
              "summary": row.summary, "abstract": row.abstract}
    return ExportItem(fields, labels, authors, kind)


def iter_items(engine: Engine, ids: Sequence[int]) -> Iterator[ExportItem]:
    with Session(engine) as session:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            rows = {r.id: r for r in session.exec(
                select(RecordRow).where(col(RecordRow.id).in_(chunk)))}
            labels: dict[int, dict[str, list[str]]] = {}
            for lab in session.exec(select(LabelRow).where(col(LabelRow.record_id).in_(chunk))
                                    .order_by(col(LabelRow.id))):
                values = labels.setdefault(lab.record_id, {}).setdefault(lab.family, [])
                if lab.value not in values:
                    values.append(lab.value)
            for rid in chunk:
                if rid in rows:
                    yield _item(rows[rid], labels.get(rid, {}))
            session.expunge_all()


def write_csv(items: Iterator[ExportItem], stream: IO[str]) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for item in items:
        row = dict(item.fields, authors="; ".join(item.authors),
                   retracted="yes" if item.fields["retracted"] else "",
                   **{f: ";".join(item.labels.get(f, [])) for f in _LABEL_NAMES
                      if f != "design"})
        writer.writerow(["" if row.get(c) is None else row[c] for c in CSV_COLUMNS])
        count += 1
    return count


def write_json(items: Iterator[ExportItem], stream: IO[str]) -> int:
    """A JSON array, written record by record."""
    count = 0
    stream.write("[")
    for item in items:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(dict(item.fields, authors=item.authors, labels=item.labels),
                                ensure_ascii=False))
        count += 1
    stream.write("\n]\n")
    return count


_RIS_UNSAFE = re.compile(r"[\x00-\x1f\x7f]+")


def _ris_line(tag: str, value: object) -> str:
    text = _RIS_UNSAFE.sub(" ", str(value)).strip()
    return f"{tag}  - {text}\n" if text else ""


def ris_entry(item: ExportItem) -> str:
    f = item.fields
    lines = [_ris_line("TY", "DBASE" if item.kind == "trial" else "JOUR"),
             _ris_line("TI", f["title"])]
    lines += [_ris_line("AU", a) for a in item.authors]
    if item.kind == "trial":
        lines += [_ris_line("DB", "ClinicalTrials.gov"), _ris_line("PB", f["journal"])]
    else:
        lines.append(_ris_line("JO", f["journal"]))
    lines += [_ris_line("PY", f["year"] or ""), _ris_line("DO", f["doi"] or ""),
              _ris_line("UR", f["url"]), _ris_line("AB", f["abstract"]),
              _ris_line("ID", f["id"])]
    if f["retracted"]:
        lines.append(_ris_line("N1", "RETRACTED publication"))
    for family, names in _LABEL_NAMES.items():
        lines += [_ris_line("KW", f"{family}: {names.get(v, v)}")
                  for v in item.labels.get(family, [])]
    lines.append("ER  - \n")
    return "".join(lines)


def write_ris(items: Iterator[ExportItem], stream: IO[str]) -> int:
    count = 0
    for item in items:
        stream.write(ris_entry(item) + "\n")
        count += 1
    return count


WRITERS = {"csv": write_csv, "json": write_json, "ris": write_ris}


def write_export(engine: Engine, ids: Sequence[int], fmt: str, stream: IO[str]) -> int:
    """Write the records `ids` to `stream` in `fmt`; return how many were written."""
    return WRITERS[fmt](iter_items(engine, ids), stream)
