"""SearchHit: one search result as every output format reads it.

Its own module, free of SQLAlchemy, so that the fast search path
(litwatch.search.fast) and the output writers need no database library.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class SearchHit:
    record_id: int
    source: str
    source_id: str
    title: str
    journal: str
    year: int | None
    doi: str | None
    pub_date: str
    entry_date: str | None
    design: str | None
    phase: str | None
    status: str | None
    sample_size: int | None
    summary: str
    retracted: bool
    url: str
    labels: dict[str, list[str]] = field(default_factory=dict)
    score: float | None = None
    title_marked: str | None = None
    snippet: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


# The record columns a hit is made of, in SearchHit's order ("id" is record_id).
HIT_COLUMNS = ("id", "source", "source_id", "title", "journal", "year", "doi", "pub_date",
               "entry_date", "design", "phase", "status", "sample_size", "summary",
               "retracted")
