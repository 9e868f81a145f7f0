"""PostgreSQL: the weighted tsvector column (title A, abstract B), ts_rank_cd, ts_headline.

Each parsed term becomes its own plainto_tsquery / phraseto_tsquery call on a
bound parameter, combined with the tsquery operators, so the user's text is
never parsed by to_tsquery's syntax.  Prefix terms go through to_tsquery, but
only with a single word of letters and digits plus ':*'.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from sqlalchemy import ColumnClause, ColumnElement, Connection, func, literal_column, select
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from litwatch.search.filters import SearchFilters, filter_clauses, t_record
from litwatch.search.query import ParsedQuery, Term
from litwatch.search.ranked import MARK_CLOSE, MARK_OPEN, Ranked

CONFIG = "english"
search_vector: ColumnClause[Any] = literal_column("record.search_vector")
# Weights for D, C, B (abstract), A (title): a title match counts ten abstract
# matches, as bm25(record_fts, 10.0, 1.0) does on SQLite.  A constant, not user text.
RANK_WEIGHTS: ColumnClause[Any] = literal_column("'{0.01, 0.02, 0.1, 1.0}'::float4[]")
_HEADLINE = (f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=30, MinWords=12, "
             "MaxFragments=2, FragmentDelimiter=\" … \"")
_TITLE_HEADLINE = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, HighlightAll=true"


def _term(term: Term) -> ColumnElement:
    if not term.prefix:
        fn = func.phraseto_tsquery if len(term.words) > 1 else func.plainto_tsquery
        return fn(CONFIG, term.text)
    last = func.to_tsquery(CONFIG, term.words[-1] + ":*")
    if len(term.words) == 1:
        return last
    return func.phraseto_tsquery(CONFIG, " ".join(term.words[:-1])).op("<->")(last)


def tsquery(parsed: ParsedQuery) -> ColumnElement:
    """The whole query as one tsquery expression: (a | b) & c & !!d."""
    clauses = [reduce(lambda a, b: a.op("||")(b), map(_term, clause))
               for clause in parsed.clauses]
    query = reduce(lambda a, b: a.op("&&")(b), clauses)
    for term in parsed.excluded:
        negated: UnaryExpression[Any] = UnaryExpression(
            _term(term), operator=operators.custom_op("!!"))
        query = query.op("&&")(negated)
    return query


def rank(conn: Connection, parsed: ParsedQuery, filters: SearchFilters,
         limit: int | None) -> list[Ranked]:
    query = tsquery(parsed)
    score = func.ts_rank_cd(RANK_WEIGHTS, search_vector, query)
    stmt = (select(t_record.c.id, score)
            .where(search_vector.op("@@")(query), *filter_clauses(filters))
            .order_by(score.desc(), t_record.c.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [Ranked(int(rid), float(value)) for rid, value in conn.execute(stmt)]


def match_ids(conn: Connection, parsed: ParsedQuery) -> set[int]:
    """Every matching id: no ts_rank_cd, no order (set logic over many phrases)."""
    stmt = select(t_record.c.id).where(search_vector.op("@@")(tsquery(parsed)))
    return {int(rid) for (rid,) in conn.execute(stmt)}


def add_snippets(conn: Connection, parsed: ParsedQuery, ranked: list[Ranked]) -> None:
    """ts_headline re-parses the documents, so only the ranked page gets one."""
    if not ranked:
        return
    by_id = {r.record_id: r for r in ranked}
    query = tsquery(parsed)
    stmt = select(
        t_record.c.id,
        func.ts_headline(CONFIG, t_record.c.title, query, _TITLE_HEADLINE),
        func.ts_headline(CONFIG, t_record.c.abstract, query, _HEADLINE),
    ).where(t_record.c.id.in_(list(by_id)))
    for rid, title, snippet in conn.execute(stmt):
        by_id[rid].title_marked = title
        by_id[rid].snippet = snippet
