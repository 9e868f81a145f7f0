"""Rows derived from a stored record: labels, paper-trial links, correction flags.

Rebuilt in bulk whenever a record is new or changed (store.upsert_batch) and by
`litwatch reclassify`.  Publication-gap flags are not touched here: they depend on
the whole store and are recomputed by litwatch.sync.gaps after each sync.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete
from sqlalchemy.dialects import postgresql, sqlite

from litwatch.classify import links as linking
from litwatch.classify.labels import Classification
from litwatch.records import Record
from litwatch.store.tables import FlagRow, LabelRow, LinkRow


def dialect_insert(conn: Connection, table: Any) -> Any:
    """INSERT with ON CONFLICT support on both backends."""
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def replace_derived(conn: Connection, changed: list[tuple[int, Any]]) -> None:
    """Labels, links and flags of new and updated records (id, store.Incoming), in bulk."""
    if not changed:
        return
    ids = [record_id for record_id, _ in changed]
    conn.execute(delete(LabelRow).where(LabelRow.record_id.in_(ids)))
    conn.execute(delete(FlagRow).where(FlagRow.record_id.in_(ids),
                                       FlagRow.kind != "publication_gap"))
    labels, links, flags = [], [], []
    for record_id, item in changed:
        labels += _label_rows(record_id, item.classification)
        links += [vars(spec) for spec in linking.links_for(item.record)]
        flags += [{"record_id": record_id, "kind": f.kind, "ref_pmid": f.ref_pmid,
                   "evidence": f.evidence} for f in linking.flags_for(item.record)]
    _bulk_insert(conn, labels, links, flags)


def _label_rows(record_id: int, cls: Classification) -> list[dict[str, Any]]:
    return [{"record_id": record_id, "family": label.family, "value": label.value,
             "field": label.field, "evidence": label.evidence[:500]} for label in cls.labels]


def _bulk_insert(conn: Connection, labels: list, links: list, flags: list) -> None:
    if labels:
        conn.execute(LabelRow.__table__.insert(), labels)
    if links:
        conn.execute(dialect_insert(conn, LinkRow.__table__).on_conflict_do_nothing(
            index_elements=["pmid", "nct_id", "kind"]), links)
    if flags:
        conn.execute(dialect_insert(conn, FlagRow.__table__).on_conflict_do_nothing(
            index_elements=["record_id", "kind", "ref_pmid"]), flags)


def replace_labels(conn: Connection, record_id: int, cls: Classification) -> None:
    """Used by reclassify: one record's labels, links and flags rebuilt."""
    conn.execute(delete(LabelRow).where(LabelRow.record_id == record_id))
    if cls.labels:
        conn.execute(LabelRow.__table__.insert(), _label_rows(record_id, cls))


def store_links_and_flags(conn: Connection, record_id: int, record: Record) -> None:
    conn.execute(delete(FlagRow).where(FlagRow.record_id == record_id,
                                       FlagRow.kind != "publication_gap"))
    _bulk_insert(conn, [], [vars(spec) for spec in linking.links_for(record)],
                 [{"record_id": record_id, "kind": f.kind, "ref_pmid": f.ref_pmid,
                   "evidence": f.evidence} for f in linking.flags_for(record)])
