"""The last step of every way records enter the store: the search index catches up."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from litwatch.errors import StoreError


def update_search_index(engine: Engine, log: Callable[[str], None] = lambda m: None) -> None:
    """Bring the store's search index up to what was just written, so the next search
    has nothing to apply.  A failure here loses nothing (the index is derived, and the
    next search catches up or rebuilds it), so it is logged, never raised."""
    try:
        from litwatch.search.index import catch_up
    except ImportError:
        return                                   # no tantivy: search uses the database
    try:
        catch_up(engine)
    except (OSError, ValueError, StoreError) as exc:
        log(f"search index not updated ({exc}); the next search will catch up")
