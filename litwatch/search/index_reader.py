"""Searching a tantivy search index: ranking, listing by date, matching ids.

Apart from SearchIndex (litwatch.search.index), which also keeps the index up to
date from the store and so needs the database, so that the fast search path
(litwatch.search.fast) can search an index that is known to be current without
loading SQLAlchemy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tantivy

from litwatch.search.filters import SearchFilters
from litwatch.search.index_query import QueryBuilder
from litwatch.search.index_schema import ANALYZER, analyzer, build_schema
from litwatch.search.query import ParsedQuery
from litwatch.search.ranked import Ranked

TIE_MARGIN = 64           # hits read beyond a page, to see where its last score's tie ends


class IndexReader:
    """Searches `self.index` (a tantivy index of build_schema())."""

    schema: tantivy.Schema
    index: tantivy.Index

    def _search(self, query: tantivy.Query, limit: int | None,
                order_by_field: str | None = None,
                order: tantivy.Order = tantivy.Order.Desc) -> list[tuple[Any, int]]:
        """(key, record id) of the best `limit` hits (all when None); the key is the
        score, or the value of `order_by_field` when ordering by a field."""
        searcher = self.index.searcher()
        wanted = searcher.num_docs if limit is None else limit
        if wanted <= 0:
            return []
        hits = searcher.search(query, limit=wanted, count=False,
                               order_by_field=order_by_field, order=order).hits
        ids = searcher.fast_field_values("id", [address for _, address in hits])
        return [(key, _record_id(rid)) for (key, _), rid in zip(hits, ids, strict=True)]

    def _scored(self, query: tantivy.Query, limit: int | None) -> list[tuple[float, int]]:
        return [(float(score), rid) for score, rid in self._search(query, limit)]

    def rank(self, parsed: ParsedQuery, filters: SearchFilters,
             limit: int | None) -> list[Ranked]:
        """Best matches first, equal scores in id order (as the FTS5 backend orders them),
        whatever the index's segment layout: a page cut inside a group of equal scores
        reads the whole group first."""
        searcher = self.index.searcher()
        query = QueryBuilder(self.schema, searcher).combined(parsed, filters)
        if limit is None:
            hits = self._scored(query, None)
        else:
            hits = self._through_tie(query, limit, searcher.num_docs)
        ranked = sorted(hits, key=lambda hit: (-hit[0], hit[1]))[:limit]
        return [Ranked(rid, score) for score, rid in ranked]

    def _through_tie(self, query: tantivy.Query, limit: int,
                     num_docs: int) -> list[tuple[float, int]]:
        """At least the best `limit` hits, and every hit tied with the last of them."""
        # Asking for a few more than the page costs about the same as the page (the
        # cost is in scoring the candidates), and usually reads past any tie at the cut.
        wanted = min(limit + TIE_MARGIN, num_docs)
        while True:
            hits = self._scored(query, wanted)
            if len(hits) < wanted or len(hits) <= limit or hits[-1][0] < hits[limit - 1][0]:
                return hits                             # every match, or past the tie
            wanted = min(2 * wanted, num_docs + 1)

    def by_date(self, filters: SearchFilters, limit: int | None) -> list[Ranked]:
        """Newest entry first (no date last), then highest id: the SQL listing's order."""
        builder = QueryBuilder(self.schema, self.index.searcher())
        hits = self._search(builder.combined(None, filters), limit,
                            order_by_field="sort_key", order=tantivy.Order.Desc)
        return [Ranked(rid) for _, rid in hits]

    def match_ids(self, parsed: ParsedQuery) -> set[int]:
        builder = QueryBuilder(self.schema, self.index.searcher())
        return {rid for _, rid in self._search(builder.text(parsed), None)}




def open_reader(folder: Path) -> IndexReader:
    """An existing index folder, opened for reading only (nothing is created or wiped:
    the caller has checked that the folder holds a current index)."""
    reader = IndexReader()
    reader.schema = build_schema()
    # As SearchIndex opens it; raises ValueError for an index of another schema.
    reader.index = tantivy.Index(reader.schema, path=str(folder), reuse=True)
    reader.index.register_tokenizer(ANALYZER, analyzer())
    return reader


def _record_id(value: int | float | bool | None) -> int:
    """A hit's `id` fast field, which every document has (index_schema.document)."""
    if value is None:
        raise ValueError("search index document without an id")
    return int(value)
