"""Rows that hang off a record: labels, paper-trial links, correction flags, sentences.

Replaced in bulk whenever a record is new, changed or re-derived.  The rows arrive
finished from the ingest pipeline.  Publication-gap flags are not touched here:
they depend on the whole store and are recomputed after each sync.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete
from sqlalchemy.dialects import postgresql, sqlite

from litwatch.store.fastinsert import insert_many
from litwatch.store.tables import FlagRow, LabelRow, LinkRow, SentenceRow


def dialect_insert(conn: Connection, table: Any) -> Any:
    """INSERT with ON CONFLICT support on both backends."""
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def replace_derived(conn: Connection, changed: list[tuple[int, Any]]) -> None:
    """Labels, links, flags (and sentences) of (record id, PreparedRecord) pairs."""
    if not changed:
        return
    ids = [record_id for record_id, _ in changed]
    conn.execute(delete(LabelRow).where(LabelRow.record_id.in_(ids)))
    conn.execute(delete(SentenceRow).where(SentenceRow.record_id.in_(ids)))
    conn.execute(delete(FlagRow).where(FlagRow.record_id.in_(ids),
                                       FlagRow.kind != "publication_gap"))
    labels, links, flags, sentences = [], [], [], []
    for record_id, item in changed:
        labels += [{**label, "record_id": record_id} for label in item.labels]
        links += item.links
        flags += [{**flag, "record_id": record_id} for flag in item.flags]
        sentences += [{**row, "record_id": record_id} for row in item.sentences]
    insert_many(conn, LabelRow.__table__, labels)           # the bulk of a batch's rows
    insert_many(conn, SentenceRow.__table__, sentences)
    if links:
        conn.execute(dialect_insert(conn, LinkRow.__table__).on_conflict_do_nothing(
            index_elements=["pmid", "nct_id", "kind"]), links)
    if flags:
        conn.execute(dialect_insert(conn, FlagRow.__table__).on_conflict_do_nothing(
            index_elements=["record_id", "kind", "ref_pmid"]), flags)
