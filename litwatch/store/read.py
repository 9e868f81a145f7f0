"""The one read API over stored records: web URL, labels by record, IN-list chunks.

Search, show, export, the digest and the claims check all read the same rows;
each of these answers is given here once, so that a record links to the same
place and carries the same labels wherever it is shown.

URLs: identifiers come from outside (feeds especially), so every URL is built
from a validated identifier or checked to be plain http(s): a `javascript:`
link in a hostile feed must never become a clickable link in the digest, an
export or a claims page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urlsplit

from sqlalchemy import Connection, Row, column, select, table

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")

# Ids per IN (...) list: under SQLite's bound-parameter limit on old builds (999)
# with room for the query's other parameters, and fast on PostgreSQL too.
IN_LIST_SIZE = 500

_PMID = re.compile(r"^\d{1,10}$")
_NCT = re.compile(r"^NCT\d{8}$")

# The record and label tables as plain SQL names, for the read path: the SQLModel
# classes (litwatch.store.tables) cost a search process a quarter of a second of
# imports (pydantic) for nothing a SELECT needs.  tests/test_store.py checks every
# column here against the model.  A statement must not mix these with the models'
# tables (two FROM entries named record).
RECORD = table("record", *(column(name) for name in (
    "id", "source", "source_id", "title", "abstract", "journal", "year", "doi", "pub_date",
    "entry_date", "source_modified", "design", "phase", "status", "sample_size", "summary",
    "retracted", "data", "matched_queries", "change_seq")))
LABEL = table("label", *(column(name) for name in (
    "id", "record_id", "family", "value", "field", "evidence", "sentence_idx")))
_LABELS = LABEL


def chunked(values: Iterable[T], size: int = IN_LIST_SIZE) -> Iterator[list[T]]:
    """`values` in lists of at most `size`, in order: one IN (...) query each."""
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def as_utc(moment: datetime) -> datetime:
    """A stored datetime made aware: SQLite hands them back naive; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- URLs


def pubmed_url(pmid: str | None) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid and _PMID.match(pmid) else None


def ctgov_url(nct_id: str | None) -> str | None:
    return f"https://clinicaltrials.gov/study/{nct_id}" if nct_id and _NCT.match(nct_id) else None


def doi_url(doi: str | None) -> str | None:
    if not doi or not doi.startswith("10."):
        return None
    return "https://doi.org/" + quote(doi.strip(), safe="/:;()._-")


def web_url(url: str | None) -> str | None:
    """An http(s) URL as given, anything else (javascript:, data:, relative) dropped."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def source_url(source: str, source_id: str) -> str | None:
    """The page of a PubMed or ClinicalTrials.gov id (links name no feed items)."""
    return pubmed_url(source_id) if source == "pubmed" else ctgov_url(source_id)


def record_url(source: str, source_id: str, data: str | Mapping[str, Any] | None = None
               ) -> str:
    """Where a stored record lives on the web, "" when nowhere safe is known.

    PubMed for papers, the registry for trials; a feed item links to PubMed when
    it names a PMID, else its DOI, else its own link.  `data` is the row's `data`
    column (JSON text) or that JSON already parsed.
    """
    fields = _fields(data)
    if source == "pubmed":
        url = pubmed_url(source_id) or doi_url(fields.get("doi"))
    elif source == "ctgov":
        url = ctgov_url(source_id)
    else:
        url = (pubmed_url(_text(fields.get("pmid"))) or doi_url(fields.get("doi"))
               or web_url(fields.get("link")))
    return url or ""


def _fields(data: str | Mapping[str, Any] | None) -> Mapping[str, Any]:
    if isinstance(data, Mapping):
        return data
    try:
        parsed = json.loads(data or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _text(value: object) -> str | None:
    # A PMID may have been stored as a number by an older parser.
    return str(value) if value not in (None, "") else None


# --------------------------------------------------------------------------- labels


def label_rows(conn: Connection | Session, record_ids: Iterable[int]
               ) -> dict[int, list[Row[Any]]]:
    """record id -> its label rows (family, value, field, evidence), in stored order."""
    columns = (_LABELS.c.record_id, _LABELS.c.family, _LABELS.c.value, _LABELS.c.field,
               _LABELS.c.evidence)
    out: dict[int, list[Row[Any]]] = {}
    for chunk in chunked(record_ids):
        stmt = select(*columns).where(_LABELS.c.record_id.in_(chunk)).order_by(_LABELS.c.id)
        for row in conn.execute(stmt):
            out.setdefault(row.record_id, []).append(row)  # type: ignore[arg-type]
    return out


def labels_by_record(conn: Connection | Session, record_ids: Iterable[int],
                     skip_values: Iterable[str] = ()) -> dict[int, dict[str, list[str]]]:
    """record id -> family -> distinct values, first stored first.

    Records without labels are absent.  `skip_values` leaves out placeholders
    such as "not_stated" for callers that treat them as no label at all.
    """
    skip = set(skip_values)
    out: dict[int, dict[str, list[str]]] = {}
    for record_id, rows in label_rows(conn, record_ids).items():
        families = out.setdefault(record_id, {})
        for row in rows:
            values = families.setdefault(row.family, [])
            if row.value not in values and row.value not in skip:
                values.append(row.value)
    return out
