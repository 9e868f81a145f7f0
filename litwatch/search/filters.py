"""Search filters: validated against the vocabularies, rendered as SQL expressions.

Label filters (indication, route, design, drug) are semi-joins on the label table
(record.id IN (SELECT record_id ...)), so a record with several indications
matches each of them and is returned once.  Values within
one option are alternatives (OR); different options must all hold (AND).  Every
value is a bound parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select

from litwatch import vocab
from litwatch.errors import FilterError
from litwatch.store.read import LABEL, RECORD

# ClinicalTrials.gov v2 enums: what the store keeps for trial status and phase.
STATUSES = ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION",
            "ACTIVE_NOT_RECRUITING", "COMPLETED", "SUSPENDED", "TERMINATED", "WITHDRAWN",
            "UNKNOWN", "AVAILABLE", "NO_LONGER_AVAILABLE", "TEMPORARILY_NOT_AVAILABLE",
            "APPROVED_FOR_MARKETING", "WITHHELD")
PHASES = ("EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA")
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
SOURCE_ALIASES = {"pubmed": "pubmed", "ctgov": "ctgov", "feed": "feed", "feeds": "feed"}

LABEL_OPTIONS: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "indication": ("indication", vocab.INDICATIONS),
    "route": ("route", vocab.ROUTES),
    "design": ("design", vocab.DESIGNS),
    "drug": ("drug", vocab.DRUGS),
}

t_record = RECORD
t_label = LABEL


@dataclass(frozen=True)
class SearchFilters:
    indication: tuple[str, ...] = ()
    route: tuple[str, ...] = ()
    design: tuple[str, ...] = ()
    drug: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    phase: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    def any(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def _split(values: Iterable[str] | None) -> list[str]:
    """Repeatable options also take comma-separated lists: --indication trd,mdd."""
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


def normalise_phase(value: str) -> str | None:
    key = re.sub(r"[\s_\-/]", "", value.upper())
    key = key.removeprefix("PHASE")
    if key in ("NA", "NOTAPPLICABLE"):
        return "NA"
    if key in ("EARLY1", "EARLYPHASE1", "0"):
        return "EARLY_PHASE1"
    key = _ROMAN.get(key, key)
    return f"PHASE{key}" if f"PHASE{key}" in PHASES else None


def _pick(option: str, values: Iterable[str] | None, valid: Mapping[str, str] | tuple[str, ...],
          normalise=lambda v: v) -> tuple[str, ...]:
    out: list[str] = []
    for value in _split(values):
        key = normalise(value)
        if key not in valid:
            raise FilterError(option, value, valid)
        if key not in out:
            out.append(key)
    return tuple(out)


def build_filters(*, indication: Iterable[str] | None = None, route: Iterable[str] | None = None,
                  design: Iterable[str] | None = None, drug: Iterable[str] | None = None,
                  source: Iterable[str] | None = None, phase: Iterable[str] | None = None,
                  status: Iterable[str] | None = None, since: date | None = None,
                  until: date | None = None) -> SearchFilters:
    """Validate raw option values (case-insensitive) into SearchFilters."""
    lower = str.lower
    return SearchFilters(
        indication=_pick("indication", indication, vocab.INDICATIONS, lower),
        route=_pick("route", route, vocab.ROUTES, lower),
        design=_pick("design", design, vocab.DESIGNS, lower),
        drug=_pick("drug", drug, vocab.DRUGS, lower),
        source=tuple(dict.fromkeys(
            SOURCE_ALIASES[s] for s in _pick("source", source, SOURCE_ALIASES, lower))),
        phase=_pick("phase", phase, PHASES, lambda v: normalise_phase(v) or v),
        status=_pick("status", status, STATUSES,
                     lambda v: re.sub(r"[\s\-]+", "_", v.strip().upper())),
        since=since, until=until,
    )


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
