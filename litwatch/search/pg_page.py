"""PostgreSQL: a page of search hits and the index's freshness check in one statement.

Each round trip to the server costs a millisecond or more on a busy machine, and a
search used six: the pool's ping, BEGIN, the index's catch-up check, the page's
rows, their labels, ROLLBACK.  Here the page is ranked by the index as it stands
and one statement, outside a transaction, returns the store's change status
(litwatch.store.changes.behind's three answers) beside the page's rows, each with
its labels as a JSON array: the ping and that statement are all.  When the status
says the index had not seen everything, the caller throws the page away and
searches as usual (catch up first, then rank): the answer is only ever given by
an index proven current in the same snapshot that loaded its rows.

The position is written into the statement as two integers (read from the index's
own state file, never from a user): a statement with parameters would be
prepared by psycopg after five runs, and PostgreSQL's generic plan for "is there
a row with change_seq > $1" scans the whole table (150 ms at 100,000 records).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, text

from litwatch.search.hits import HIT_COLUMNS, distinct_labels
from litwatch.search.index_state import IndexState
from litwatch.store.changes import StoreStatus

_STATEMENT = (
    "SELECT status.*, page.* FROM (SELECT "
    "(SELECT max(change_seq) FROM record) AS latest, "
    "EXISTS (SELECT 1 FROM record WHERE change_seq > {seq}) OR EXISTS (SELECT 1 FROM record "
    "WHERE change_seq = {seq} AND id > {last_id}) AS newer, "
    "first.id AS first_id, first.source AS first_source, "
    "first.source_id AS first_source_id, first.first_seen AS first_seen "
    "FROM (SELECT 1 AS one) AS probe LEFT JOIN (SELECT id, source, source_id, first_seen "
    "FROM record ORDER BY id LIMIT 1) AS first ON true) AS status "
    "LEFT JOIN (SELECT {columns}, CASE WHEN source = 'feed' THEN data END AS data, abstract, "
    "(SELECT json_agg(json_build_array(label.family, label.value) ORDER BY label.id) "
    "FROM label WHERE label.record_id = record.id) AS labels "
    "FROM record WHERE id = ANY(:ids)) AS page ON true")


def load_page(conn: Connection, state: IndexState, ids: Sequence[int]
              ) -> tuple[StoreStatus, dict[int, Row[Any]], dict[int, dict[str, list[str]]]]:
    """The store's status against `state`, the rows of `ids` by id, and their labels
    (family -> distinct values, first stored first, as labels_by_record)."""
    sql = _STATEMENT.format(seq=int(state.seq), last_id=int(state.last_id),
                            columns=", ".join(HIT_COLUMNS))
    # One array parameter, not an IN list of one parameter per id: half the time.
    result = conn.execute(text(sql), {"ids": list(ids)}).all()
    first = result[0]
    store = "" if first.first_id is None else "|".join(
        str(v) for v in (first.first_id, first.first_source, first.first_source_id,
                         first.first_seen))
    status = StoreStatus(int(first.latest or 0), bool(first.newer), store)
    rows = {row.id: row for row in result if row.id is not None}
    return status, rows, {rid: distinct_labels(row.labels) for rid, row in rows.items()
                          if row.labels}
