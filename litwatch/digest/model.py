"""The digest's view model: a Selection grouped condition -> route -> design -> section.

Templates only loop over these dataclasses; every decision about what goes
where (DESIGN.md: one appearance per indication, unlabelled records under
"Other / unclassified" and "Route not stated", designs strongest first) is made
here, so the HTML and the plain-text part cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from litwatch import vocab
from litwatch.digest.select import Entry, Selection
from litwatch.digest.urls import record_url, source_url
from litwatch.records import FeedItem, Trial

SECTIONS: dict[str, str] = {
    "new_trials": "New trials registered",
    "updated_trials": "Trials updated",
    "new_papers": "New papers",
    "feed_items": "Preprints and feed items",
    "retractions": "Retractions and expressions of concern",
}
UNCLASSIFIED = "other"          # vocab's "other" indication and no label share one group
ROUTE_NOT_STATED = "not_stated"
DESIGN_NOT_STATED = "not_stated"
SOURCE_NAMES = {"pubmed": "PubMed", "ctgov": "ClinicalTrials.gov"}
CHANGE_NAMES = {"status": "Status", "why_stopped": "Why stopped", "phase": "Phase",
                "enrollment": "Enrollment", "start_date": "Start date",
                "primary_completion_date": "Primary completion", "completion_date": "Completion",
                "results": "Results", "primary_outcomes": "Primary outcomes",
                "interventions": "Interventions"}
FLAG_NAMES = {"retracted": "Retracted", "expression_of_concern": "Expression of concern",
              "retraction_notice": "Retraction notice",
              "expression_of_concern_notice": "Expression of concern notice"}
MAX_LINKED = 5


@dataclass
class LinkedRef:
    label: str              # "NCT01234567" / "PMID 12345"
    url: str | None
    title: str = ""


@dataclass
class ChangeView:
    field: str
    before: str
    after: str


@dataclass
class ItemView:
    title: str
    url: str | None
    source: str
    date: str
    design: str
    phase: str = ""
    n: int | None = None
    comparators: str = ""
    routes: str = ""
    drugs: str = ""
    status: str = ""
    summary: str = ""
    late: bool = False
    linked: list[LinkedRef] = field(default_factory=list)
    changes: list[ChangeView] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


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


def indication_keys(entry: Entry) -> list[str]:
    return entry.values("indication") or [UNCLASSIFIED]


def route_keys(entry: Entry) -> list[str]:
    return [r for r in entry.values("route") if r != ROUTE_NOT_STATED] or [ROUTE_NOT_STATED]


def design_key(entry: Entry) -> str:
    return entry.row.design or next(iter(entry.values("design")), DESIGN_NOT_STATED)


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
            for route in route_keys(entry):
                tree[ind][route][design_key(entry)][section_of(entry, kind)].append(item)
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


def indication_name(key: str) -> str:
    return "Other / unclassified" if key == UNCLASSIFIED else vocab.INDICATIONS.get(key, key)


def route_name(key: str) -> str:
    return vocab.ROUTES.get(key, key)


def design_name(key: str) -> str:
    return "Design not stated" if key == DESIGN_NOT_STATED else vocab.DESIGNS.get(key, key)


def item_view(entry: Entry, selection: Selection) -> ItemView:
    row, record = entry.row, entry.record
    return ItemView(
        title=row.title or "(untitled)", url=record_url(record), source=_source_name(entry),
        date=_item_date(entry), design=design_name(design_key(entry)),
        phase=_phase(entry), n=_sample_size(entry),
        comparators=", ".join(vocab.COMPARATORS.get(c, c) for c in entry.values("comparator")),
        routes=", ".join(route_name(r) for r in route_keys(entry) if r != ROUTE_NOT_STATED),
        drugs=", ".join(vocab.DRUGS.get(d, d) for d in entry.values("drug")),
        status=_humanize(row.status or ""), summary=row.summary.strip(), late=entry.late,
        linked=_linked(entry, selection), changes=_changes(entry),
        flags=[_flag(f.kind, f.ref_pmid) for f in entry.flags])


def _flag(kind: str, ref_pmid: str) -> str:
    name = FLAG_NAMES.get(kind, kind)
    return f"{name} (notice: PMID {ref_pmid})" if ref_pmid else name


def _source_name(entry: Entry) -> str:
    if isinstance(entry.record, FeedItem):
        return entry.record.feed_title or entry.record.feed_name or "Feed"
    journal = entry.row.journal if entry.row.source == "pubmed" else ""
    name = SOURCE_NAMES.get(entry.row.source, entry.row.source)
    return f"{name} · {journal}" if journal else name


def _item_date(entry: Entry) -> str:
    if entry.changes:
        last = entry.changes[-1]
        return last.source_date or last.detected_at.date().isoformat()
    return (entry.row.entry_date or entry.row.pub_date or "")[:10]


def _phase(entry: Entry) -> str:
    raw = entry.row.phase or ""
    if not raw and isinstance(entry.record, Trial):
        raw = "/".join(entry.record.phases)
    return _humanize(raw.replace("EARLY_PHASE", "Early phase ").replace("PHASE", "Phase ")
                     .replace("/Phase ", "/")) if raw and raw != "NA" else ""


def _humanize(value: str) -> str:
    """NOT_YET_RECRUITING -> Not yet recruiting; mixed-case text is left alone."""
    return value.replace("_", " ").capitalize() if value.isupper() else value


def _sample_size(entry: Entry) -> int | None:
    if entry.row.sample_size:
        return entry.row.sample_size
    return entry.record.enrollment if isinstance(entry.record, Trial) else None


def _linked(entry: Entry, selection: Selection) -> list[LinkedRef]:
    keys = [(entry.row.source, entry.row.source_id)]
    pmid = getattr(entry.record, "pmid", None)
    if isinstance(entry.record, FeedItem) and pmid:
        keys = [("pubmed", pmid)]
    refs = []
    for key in keys:
        for source, sid in selection.links.get(key, [])[:MAX_LINKED]:
            label = sid if source == "ctgov" else f"PMID {sid}"
            title = selection.titles.get((source, sid), "")
            refs.append(LinkedRef(label, source_url(source, sid), title))
    return refs


def _changes(entry: Entry) -> list[ChangeView]:
    """Per field: the value before the week's first change and after its last."""
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    for change in entry.changes:
        first.setdefault(change.field, change.before)
        last[change.field] = change.after
    return [ChangeView(CHANGE_NAMES.get(f, f), first[f] or "—", last[f] or "—")
            for f in first if first[f] != last[f]]


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
