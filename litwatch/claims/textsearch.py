"""Which stored records mention a phrase: the store's full-text index, both dialects.

SQLite has an FTS5 table (porter stemming) over title and abstract; PostgreSQL a
weighted tsvector column.  Both stem, so "infusions" finds "infusion", and both
treat a quoted phrase as adjacent words.  Results are cached per query because
many claims share phrases ("24 hours", "relapse").
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, text

from litwatch.claims.model import TermQuery

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class TextIndex:
    """Record ids matching a TermQuery; one instance per check run."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = engine.dialect.name
        self._cache: dict[TermQuery, frozenset[int]] = {}

    def ids(self, query: TermQuery) -> frozenset[int]:
        if query not in self._cache:
            self._cache[query] = frozenset(self._run(query))
        return self._cache[query]

    def any_of(self, queries: tuple[TermQuery, ...]) -> dict[int, list[str]]:
        """record id -> the queries (as text) it matched."""
        hits: dict[int, list[str]] = {}
        for query in queries:
            for record_id in self.ids(query):
                hits.setdefault(record_id, []).append(str(query))
        return hits

    def _run(self, query: TermQuery) -> set[int]:
        if self.dialect == "postgresql":
            sql, params = _postgres_query(query)
        else:
            expr = _fts5_query(query)
            if not expr:
                return set()
            sql, params = "SELECT rowid FROM record_fts WHERE record_fts MATCH :q", {"q": expr}
        with self.engine.connect() as conn:
            return {row[0] for row in conn.execute(text(sql), params)}


def _words(phrase: str) -> list[str]:
    # Punctuation never reaches the query language: "50%" is the token 50, "i.v." is i v.
    return _WORD.findall(phrase.lower())


def _fts5_query(query: TermQuery) -> str:
    parts = []
    for phrase in query.phrases:
        words = _words(phrase)
        if not words:
            continue
        star = " *" if phrase.rstrip().endswith("*") else ""
        parts.append('"' + " ".join(words) + '"' + star)
    return " AND ".join(parts)


def _postgres_query(query: TermQuery) -> tuple[str, dict[str, str]]:
    clauses, params = [], {}
    for i, phrase in enumerate(query.phrases):
        words = _words(phrase)
        if not words:
            continue
        expr = " <-> ".join(words) + (":*" if phrase.rstrip().endswith("*") else "")
        clauses.append(f"search_vector @@ to_tsquery('english', :p{i})")
        params[f"p{i}"] = expr
    where = " AND ".join(clauses) or "FALSE"
    return f"SELECT id FROM record WHERE {where}", params
