"""Full-text search over the local store, with label and metadata filters.

    from litwatch.search import build_filters, search_records
    hits = search_records(engine, '"nasal spray" OR intranasal', build_filters(drug=["esketamine"]))

The names below load on first use: `litwatch search` answers from the index without
SQLAlchemy when the index is fresh, and importing a submodule of this package must
not pull the SQL path in first.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOMES = {
    "FilterError": "litwatch.search.filters", "SearchFilters": "litwatch.search.filters",
    "build_filters": "litwatch.search.filters",
    "ParsedQuery": "litwatch.search.query", "QueryError": "litwatch.search.query",
    "parse_query": "litwatch.search.query", "phrase_query": "litwatch.search.query",
    "to_fts5": "litwatch.search.query",
    "SearchHit": "litwatch.search.service", "matching_ids": "litwatch.search.service",
    "rank_records": "litwatch.search.service", "search_records": "litwatch.search.service",
    "record_url": "litwatch.store.read",     # defined in the store's read API
}
__all__ = ["FilterError", "ParsedQuery", "QueryError", "SearchFilters", "SearchHit",
           "build_filters", "matching_ids", "parse_query", "phrase_query", "rank_records",
           "record_url", "search_records", "to_fts5"]

if TYPE_CHECKING:
    from litwatch.search.filters import FilterError, SearchFilters, build_filters
    from litwatch.search.query import ParsedQuery, QueryError, parse_query, phrase_query, to_fts5
    from litwatch.search.service import SearchHit, matching_ids, rank_records, search_records
    from litwatch.store.read import record_url


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'litwatch.search' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
