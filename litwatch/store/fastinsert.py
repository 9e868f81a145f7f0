"""Many-row INSERTs straight to the driver's executemany, values as SQLAlchemy binds them.

A batch of 500 records writes ~6,000 rows (the record, its labels and sentences);
through `conn.execute(table.insert(), dicts)` SQLAlchemy builds a parameter set per
row in Python, which cost as much as SQLite's own work.  Here the statement is
built once per column list, each column's bind processor (how SQLAlchemy stores a
datetime or a boolean on this backend) is applied to the values, and the tuples go
to the DBAPI cursor's executemany.  What ends up in the rows is what the Core
insert would have written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table


def insert_many(conn: Connection, table: Table, rows: Sequence[dict[str, Any]],
                conflict: Sequence[str] = ()) -> None:
    """INSERT `rows` (dicts with the same keys); ON CONFLICT (conflict) DO NOTHING."""
    if not rows:
        return
    names = list(rows[0])
    dialect = conn.dialect
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join(mark for _ in names)})")
    if conflict:
        sql += f" ON CONFLICT ({', '.join(quote(c) for c in conflict)}) DO NOTHING"
    take = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    params = [take(row) for row in rows]
    processors = [(i, p) for i, name in enumerate(names)
                  if (p := table.c[name].type._cached_bind_processor(dialect)) is not None]
    if processors:
        params = [_processed(values, processors) for values in params]
    conn.exec_driver_sql(sql, params)


def _processed(values: tuple[Any, ...],
               processors: Sequence[tuple[int, Callable[[Any], Any]]]) -> tuple[Any, ...]:
    out = list(values)
    for i, process in processors:
        out[i] = process(out[i])
    return tuple(out)
