"""Rows that hang off a record: labels, paper-trial links, correction flags, sentences.

Replaced in bulk whenever a record is new, changed or re-derived.  The rows arrive
finished from the ingest pipeline.  Publication-gap flags are not touched here:
they depend on the whole store and are recomputed after each sync.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from litwatch.store.fastinsert import insert_many
from litwatch.store.tables import FLAG_KEY, FlagRow, LabelRow, LinkRow, SentenceRow, table_of


def dialect_insert(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """INSERT with ON CONFLICT support on both backends."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def replace_derived(conn: Connection, changed: list[tuple[int, Any]]) -> None:
    """Labels, links, flags (and sentences) of (record id, PreparedRecord) pairs."""
    if not changed:
        return
    ids = [record_id for record_id, _ in changed]
    conn.execute(delete(LabelRow).where(col(LabelRow.record_id).in_(ids)))
    conn.execute(delete(SentenceRow).where(col(SentenceRow.record_id).in_(ids)))
    conn.execute(delete(FlagRow).where(col(FlagRow.record_id).in_(ids),
                                       col(FlagRow.kind) != "publication_gap"))
    labels, links, flags, sentences = [], [], [], []
    for record_id, item in changed:
        labels += [{**label, "record_id": record_id} for label in item.labels]
        links += item.links
        flags += [{**flag, "record_id": record_id} for flag in item.flags]
        sentences += [{**row, "record_id": record_id} for row in item.sentences]
    insert_many(conn, table_of(LabelRow), labels)           # the bulk of a batch's rows
    insert_many(conn, table_of(SentenceRow), sentences)
    if links:
        conn.execute(dialect_insert(conn, table_of(LinkRow)).on_conflict_do_nothing(
            index_elements=["pmid", "nct_id", "kind"]), links)
    if flags:
        conn.execute(dialect_insert(conn, table_of(FlagRow)).on_conflict_do_nothing(
            index_elements=list(FLAG_KEY)), flags)
