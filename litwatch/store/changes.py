"""The record change sequence: every write of a record row gets a stamp, in commit order.

A derived index (litwatch.search.index) keeps the highest stamp it has applied and
catches up from `change_seq > last_applied`.  That only works if a stamp is never
committed after a higher one, or a reader could move past it and miss the row for
good.  So one stamp is taken per writing transaction, as its last statement, while
holding a lock that only the commit releases:

- SQLite: the writing transaction already holds the database's single write lock,
  so `max(change_seq) + 1` (read through ix_record_change_seq) is safe.
- PostgreSQL: writers from several machines commit concurrently, and a sequence
  alone hands out numbers in call order, not commit order.  An advisory transaction
  lock serialises the stamping step (held only from the stamp to the commit), so a
  transaction that can see stamp N can also see every stamp below it.

Rows of one transaction share its stamp; readers page by (change_seq, id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, text

# Any constant unlike the migrations' lock key (litwatch.store.migrations).
_PG_STAMP_LOCK = 727275
# Ids per IN list (as litwatch.store.read.IN_LIST_SIZE; not imported from there, which
# would load the SQLModel tables into every search process).
_IN_LIST = 500


def next_stamp(conn: Connection) -> int:
    """The stamp of this transaction's writes; call it last, right before the commit."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_STAMP_LOCK})
        return int(conn.execute(text("SELECT nextval('record_change_seq')")).scalar_one())
    latest = conn.execute(text("SELECT max(change_seq) FROM record")).scalar()
    return int(latest or 0) + 1


def stamp_rows(conn: Connection, record_ids: Iterable[int]) -> int | None:
    """Stamp these rows as changed by this transaction; the stamp, None for no rows."""
    ids = sorted(set(record_ids))
    if not ids:
        return None
    stamp = next_stamp(conn)
    update = text("UPDATE record SET change_seq = :s WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True))
    for start in range(0, len(ids), _IN_LIST):
        conn.execute(update, {"s": stamp, "ids": ids[start:start + _IN_LIST]})
    return stamp


def latest_stamp(conn: Connection) -> int:
    """The highest stamp committed (0 for an empty store)."""
    return int(conn.execute(text("SELECT max(change_seq) FROM record")).scalar() or 0)


# --------------------------------------------------------------------------- reading

# Two index seeks rather than one row-value comparison `(change_seq, id) > (s, i)`,
# which SQLite 3.40 turns into a scan of every row of stamp s (all rows, right
# after the migration stamped them 1).
_COLUMNS = "id, change_seq, source, title, abstract, phase, status, entry_date"
_SAME_STAMP = text(f"SELECT {_COLUMNS} FROM record WHERE change_seq = :seq AND id > :id "
                   "ORDER BY id LIMIT :n")
_LATER_STAMPS = text(f"SELECT {_COLUMNS} FROM record WHERE change_seq > :seq "
                     "ORDER BY change_seq, id LIMIT :n")
_LABELS = text("SELECT record_id, family, value FROM label WHERE record_id IN :ids "
               "AND family IN :families ORDER BY id").bindparams(
    bindparam("ids", expanding=True), bindparam("families", expanding=True))


def changed_since(conn: Connection, position: tuple[int, int], limit: int
                  ) -> list[dict[str, Any]]:
    """Rows written after `position` (stamp, id), in stamp then id order."""
    seq, last_id = position
    params = {"seq": seq, "id": last_id, "n": limit}
    rows = [dict(row._mapping) for row in conn.execute(_SAME_STAMP, params)]
    if len(rows) < limit:
        params["n"] = limit - len(rows)
        rows += [dict(row._mapping) for row in conn.execute(_LATER_STAMPS, params)]
    return rows


def labels_of(conn: Connection, record_ids: list[int], families: Iterable[str]
              ) -> dict[int, dict[str, list[str]]]:
    """record id -> family -> values (stored order) for the given families."""
    out: dict[int, dict[str, list[str]]] = {}
    wanted = list(families)
    for start in range(0, len(record_ids), _IN_LIST):
        chunk = record_ids[start:start + _IN_LIST]
        for rid, family, value in conn.execute(_LABELS, {"ids": chunk, "families": wanted}):
            out.setdefault(rid, {}).setdefault(family, []).append(value)
    return out


def store_fingerprint(conn: Connection) -> str:
    """Tells one store from another made later at the same place: its first record."""
    row = conn.execute(text("SELECT id, source, source_id, first_seen FROM record "
                            "ORDER BY id LIMIT 1")).first()
    return "" if row is None else "|".join(str(v) for v in row)


# One round trip (PostgreSQL answers each in a millisecond or more): the highest stamp,
# whether anything was written after a position, and the store's fingerprint (its
# first record) in one statement, all through indexes.
# The position is written into the statement, not bound: psycopg prepares a statement
# after five runs on a connection, and PostgreSQL's generic plan for "change_seq > $1"
# is a sequential scan (150-250 ms at 100k records, instead of an index probe).  The
# two values are integers from the index's own state file.
_STATUS = (
    "SELECT (SELECT max(change_seq) FROM record) AS latest, "
    "EXISTS (SELECT 1 FROM record WHERE change_seq > {seq:d}) "
    "OR EXISTS (SELECT 1 FROM record WHERE change_seq = {seq:d} AND id > {id:d}) AS newer, "
    "first.id, first.source, first.source_id, first.first_seen "
    "FROM (SELECT 1 AS one) AS probe LEFT JOIN (SELECT id, source, source_id, first_seen "
    "FROM record ORDER BY id LIMIT 1) AS first ON 1 = 1")


@dataclass
class StoreStatus:
    latest: int          # highest stamp (0 for an empty store)
    newer: bool          # rows were written after the position asked about
    store: str           # store_fingerprint()


def behind(conn: Connection, position: tuple[int, int]) -> StoreStatus:
    """How the store stands against an index at `position` (stamp, id): one cheap query,
    run before every indexed search."""
    seq, last_id = int(position[0]), int(position[1])
    row = conn.execute(text(_STATUS.format(seq=seq, id=last_id))).one()
    first = (row.id, row.source, row.source_id, row.first_seen)
    return StoreStatus(int(row.latest or 0), bool(row.newer),
                       "" if row.id is None else "|".join(str(v) for v in first))
