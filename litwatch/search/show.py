"""`litwatch show`: one record with everything the store knows about it.

The record, its labels with the evidence for each (field and matched phrase),
its links to papers or trials (with the kind of link and, when stored, the
other record's title), correction flags, and for trials the change history.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine, func, or_
from sqlmodel import Session, col, select

from litwatch import vocab
from litwatch.records import FeedItem, Paper, Trial
from litwatch.store.codec import load_record
from litwatch.store.read import label_rows, record_url
from litwatch.store.tables import FlagRow, LinkRow, RecordRow, TrialChangeRow

_NCT = re.compile(r"^NCT\d{8}$", re.I)
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.I)
_SOURCE_PREFIX = re.compile(r"^(pubmed|pmid|ctgov|nct|feed):\s*(.+)$", re.I)
_LABEL_NAMES = {"indication": vocab.INDICATIONS, "route": vocab.ROUTES,
                "design": vocab.DESIGNS, "drug": vocab.DRUGS, "comparator": vocab.COMPARATORS}


@dataclass
class RecordDetail:
    record: dict
    labels: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _by_source_id(session: Session, source: str, source_id: str) -> RecordRow | None:
    return session.exec(select(RecordRow).where(RecordRow.source == source,
                                                RecordRow.source_id == source_id)).first()


def _by_doi(session: Session, doi: str) -> RecordRow | None:
    rows = session.exec(select(RecordRow).where(
        func.lower(RecordRow.doi) == doi.lower())).all()
    order = {"pubmed": 0, "ctgov": 1, "feed": 2}
    return min(rows, key=lambda r: (order.get(r.source, 3), r.id)) if rows else None


def _lookup(session: Session, ident: str) -> RecordRow | None:
    prefixed = _SOURCE_PREFIX.match(ident)
    if prefixed:
        source, value = prefixed.group(1).lower(), prefixed.group(2).strip()
        if source in ("pubmed", "pmid"):
            # "pubmed:NNN" is also the guid of a PubMed RSS item not yet merged.
            return (_by_source_id(session, "pubmed", value)
                    or _by_source_id(session, "feed", f"pubmed:{value}"))
        if source in ("ctgov", "nct"):
            nct = value.upper() if value.upper().startswith("NCT") else f"NCT{value}"
            return _by_source_id(session, "ctgov", nct)
        return _by_source_id(session, "feed", value)
    if _NCT.match(ident):
        return _by_source_id(session, "ctgov", ident.upper())
    if ident.isdigit():
        return (_by_source_id(session, "pubmed", ident)
                or _by_source_id(session, "feed", f"pubmed:{ident}"))
    doi = _DOI_PREFIX.sub("", ident)
    if doi.startswith("10."):
        return _by_doi(session, doi)
    return session.exec(select(RecordRow).where(RecordRow.source_id == ident)).first()


def find_record(engine: Engine, ident: str) -> RecordRow | None:
    """A record by PMID, NCT id, DOI (bare, doi: or doi.org URL) or source:id."""
    ident = ident.strip()
    if not ident:
        return None
    with Session(engine) as session:
        row = _lookup(session, ident)
        if row is not None:
            session.expunge(row)
        return row


def _record_fields(row: RecordRow) -> dict:
    record = load_record(row)
    out: dict[str, Any] = {
        "source": row.source, "id": row.source_id, "title": row.title,
        "url": record_url(row.source, row.source_id, row.data), "journal": row.journal,
        "year": row.year, "pub_date": row.pub_date, "entry_date": row.entry_date,
        "source_modified": row.source_modified, "doi": row.doi, "design": row.design,
        "phase": row.phase, "status": row.status, "sample_size": row.sample_size,
        "retracted": bool(row.retracted), "summary": row.summary}
    if isinstance(record, Paper):
        out.update(authors=record.authors, abstract=record.abstract,
                   publication_types=record.publication_types, mesh=record.mesh,
                   indexing_status=record.status)
    elif isinstance(record, Trial):
        out.update(official_title=record.official_title, sponsor=record.sponsor,
                   conditions=record.conditions, phases=record.phases,
                   interventions=[i.name for i in record.interventions],
                   enrollment=record.enrollment, why_stopped=record.why_stopped,
                   start_date=record.start_date, completion_date=record.completion_date,
                   has_results=record.has_results, abstract=record.brief_summary)
    elif isinstance(record, FeedItem):
        out.update(authors=record.authors, abstract=record.summary, feed=record.feed_name,
                   pmid=record.pmid)
    return out


def _links(session: Session, row: RecordRow, pmid: str | None) -> list[dict]:
    if row.source == "ctgov":
        rows = session.exec(select(LinkRow).where(LinkRow.nct_id == row.source_id)).all()
        other = [("pubmed", link.pmid, link) for link in rows]
    elif pmid:
        rows = session.exec(select(LinkRow).where(LinkRow.pmid == pmid)).all()
        other = [("ctgov", link.nct_id, link) for link in rows]
    else:
        return []
    ids = sorted({oid for _, oid, _ in other})
    stored = {r.source_id: r.title for r in session.exec(select(RecordRow).where(
        RecordRow.source == other[0][0], col(RecordRow.source_id).in_(ids)))} if ids else {}
    return [{"source": source, "id": oid, "kind": link.kind, "found_in": link.found_in,
             "title": stored.get(oid), "in_store": oid in stored,
             "url": record_url(source, oid)}
            for source, oid, link in sorted(other, key=lambda o: (o[1], o[2].kind))]


def record_detail(engine: Engine, row: RecordRow) -> RecordDetail:
    """Everything `show` prints about a record, as plain data."""
    if row.id is None:
        raise ValueError("record_detail needs a stored record (one with an id)")
    record_id = row.id
    fields = _record_fields(row)
    pmid = row.source_id if row.source == "pubmed" else fields.get("pmid")
    with Session(engine) as session:
        labels = label_rows(session, [record_id]).get(record_id, [])
        flags = session.exec(select(FlagRow).where(FlagRow.record_id == record_id)
                             .order_by(col(FlagRow.id))).all()
        changes = session.exec(select(TrialChangeRow).where(
            or_(col(TrialChangeRow.record_id) == record_id,
                col(TrialChangeRow.nct_id) == row.source_id))
            .order_by(col(TrialChangeRow.detected_at), col(TrialChangeRow.id))).all()
        return RecordDetail(
            record=fields,
            labels=[{"family": lab.family, "value": lab.value,
                     "name": _LABEL_NAMES.get(lab.family, {}).get(lab.value, lab.value),
                     "field": lab.field, "evidence": lab.evidence} for lab in labels],
            links=_links(session, row, pmid),
            flags=[{"kind": f.kind, "ref_pmid": f.ref_pmid, "evidence": f.evidence}
                   for f in flags],
            changes=[{"field": c.field, "before": c.before, "after": c.after,
                      "source_date": c.source_date, "detected_at": c.detected_at.isoformat()}
                     for c in changes if row.source == "ctgov"])


def write_detail_json(detail: RecordDetail, stream: IO[str]) -> None:
    json.dump(detail.to_dict(), stream, ensure_ascii=False, indent=2, default=str)
    stream.write("\n")


def _facts(rec: dict) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    names = {"design": vocab.DESIGNS}
    for key in ("source", "id", "url", "journal", "sponsor", "pub_date", "entry_date",
                "source_modified", "doi", "design", "phase", "status", "why_stopped",
                "sample_size", "enrollment", "conditions", "interventions",
                "publication_types"):
        value = rec.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = "; ".join(map(str, value))
        grid.add_row(key.replace("_", " "), str(names.get(key, {}).get(value, value)))
    authors = rec.get("authors") or []
    if authors:
        grid.add_row("authors", ", ".join(authors[:6]) + (" et al." if len(authors) > 6 else ""))
    return grid


def _table(title: str, columns: list[str], rows: list[list[str]]) -> Table:
    table = Table(title=title, title_justify="left", expand=True, show_lines=False)
    for name in columns:
        table.add_column(name, overflow="fold")
    for values in rows:
        table.add_row(*[Text(v or "") for v in values])
    return table


def render_detail(detail: RecordDetail, console: Console) -> None:
    rec = detail.record
    title = Text(rec["title"] or "(no title)", style="bold")
    if rec["retracted"]:
        title = Text("RETRACTED  ", style="bold white on red") + title
    parts: list = [title, _facts(rec)]
    if rec.get("summary"):
        parts += [Text("\nsummary", style="bold"), Text(rec["summary"])]
    if rec.get("abstract"):
        parts += [Text("\nabstract", style="bold"), Text(rec["abstract"])]
    console.print(Panel(Group(*parts), title=f"{rec['source']}:{rec['id']}", expand=True))
    sections = [
        ("labels (with evidence)", ["family", "label", "found in", "evidence"],
         [[d["family"], d["name"], d["field"], d["evidence"]] for d in detail.labels]),
        ("links", ["record", "kind", "found in", "title"],
         [[d["id"], d["kind"], d["found_in"], d["title"] or "(not in store)"]
          for d in detail.links]),
        ("flags", ["flag", "notice PMID", "evidence"],
         [[d["kind"], d["ref_pmid"], d["evidence"]] for d in detail.flags]),
        ("trial changes", ["detected", "posted", "field", "before", "after"],
         [[d["detected_at"][:10], d["source_date"] or "", d["field"], d["before"], d["after"]]
          for d in detail.changes]),
    ]
    for title_, columns, rows in sections:
        if rows:
            console.print(_table(title_, columns, rows))
        else:
            console.print(Text(f"{title_}: none", style="dim"))
