"""The digest's view model: a Selection grouped condition -> design -> items.

Templates only loop over these dataclasses; every decision about what goes
where is made here, so the HTML, the plain text and the chart cannot disagree:
- each record is one item, under its main indication (placing.py), with its
  other indications named on the item;
- within a condition, retractions and expressions of concern come first, then
  designs strongest first (routes are facts on the item, and the map grid
  shows condition x route);
- records that entered their source long before the week are listed apart,
  after the conditions, and are not counted as this week's evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from litwatch import vocab
from litwatch.digest.items import ItemView, item_view
from litwatch.digest.palette import design_name, design_short, strength_order
from litwatch.digest.placing import UNCLASSIFIED, indication_name, primary_indication
from litwatch.digest.select import Entry, Selection

FLAGGED = "flagged"
OLDER = "older"
_FLAGGED_TITLE = "Retractions and expressions of concern"


@dataclass
class DesignGroup:
    key: str                    # a design key, or FLAGGED
    title: str
    items: list[ItemView]


@dataclass
class LeftOut:
    """Items of a group not listed in the email for size, counted by design."""

    by_design: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_design.values())

    def describe(self) -> str:
        parts = sorted(self.by_design.items(), key=lambda kv: strength_order(kv[0]))
        return ", ".join(f"{n} {design_short(d)}" for d, n in parts)


@dataclass
class ConditionGroup:
    key: str
    title: str
    designs: list[DesignGroup]
    count: int                  # records in this group, listed or not
    left_out: LeftOut = field(default_factory=LeftOut)

    @property
    def items(self) -> list[ItemView]:
        return [item for design in self.designs for item in design.items]


@dataclass
class Numbers:
    new_papers: int = 0
    new_trials: int = 0
    feed_items: int = 0
    updated_trials: int = 0
    retractions: int = 0
    late_arrivals: int = 0      # entered PubMed this week, published long before
    caught_up: int = 0          # entered shortly before the week, first seen in it
    older: int = 0              # entered long before the week (listed apart, not counted)

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
        """This week's records: the sum of the tiles and of the condition headings."""
        return (self.new_papers + self.new_trials + self.feed_items + self.updated_trials
                + self.retractions)


def count_numbers(selection: Selection) -> Numbers:
    """Each record once (the selection already holds each record in one list)."""
    sources = [e.row.source for e in selection.new]
    return Numbers(new_papers=sources.count("pubmed"), new_trials=sources.count("ctgov"),
                   feed_items=sources.count("feed"), updated_trials=len(selection.updated),
                   retractions=len(selection.flagged),
                   late_arrivals=sum(e.late for e in selection.new),
                   caught_up=sum(e.arrival.kind == "caught_up" for e in selection.new),
                   older=len(selection.older))


def entry_kind(entry: Entry, listed_as: str) -> str:
    if listed_as != "new":
        return listed_as
    return {"ctgov": "new_trial", "pubmed": "new_paper"}.get(entry.row.source, "feed")


def tagged_entries(selection: Selection) -> list[tuple[Entry, str]]:
    return ([(e, FLAGGED) for e in selection.flagged]
            + [(e, "updated_trial") for e in selection.updated]
            + [(e, entry_kind(e, "new")) for e in selection.new])


def build_groups(selection: Selection) -> list[ConditionGroup]:
    by_condition: dict[str, list[ItemView]] = defaultdict(list)
    for entry, kind in tagged_entries(selection):
        by_condition[primary_indication(entry)].append(item_view(entry, selection, kind))
    order = {k: i for i, k in enumerate(vocab.INDICATIONS) if k != UNCLASSIFIED}
    keys = sorted(by_condition, key=lambda k: (k == UNCLASSIFIED, order.get(k, len(order)), k))
    return [_group(k, indication_name(k), by_condition[k]) for k in keys]


def build_older_group(selection: Selection) -> ConditionGroup | None:
    items = [item_view(e, selection, OLDER) for e in selection.older]
    return _group(OLDER, "Older records first seen this week", items) if items else None


def _group(key: str, title: str, items: list[ItemView]) -> ConditionGroup:
    return ConditionGroup(key, title, design_groups(items), len(items))


def design_groups(items: list[ItemView]) -> list[DesignGroup]:
    groups: dict[str, list[ItemView]] = defaultdict(list)
    for item in items:
        groups[FLAGGED if item.kind == FLAGGED else item.design_key].append(item)
    keys = sorted(groups, key=lambda k: (k != FLAGGED, strength_order(k)))
    return [DesignGroup(k, _FLAGGED_TITLE if k == FLAGGED else design_name(k),
                        _largest_first(groups[k])) for k in keys]


def _largest_first(items: list[ItemView]) -> list[ItemView]:
    """Largest studies first, newest first among equals."""
    items = sorted(items, key=lambda i: i.date, reverse=True)
    return sorted(items, key=lambda i: -i.n)
