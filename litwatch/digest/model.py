"""The digest's view model: a Selection grouped condition -> route -> design -> section.

Templates only loop over these dataclasses; every decision about what goes
where (DESIGN.md: one appearance per indication, unlabelled records under
"Other / unclassified" and "Route not stated", designs strongest first) is made
here, so the HTML and the plain-text part cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from litwatch import vocab
from litwatch.digest.items import ItemView, item_view
from litwatch.digest.placing import (
    DESIGN_NOT_STATED,
    ROUTE_NOT_STATED,
    UNCLASSIFIED,
    design_key,
    design_name,
    indication_keys,
    indication_name,
    route_key,
    route_name,
)
from litwatch.digest.select import Entry, Selection

SECTIONS: dict[str, str] = {
    "new_trials": "New trials registered",
    "updated_trials": "Trials updated",
    "new_papers": "New papers",
    "feed_items": "Preprints and feed items",
    "retractions": "Retractions and expressions of concern",
}


@dataclass
class Section:
    key: str
    title: str
    items: list[ItemView]


@dataclass
class DesignGroup:
    key: str
    title: str
    sections: list[Section]


@dataclass
class RouteGroup:
    key: str
    title: str
    designs: list[DesignGroup]


@dataclass
class ConditionGroup:
    key: str
    title: str
    routes: list[RouteGroup]
    count: int              # distinct items in this condition
    more: int = 0           # of them, left out of the email (they are in the archive)


@dataclass
class Numbers:
    new_papers: int = 0
    new_trials: int = 0
    feed_items: int = 0
    updated_trials: int = 0
    retractions: int = 0
    late_arrivals: int = 0

    def parts(self) -> list[tuple[int, str]]:
        """(count, label) in display order, labels in the right number."""
        def word(n: int, one: str, many: str) -> tuple[int, str]:
            return n, one if n == 1 else many
        return [word(self.new_papers, "new paper", "new papers"),
                word(self.new_trials, "new trial", "new trials"),
                word(self.updated_trials, "updated trial", "updated trials"),
                word(self.feed_items, "preprint / feed item", "preprints / feed items"),
                word(self.retractions, "retraction / concern", "retractions / concerns")]

    def summary(self) -> str:
        return ", ".join(f"{count} {label}" for count, label in self.parts())

    @property
    def total(self) -> int:
        return (self.new_papers + self.new_trials + self.feed_items + self.updated_trials
                + self.retractions)


def count_numbers(selection: Selection) -> Numbers:
    """Each record once, however many groups it appears in."""
    sources = [e.row.source for e in selection.new]
    return Numbers(new_papers=sources.count("pubmed"), new_trials=sources.count("ctgov"),
                   feed_items=sources.count("feed"), updated_trials=len(selection.updated),
                   retractions=len(selection.flagged),
                   late_arrivals=sum(e.late for e in selection.new))


def section_of(entry: Entry, kind: str) -> str:
    if kind != "new":
        return kind
    return {"ctgov": "new_trials", "pubmed": "new_papers"}.get(entry.row.source, "feed_items")


def build_groups(selection: Selection) -> list[ConditionGroup]:
    tree: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(list))))
    members: dict[str, set[int]] = defaultdict(set)
    tagged = ([(e, "new") for e in selection.new]
              + [(e, "updated_trials") for e in selection.updated]
              + [(e, "retractions") for e in selection.flagged])
    for entry, kind in tagged:
        item = item_view(entry, selection)
        for ind in indication_keys(entry):
            members[ind].add(id(item))
            tree[ind][route_key(entry)][design_key(entry)][section_of(entry, kind)].append(item)
    return [ConditionGroup(ind, indication_name(ind), _routes(tree[ind]), len(members[ind]))
            for ind in sorted(tree, key=_order(vocab.INDICATIONS, last=UNCLASSIFIED))]


def _routes(routes: dict) -> list[RouteGroup]:
    return [RouteGroup(r, route_name(r), _designs(routes[r]))
            for r in sorted(routes, key=_order(vocab.ROUTES, last=ROUTE_NOT_STATED))]


def _designs(designs: dict) -> list[DesignGroup]:
    return [DesignGroup(d, design_name(d), [Section(s, SECTIONS[s], _top_first(designs[d][s]))
                                            for s in SECTIONS if designs[d].get(s)])
            for d in sorted(designs, key=lambda d: (d == DESIGN_NOT_STATED, vocab.design_rank(d)))]


def _order(names: dict[str, str], last: str):
    """Vocabulary order, unknown keys after the known ones, `last` at the very end."""
    order = {k: i for i, k in enumerate(names) if k != last}
    return lambda key: (key == last, order.get(key, len(order)), key)


def _top_first(items: list[ItemView]) -> list[ItemView]:
    """Largest studies first (what the size cap keeps), newest first among equals."""
    items = sorted(items, key=lambda i: i.date, reverse=True)
    return sorted(items, key=lambda i: -(i.n or 0))


def cap_groups(groups: list[ConditionGroup], limit: int) -> list[ConditionGroup]:
    """A copy keeping the top `limit` items of each condition in their usual places;
    the rest are counted in `more`.  Top = retractions first (a reader citing a paper
    must not miss one), then strongest design, then largest N."""
    return [_cap_condition(g, limit) for g in groups]


def _cap_condition(group: ConditionGroup, limit: int) -> ConditionGroup:
    ranked: dict[int, tuple[int, int, int, int]] = {}
    for route in group.routes:
        for design in route.designs:
            rank = vocab.design_rank(design.key)
            for section in design.sections:
                urgent = 0 if section.key == "retractions" else 1
                for item in section.items:
                    ranked.setdefault(id(item), (urgent, rank, -(item.n or 0), len(ranked)))
    keep = set(sorted(ranked, key=ranked.__getitem__)[:limit])
    routes = []
    for route in group.routes:
        designs = []
        for design in route.designs:
            sections = [replace(s, items=[i for i in s.items if id(i) in keep])
                        for s in design.sections]
            if sections := [s for s in sections if s.items]:
                designs.append(replace(design, sections=sections))
        if designs:
            routes.append(replace(route, designs=designs))
    return replace(group, routes=routes, more=group.count - len(keep))
