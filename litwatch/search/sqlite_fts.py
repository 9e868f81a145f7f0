"""SQLite FTS5: bm25 ranking with the title weighted above the abstract, snippets.

Ranking and snippets are two queries: snippet() and highlight() are costly, and
asking for them in the ranking query would compute them for every match before
the LIMIT.  The MATCH expression comes from query.to_fts5 and is bound as a
parameter like every other value.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnClause, Connection, column, func, literal_column, select, table

from litwatch.search.filters import SearchFilters, filter_clauses, t_record
from litwatch.search.query import ParsedQuery, to_fts5
from litwatch.search.ranked import MARK_CLOSE, MARK_OPEN, Ranked

TITLE_WEIGHT = 10.0
ABSTRACT_WEIGHT = 1.0
SNIPPET_TOKENS = 24

fts = table("record_fts", column("rowid"))
fts_ref: ColumnClause[Any] = literal_column("record_fts")


def rank(conn: Connection, parsed: ParsedQuery, filters: SearchFilters,
         limit: int | None) -> list[Ranked]:
    """Best matches first (bm25 is lower for better matches; we report its negation)."""
    match = to_fts5(parsed)
    score = func.bm25(fts_ref, TITLE_WEIGHT, ABSTRACT_WEIGHT)
    stmt = select(fts.c.rowid, score).where(fts_ref.op("MATCH")(match))
    clauses = filter_clauses(filters)
    if clauses:
        # Filters as one id set, tested before bm25 is computed (3-5x faster than a
        # join at 100k records).  `rowid + 0` keeps SQLite from pushing the IN list
        # into FTS5, which would run one MATCH per allowed id.
        allowed = select(t_record.c.id).where(*clauses)
        stmt = stmt.where((fts.c.rowid + 0).in_(allowed))
    stmt = stmt.order_by(score, fts.c.rowid)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [Ranked(int(rowid), -float(bm25)) for rowid, bm25 in conn.execute(stmt)]


def match_ids(conn: Connection, parsed: ParsedQuery) -> set[int]:
    """Every matching rowid: no bm25, no order (set logic over many phrases)."""
    stmt = select(fts.c.rowid).where(fts_ref.op("MATCH")(to_fts5(parsed)))
    return {int(rowid) for (rowid,) in conn.execute(stmt)}


def add_snippets(conn: Connection, parsed: ParsedQuery, ranked: list[Ranked]) -> None:
    """Fill title_marked and snippet for the ranked rows, in place."""
    if not ranked:
        return
    by_id = {r.record_id: r for r in ranked}
    stmt = select(
        fts.c.rowid,
        func.highlight(fts_ref, 0, MARK_OPEN, MARK_CLOSE),
        func.snippet(fts_ref, 1, MARK_OPEN, MARK_CLOSE, "…", SNIPPET_TOKENS),
    ).where(fts_ref.op("MATCH")(to_fts5(parsed)), fts.c.rowid.in_(list(by_id)))
    for rowid, title, snippet in conn.execute(stmt):
        by_id[rowid].title_marked = title
        by_id[rowid].snippet = snippet
