"""SearchHit: one search result as every output format reads it.

Its own module, free of SQLAlchemy, so that the fast search path
(litwatch.search.fast) and the output writers need no database library.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from litwatch.search.ranked import Ranked
from litwatch.store.urls import record_url


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


class PageRow(Protocol):
    """A loaded row read by column name: sqlite3.Row, SQLAlchemy's RowMapping."""

    def __getitem__(self, name: str, /) -> Any: ...


def hit_from(row: PageRow, ranked: Ranked, labels: dict[str, list[str]]
             ) -> SearchHit:
    """A hit from a loaded page row (HIT_COLUMNS, and `data` for a feed item's link),
    its place in the ranking and its labels."""
    values = {name: row[name] for name in HIT_COLUMNS if name != "id"}
    values["retracted"] = bool(values["retracted"])
    data = row["data"] if row["source"] == "feed" else {"doi": row["doi"]}
    return SearchHit(record_id=row["id"], url=record_url(row["source"], row["source_id"], data),
                     labels=labels, score=ranked.score, title_marked=ranked.title_marked,
                     snippet=ranked.snippet, **values)


def distinct_labels(pairs: Iterable[Sequence[str]]) -> dict[str, list[str]]:
    """(family, value) pairs in stored order -> family -> distinct values, first stored
    first (as litwatch.store.read.labels_by_record gives them)."""
    out: dict[str, list[str]] = {}
    for family, value in pairs:
        values = out.setdefault(family, [])
        if value not in values:
            values.append(value)
    return out
