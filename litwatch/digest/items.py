"""One record as the digest shows it: a citable title line, its facts, what changed
this week, its finding, and the records it is linked to.

Every line is a separate field so the HTML and the plain text show the same
lines in the same order, and a label line can never run into a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litwatch import vocab
from litwatch.digest.citation import Identifier, cite
from litwatch.digest.palette import design_name
from litwatch.digest.placing import (
    design_key,
    indication_name,
    other_indications,
    route_name,
    stated_routes,
)
from litwatch.digest.registry_words import date_words, phase_words, status_words
from litwatch.digest.select import Entry, Selection
from litwatch.digest.trial_news import describe_changes
from litwatch.records import FeedItem, Trial
from litwatch.store.read import record_url, source_url

KIND_NAMES = {"new_paper": "New paper", "new_trial": "New trial", "feed": "Preprint / feed item",
              "updated_trial": "Trial update", "flagged": "Retraction / concern",
              "older": "Older record"}
FLAG_NAMES = {"retracted": "Retracted", "expression_of_concern": "Expression of concern",
              "retraction_notice": "Retraction notice",
              "expression_of_concern_notice": "Expression of concern notice"}
MAX_LINKED = 3
MAX_LINKED_TITLE = 90


@dataclass
class LinkedRef:
    label: str              # "NCT01234567" / "PMID 12345"
    url: str | None
    title: str = ""
    what: str = "trial"     # trial | paper


@dataclass
class ItemView:
    record_id: int
    kind: str                               # a KIND_NAMES key
    title: str
    url: str | None
    design_key: str
    citation: str = ""                      # "Berman RM, ... Biol Psychiatry. 2000;47(4):351-4."
    ids: list[Identifier] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)       # design, phase, status, N, route ...
    news: list[str] = field(default_factory=list)        # this week's trial changes, in words
    finding: str = ""
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)       # arrival, other indications
    linked: list[LinkedRef] = field(default_factory=list)
    n: int = 0
    date: str = ""
    source_key: tuple[str, str] = ("", "")
    number: int = 0                         # [n], in order of the full digest

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


def item_view(entry: Entry, selection: Selection, kind: str) -> ItemView:
    row, record = entry.row, entry.record
    citation = cite(record, row.raw)
    return ItemView(
        record_id=row.id or 0, kind=kind, title=" ".join((row.title or "(untitled)").split()),
        url=record_url(row.source, row.source_id, vars(record)) or None,  # parsed once
        design_key=design_key(entry), citation=citation.text, ids=citation.ids,
        facts=_facts(entry), news=describe_changes(entry.changes, _trial(entry)),
        finding=_finding(entry), flags=[_flag(f.kind, f.ref_pmid) for f in entry.flags],
        notes=_notes(entry, kind), linked=_linked(entry, selection),
        n=_sample_size(entry) or 0, date=_item_date(entry),
        source_key=(row.source, row.source_id))


def _trial(entry: Entry) -> Trial | None:
    return entry.record if isinstance(entry.record, Trial) else None


def _facts(entry: Entry) -> list[str]:
    trial = _trial(entry)
    facts = [design_name(design_key(entry))]
    if trial:
        facts += [status_words(trial.overall_status), phase_words(trial.phases)]
    n = _sample_size(entry)
    if n:
        facts.append(_n_words(n, trial))
    comparators = [vocab.COMPARATORS.get(c, c) for c in entry.values("comparator") if c != "none"]
    if comparators:
        facts.append("vs " + " / ".join(c.lower() for c in comparators))
    facts.append(", ".join(route_name(r) for r in stated_routes(entry)))
    facts.append(", ".join(vocab.DRUGS.get(d, d) for d in entry.values("drug")))
    facts.append(next(iter(entry.values("dose")), ""))
    if trial:
        facts.append(_registry_dates(entry, trial))
    return [f for f in facts if f]


def _n_words(n: int, trial: Trial | None) -> str:
    if trial is None:
        return f"N={n}"
    return f"N={n} enrolled" if trial.enrollment_type.upper() == "ACTUAL" else f"N={n} planned"


def _registry_dates(entry: Entry, trial: Trial) -> str:
    if entry.changes:
        return f"updated {date_words(_item_date(entry))}"
    return f"registered {date_words(trial.first_post_date)}" if trial.first_post_date else ""


def _finding(entry: Entry) -> str:
    """The summary's finding line (its first line repeats the facts), or for a trial
    its primary outcome: what it will answer."""
    trial = _trial(entry)
    if trial:
        return f"Primary outcome: {trial.primary_outcomes[0]}" if trial.primary_outcomes else ""
    lines = [ln.strip() for ln in (entry.row.summary or "").splitlines() if ln.strip()]
    return " ".join(lines[1:])


def _notes(entry: Entry, kind: str) -> list[str]:
    notes = [entry.arrival.note] if entry.arrival.note else []
    others = [indication_name(k) for k in other_indications(entry)]
    if kind == "older":
        notes.append("indication: " + ", ".join(
            indication_name(k) for k in entry.values("indication") or ["other"]))
    elif others:
        notes.append("also: " + ", ".join(others))
    return notes


def _flag(kind: str, ref_pmid: str) -> str:
    name = FLAG_NAMES.get(kind, kind.replace("_", " ").capitalize())
    return f"{name} (notice: PMID {ref_pmid})" if ref_pmid else name


def _item_date(entry: Entry) -> str:
    if entry.changes:
        last = entry.changes[-1]
        return last.source_date or last.detected_at.date().isoformat()
    return (entry.row.entry_date or entry.row.pub_date or "")[:10]


def _sample_size(entry: Entry) -> int | None:
    if entry.row.sample_size:
        return entry.row.sample_size
    trial = _trial(entry)
    return trial.enrollment if trial else None


def _linked(entry: Entry, selection: Selection) -> list[LinkedRef]:
    key = (entry.row.source, entry.row.source_id)
    pmid = getattr(entry.record, "pmid", None)
    if isinstance(entry.record, FeedItem) and pmid:
        key = ("pubmed", pmid)
    refs = []
    for source, sid in selection.links.get(key, [])[:MAX_LINKED]:
        label = sid if source == "ctgov" else f"PMID {sid}"
        title = _clip(selection.titles.get((source, sid), ""), MAX_LINKED_TITLE)
        refs.append(LinkedRef(label, source_url(source, sid), title,
                              "trial" if source == "ctgov" else "paper"))
    return refs


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"
