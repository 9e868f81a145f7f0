"""Where a record is placed in the digest: its condition, route and design keys and names.

DESIGN.md: a record appears once per indication it is labelled with; without
indication labels it goes under "Other / unclassified" (shared with the
vocabulary's own "other").  Within a condition it appears once: under its route,
under "Several routes" when it names more than one (often a comparison of
routes), or under "Route not stated"; without a design under "Design not stated".
"""

from __future__ import annotations

from litwatch import vocab
from litwatch.digest.select import Entry

UNCLASSIFIED = "other"
ROUTE_NOT_STATED = "not_stated"
DESIGN_NOT_STATED = "not_stated"
SEVERAL_ROUTES = "several"


def indication_keys(entry: Entry) -> list[str]:
    return entry.values("indication") or [UNCLASSIFIED]


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


def design_name(key: str) -> str:
    return "Design not stated" if key == DESIGN_NOT_STATED else vocab.DESIGNS.get(key, key)
