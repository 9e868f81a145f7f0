"""Where a record is placed in the digest: its condition, route and design keys and names.

Each record appears once per digest (a review labelled with five indications
is one item, not five): under its main indication, with the others named on
the item.  The main indication is the most specific one (TRD before major
depression, as the indication taxonomy's `beside` entries say), then the one
named where a record says what it is about (title or trial conditions before
MeSH, MeSH before the abstract), then vocabulary order.  Without indication
labels a record goes under "Other / unclassified" (shared with the
vocabulary's own "other").  Routes and designs are facts on the item; without
a design it counts as "Design not stated".
"""

from __future__ import annotations

from functools import cache

from litwatch import vocab
from litwatch.classify.indication_rules import rules as indication_rules
from litwatch.digest.palette import DESIGN_NOT_STATED
from litwatch.digest.select import Entry

UNCLASSIFIED = "other"
ROUTE_NOT_STATED = "not_stated"
SEVERAL_ROUTES = "several"

# Where a label's evidence was found, most telling first.
_FIELD_RANK = {"title": 0, "condition": 0, "mesh": 1, "condition_mesh": 1, "keyword": 1}
_VOCAB_ORDER = {key: i for i, key in enumerate(vocab.INDICATIONS)}


def indication_keys(entry: Entry) -> list[str]:
    return entry.values("indication") or [UNCLASSIFIED]


@cache
def _more_specific() -> dict[str, frozenset[str]]:
    """indication -> the indications that make it the generic one ("mdd" -> trd, ...)."""
    beside = indication_rules().beside
    return {k: frozenset(beside.get(k, {})) for k in vocab.INDICATIONS}


def primary_indication(entry: Entry) -> str:
    keys = indication_keys(entry)
    if len(keys) == 1:
        return keys[0]

    def rank(key: str) -> tuple[bool, bool, int, int]:
        generic = bool(_more_specific().get(key, frozenset()) & set(keys))
        field = entry.fields.get(("indication", key), "")
        return (key == UNCLASSIFIED, generic, _FIELD_RANK.get(field, 2),
                _VOCAB_ORDER.get(key, len(_VOCAB_ORDER)))
    return min(keys, key=rank)


def other_indications(entry: Entry) -> list[str]:
    main = primary_indication(entry)
    others = [k for k in indication_keys(entry) if k not in (main, UNCLASSIFIED)]
    return sorted(others, key=lambda k: _VOCAB_ORDER.get(k, len(_VOCAB_ORDER)))


def stated_routes(entry: Entry) -> list[str]:
    return [r for r in entry.values("route") if r != ROUTE_NOT_STATED]


def route_key(entry: Entry) -> str:
    routes = stated_routes(entry)
    return routes[0] if len(routes) == 1 else SEVERAL_ROUTES if routes else ROUTE_NOT_STATED


def design_key(entry: Entry) -> str:
    return entry.row.design or next(iter(entry.values("design")), DESIGN_NOT_STATED)


def indication_name(key: str) -> str:
    return "Other / unclassified" if key == UNCLASSIFIED else vocab.INDICATIONS.get(key, key)


def route_name(key: str) -> str:
    return "Several routes" if key == SEVERAL_ROUTES else vocab.ROUTES.get(key, key)
