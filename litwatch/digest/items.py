"""One record as the digest shows it: title, link, facts, changes, flags, linked records."""

from __future__ import annotations

from dataclasses import dataclass, field

from litwatch import vocab
from litwatch.digest.placing import design_key, design_name, route_name, stated_routes
from litwatch.digest.select import Entry, Selection
from litwatch.digest.urls import record_url, source_url
from litwatch.records import FeedItem, Trial

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


def item_view(entry: Entry, selection: Selection) -> ItemView:
    row, record = entry.row, entry.record
    return ItemView(
        title=row.title or "(untitled)", url=record_url(record), source=_source_name(entry),
        date=_item_date(entry), design=design_name(design_key(entry)),
        phase=_phase(entry), n=_sample_size(entry),
        comparators=", ".join(vocab.COMPARATORS.get(c, c) for c in entry.values("comparator")),
        routes=", ".join(route_name(r) for r in stated_routes(entry)),
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
