"""Full-text search over the local store, with label and metadata filters.

    from litwatch.search import build_filters, search_records
    hits = search_records(engine, '"nasal spray" OR intranasal', build_filters(drug=["esketamine"]))
"""

from litwatch.search.filters import FilterError, SearchFilters, build_filters
from litwatch.search.query import ParsedQuery, QueryError, parse_query, phrase_query, to_fts5
from litwatch.search.service import SearchHit, matching_ids, rank_records, search_records
from litwatch.store.read import record_url  # defined in the store's read API; kept importable

__all__ = ["FilterError", "ParsedQuery", "QueryError", "SearchFilters", "SearchHit",
           "build_filters", "matching_ids", "parse_query", "phrase_query", "rank_records",
           "record_url", "search_records", "to_fts5"]
