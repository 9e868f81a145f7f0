"""Search filters: validated against the vocabularies, rendered as SQL expressions.

Values within one option are alternatives (OR); different options must all hold
(AND).  The SQL rendering is litwatch.search.filters_sql, re-exported here but
imported on first use: validating filters must not load SQLAlchemy, which the fast
search path (litwatch.search.fast) never needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from litwatch import vocab
from litwatch.errors import FilterError

if TYPE_CHECKING:
    from litwatch.search.filters_sql import filter_clauses as filter_clauses
    from litwatch.search.filters_sql import t_label as t_label
    from litwatch.search.filters_sql import t_record as t_record
    from litwatch.search.filters_sql import where_all as where_all

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


_SQL_NAMES = ("filter_clauses", "where_all", "t_record", "t_label")


def __getattr__(name: str) -> Any:
    """The SQL names (filter_clauses, where_all, t_record, t_label), imported on first use."""
    if name in _SQL_NAMES:
        from litwatch.search import filters_sql
        return getattr(filters_sql, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
