"""Search filters as SQL conditions on `record` (see litwatch.search.filters).

Label filters (indication, route, design, drug) are semi-joins on the label table
(record.id IN (SELECT record_id ...)), so a record with several indications
matches each of them and is returned once.  Values within one option are
alternatives (OR); different options must all hold (AND).  Every value is a bound
parameter.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select

from litwatch.search.filters import LABEL_OPTIONS, SearchFilters
from litwatch.store.read import LABEL, RECORD

t_record = RECORD
t_label = LABEL


def _labelled(family: str, values: tuple[str, ...]) -> ColumnElement[bool]:
    """record.id IN (records with such a label): a semi-join, like EXISTS, but not
    correlated, so SQLite builds the id set once from ix_label_family_value instead
    of re-scanning that index for every candidate row (50x faster at 100k records)."""
    return t_record.c.id.in_(select(t_label.c.record_id).where(
        t_label.c.family == family, t_label.c.value.in_(values)))


def filter_clauses(filters: SearchFilters) -> list[ColumnElement[bool]]:
    """SQL conditions on `record` for the filters that are set."""
    clauses: list[ColumnElement[bool]] = []
    for option, (family, _) in LABEL_OPTIONS.items():
        values = getattr(filters, option)
        if values:
            clauses.append(_labelled(family, values))
    if filters.source:
        clauses.append(t_record.c.source.in_(filters.source))
    if filters.phase:
        # A trial in phase 2/3 keeps both phases as labels but one in record.phase.
        clauses.append(or_(func.upper(t_record.c.phase).in_(filters.phase),
                           t_record.c.id.in_(select(t_label.c.record_id).where(
                               t_label.c.family == "phase",
                               func.upper(t_label.c.value).in_(filters.phase)))))
    if filters.status:
        clauses.append(func.upper(t_record.c.status).in_(filters.status))
    if filters.since:
        clauses.append(t_record.c.entry_date >= filters.since.isoformat())
    if filters.until:
        # entry_date may be partial ("2006-11"); compare as text below the next day.
        clauses.append(t_record.c.entry_date < (filters.until + timedelta(days=1)).isoformat())
    return clauses


def where_all(filters: SearchFilters) -> ColumnElement[bool] | None:
    clauses = filter_clauses(filters)
    return and_(*clauses) if clauses else None
