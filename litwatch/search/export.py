"""Export records as CSV (spreadsheets), JSON, or RIS (Zotero, EndNote, Mendeley).

Selection reuses search (query and filters, no limit); records are then read a
chunk at a time with their parsed payload, so authors and full abstracts are
exported and memory stays flat on large stores.  Volume, issue and pages come
from the raw efetch XML (litwatch.search.citation).

RIS types: papers are JOUR.  A trial registration is DBASE with DB
ClinicalTrials.gov: Zotero's RIS importer maps DBASE to a non-article type
(Document / Dataset) that keeps archive (DB), accession (AN), publisher (PB: the
sponsor) and URL, whereas GEN is imported as a journal article with an empty
journal.  EndNote and Mendeley read DBASE as "Online Database".
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
from litwatch.records import Paper, Record, Trial
from litwatch.search import SearchFilters, rank_records
from litwatch.search.citation import Citation, paper_citation, ris_name
from litwatch.store.codec import load_record
from litwatch.store.read import chunked, labels_by_record, record_url
from litwatch.store.tables import RecordRow

FORMATS = ("csv", "json", "ris")
CSV_COLUMNS = ("source", "id", "pmid", "nct_ids", "title", "authors", "journal",
               "journal_abbrev", "year", "volume", "issue", "pages", "start_page", "end_page",
               "pub_date", "entry_date", "doi", "design", "phase", "status", "sample_size",
               "retracted", "indication", "route", "drug", "comparator", "url", "summary",
               "abstract")
# What each reference type's accession number and database are called.
_DATABASES = {"pubmed": "PubMed", "ctgov": "ClinicalTrials.gov"}
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


def _citation(row: RecordRow, record: Record) -> tuple[str, Citation, dict[str, object]]:
    """(kind, citation, identifiers) of a record: what differs between the sources."""
    if isinstance(record, Paper):
        return "paper", paper_citation(row.raw, list(record.authors)), {
            "pmid": record.pmid, "nct_ids": list(record.nct_ids),
            "journal_abbrev": record.journal_abbrev}
    if isinstance(record, Trial):
        return "trial", Citation(), {"pmid": None, "nct_ids": [record.nct_id],
                                     "journal_abbrev": ""}
    authors = [ris_name(a) for a in getattr(record, "authors", [])]
    return "feed", Citation(authors=authors), {
        "pmid": getattr(record, "pmid", None), "nct_ids": [], "journal_abbrev": ""}


def _item(row: RecordRow, labels: dict[str, list[str]]) -> ExportItem:
    record = load_record(row)
    kind, cite, ids = _citation(row, record)
    fields = {"source": row.source, "id": row.source_id, **ids, "title": row.title,
              "journal": row.journal, "year": row.year, "volume": cite.volume,
              "issue": cite.issue, "pages": cite.pages, "start_page": cite.start_page,
              "end_page": cite.end_page, "pub_date": row.pub_date,
              "entry_date": row.entry_date, "doi": row.doi, "design": row.design,
              "phase": row.phase, "status": row.status, "sample_size": row.sample_size,
              "retracted": bool(row.retracted), "url": record_url(row.source, row.source_id,
                                                                  row.data),
              "summary": row.summary, "abstract": row.abstract}
    return ExportItem(fields, labels, cite.authors, kind)


def iter_items(engine: Engine, ids: Sequence[int]) -> Iterator[ExportItem]:
    with Session(engine) as session:
        for chunk in chunked(ids):
            rows = {r.id: r for r in session.exec(
                select(RecordRow).where(col(RecordRow.id).in_(chunk)))}
            labels = labels_by_record(session, chunk)
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
                   nct_ids="; ".join(item.fields["nct_ids"]),
                   retracted="yes" if item.fields["retracted"] else "",
                   **{f: ";".join(item.labels.get(f, [])) for f in _LABEL_NAMES
                      if f != "design"})
        writer.writerow([_csv_cell(row.get(c)) for c in CSV_COLUMNS])
        count += 1
    return count


def _csv_cell(value: object) -> object:
    # One line per record: spreadsheets and EndNote's importer split on newlines even
    # inside quotes (abstract sections are joined with them).
    return "" if value is None else " ".join(value.split()) if isinstance(value, str) else value


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


def _ris_source(item: ExportItem) -> list[str]:
    """Where the work appeared: the journal (T2 full, JO/J2 abbreviated) and its
    volume, issue and pages, or for a trial the registry and the sponsor (PB)."""
    f = item.fields
    if item.kind == "trial":
        return [_ris_line("PB", f["journal"])]
    if item.kind == "feed":
        return []        # a feed's title ("ketamine OR esketamine") is no journal
    abbrev = f["journal_abbrev"] or f["journal"]
    return [_ris_line("T2", f["journal"]), _ris_line("JO", abbrev),
            _ris_line("J2", f["journal_abbrev"]), _ris_line("VL", f["volume"]),
            _ris_line("IS", f["issue"]), _ris_line("SP", f["start_page"]),
            _ris_line("EP", f["end_page"])]


def ris_entry(item: ExportItem) -> str:
    f = item.fields
    lines = [_ris_line("TY", "DBASE" if item.kind == "trial" else "JOUR"),
             _ris_line("TI", f["title"])]
    lines += [_ris_line("AU", a) for a in item.authors]
    lines += _ris_source(item)
    lines += [_ris_line("PY", f["year"] or ""), _ris_line("DA", _ris_date(f["pub_date"])),
              _ris_line("DO", f["doi"] or ""), _ris_line("UR", f["url"]),
              _ris_line("DB", _DATABASES.get(f["source"], "")),
              _ris_line("AN", f["id"] if f["source"] in _DATABASES else ""),
              _ris_line("AB", f["abstract"]), _ris_line("ID", f["id"])]
    if f["retracted"]:
        lines.append(_ris_line("N1", "RETRACTED publication"))
    for family, names in _LABEL_NAMES.items():
        lines += [_ris_line("KW", f"{family}: {names.get(v, v)}")
                  for v in item.labels.get(family, [])]
    lines.append("ER  - \n")
    return "".join(lines)


def _ris_date(pub_date: str | None) -> str:
    """RIS dates are YYYY/MM/DD; only full ISO dates convert ("2019 Jun" stays in PY)."""
    if pub_date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", pub_date):
        return pub_date.replace("-", "/")
    return ""


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
