"""The one read API over stored records: web URL, labels by record, IN-list chunks.

Search, show, export, the digest and the claims check all read the same rows;
each of these answers is given here once, so that a record links to the same
place and carries the same labels wherever it is shown.

URLs are built in litwatch.store.urls (no SQLAlchemy) and re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Row, column, select, table

from litwatch.store.urls import (  # noqa: F401  (the read API's URL answers, re-exported)
    ctgov_url,
    doi_url,
    pubmed_url,
    record_url,
    source_url,
    web_url,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")

# Ids per IN (...) list: under SQLite's bound-parameter limit on old builds (999)
# with room for the query's other parameters, and fast on PostgreSQL too.
IN_LIST_SIZE = 500

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
