"""Find the stored records that bear on a claim, mark which go against it, rank them.

Selection is by labels and the claim's search terms, never by record ids, so the
same claims file works on any store.  A record bears on a claim when it matches
one of `search.terms` (or, for a claim without terms, carries one of its
indication labels); `search.indications` and `search.drugs` then narrow that to
the right condition and molecule.  A record that bears on the claim and matches
a `counter` phrase goes *against* it (harms, null results); one that matches a
`qualifier` phrase supports it with a limit (an effect that fades).  Retracted
records and trial registrations without results are listed but never count.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from litwatch import vocab
from litwatch.claims.model import Claim, Counter, TermQuery
from litwatch.claims.textsearch import TextIndex
from litwatch.store.tables import FlagRow, LabelRow, RecordRow

# Words that name a route or drug, for records the classifier has not labelled yet.
ROUTE_PHRASES: dict[str, tuple[str, ...]] = {
    "intravenous": ("intravenous", "infusion*"),
    "intranasal": ("intranasal", "nasal spray"),
    "intramuscular": ("intramuscular",),
    "sublingual": ("sublingual", "lozenge*", "troche*", "buccal"),
    "oral": ("oral ketamine", "orally"),
    "subcutaneous": ("subcutaneous",),
}
DRUG_PHRASES: dict[str, tuple[str, ...]] = {
    "ketamine": ("ketamine",), "esketamine": ("esketamine",), "arketamine": ("arketamine",),
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Evidence:
    record_id: int
    source: str
    source_id: str
    title: str
    journal: str
    journal_abbrev: str
    year: int | None
    years: frozenset[int]          # publication year and PubMed entry year (epub first)
    design: str | None
    n: int | None
    comparators: list[str]
    routes: list[str]
    indications: list[str]
    drugs: list[str]
    summary: str
    url: str
    retracted: bool
    entry_date: str | None
    first_seen: datetime
    matched: list[str] = field(default_factory=list)     # search terms / labels that hit
    against: list[str] = field(default_factory=list)     # counter terms that hit
    score: int = 0
    institution_hit: bool = False
    limits: list[str] = field(default_factory=list)      # qualifier terms that hit
    registered_only: bool = False    # a trial registration without posted results

    @property
    def stance(self) -> str:
        """for | against | qualified (supports, with a limit) | registered | retracted."""
        if self.retracted:
            return "retracted"
        if self.registered_only:
            return "registered"      # shows the question is being studied, not the answer
        if self.against:
            return "against"
        return "qualified" if self.limits else "for"

    @property
    def design_name(self) -> str:
        return vocab.DESIGNS.get(self.design or "", "Design not classified")


def find_evidence(engine: Engine, claim: Claim, index: TextIndex) -> list[Evidence]:
    """The records bearing on `claim`, strongest designs first."""
    search = claim.search
    hits = index.any_of(search.terms)
    labels = _labels_for(engine, set(hits) | _ids_with_labels(engine, "indication",
                                                                search.indications))
    topic = set(hits) if search.terms else _having(labels, "indication", search.indications)
    topic = {i for i in topic if _on_indication(labels.get(i, {}), search.indications)}
    if search.drugs:
        topic = {i for i in topic if _has_facet(i, labels, "drug", search.drugs, index)}
    against = _counter_hits(engine, claim.counter, index, topic)
    limits = _counter_hits(engine, claim.qualifier, index, topic)
    ids = topic | set(against) | set(limits)
    labels.update(_labels_for(engine, ids - set(labels)))
    evidence = [_evidence(row, labels.get(row.id, {}), flags)
                for row, flags in _rows(engine, ids) if not _feed_copy(engine, row)]
    for ev in evidence:
        ev.matched = hits.get(ev.record_id, []) + _label_reasons(labels.get(ev.record_id, {}),
                                                                 claim)
        ev.against = against.get(ev.record_id, [])
        ev.limits = limits.get(ev.record_id, [])
        ev.score = _score(ev, claim, hits)
        if claim.implies.institution:
            ev.institution_hit = _raw_mentions(engine, ev.record_id, claim.implies.institution)
    return rank(evidence)


def rank(evidence: Iterable[Evidence]) -> list[Evidence]:
    """Retracted last; then design strength (vocab order), relevance, recency."""
    return sorted(evidence, key=lambda e: (e.retracted, vocab.design_rank(e.design),
                                           -e.score, -(e.year or 0), e.source_id))


def counts_by_design(evidence: Iterable[Evidence]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ev in rank(evidence):
        key = "retracted" if ev.retracted else ev.design or "unclassified"
        counts[key] = counts.get(key, 0) + 1
    return counts


def has_facet(ev: Evidence, family: str, value: str, index: TextIndex) -> bool:
    """Does the record carry this route/indication/drug (label, else its wording)?"""
    values = {"route": ev.routes, "indication": ev.indications, "drug": ev.drugs}[family]
    if values:
        return value in values
    return ev.record_id in _phrase_ids(family, value, index)


def _counter_hits(engine: Engine, counter: Counter | None, index: TextIndex, topic: set[int]
                  ) -> dict[int, list[str]]:
    """Records on the topic that use the counter phrases (or carry its indication labels)."""
    if counter is None:
        return {}
    hits = {i: q for i, q in index.any_of(counter.terms).items() if i in topic}
    for record_id in _ids_with_labels(engine, "indication", counter.indications):
        hits.setdefault(record_id, []).append("indication label")
    return hits


def _on_indication(labels: dict[str, list[str]], wanted: tuple[str, ...]) -> bool:
    # An unlabelled record (classifier not run yet) is given the benefit of the doubt.
    have = labels.get("indication", [])
    return not wanted or not have or bool(set(have) & set(wanted))


def _has_facet(record_id: int, labels: dict[int, dict[str, list[str]]], family: str,
               wanted: tuple[str, ...], index: TextIndex) -> bool:
    have = labels.get(record_id, {}).get(family, [])
    if have:
        return bool(set(have) & set(wanted))
    return any(record_id in _phrase_ids(family, value, index) for value in wanted)


def _phrase_ids(family: str, value: str, index: TextIndex) -> set[int]:
    if family == "route":
        phrases = ROUTE_PHRASES.get(value, ())
    elif family == "drug":
        phrases = DRUG_PHRASES.get(value, ())
    else:
        phrases = tuple(p.strip() for p in vocab.INDICATIONS.get(value, "").split("/"))
    out: set[int] = set()
    for phrase in phrases:
        out |= index.ids(TermQuery((phrase,)))
    return out


def _having(labels: dict[int, dict[str, list[str]]], family: str, wanted: tuple[str, ...]
            ) -> set[int]:
    return {i for i, fams in labels.items() if set(fams.get(family, [])) & set(wanted)}


def _label_reasons(labels: dict[str, list[str]], claim: Claim) -> list[str]:
    out = [f"indication: {v}" for v in labels.get("indication", [])
           if v in claim.search.indications]
    return out + [f"route: {v}" for v in labels.get("route", []) if v in claim.search.routes]


def _score(ev: Evidence, claim: Claim, hits: dict[int, list[str]]) -> int:
    search = claim.search
    return (2 * len(hits.get(ev.record_id, []))
            + 3 * len(set(ev.indications) & set(search.indications))
            + 2 * len(set(ev.routes) & set(search.routes))
            + (1 if ev.design in search.designs else 0))


def _ids_with_labels(engine: Engine, family: str, values: tuple[str, ...]) -> set[int]:
    if not values:
        return set()
    with Session(engine) as session:
        stmt = select(LabelRow.record_id).where(LabelRow.family == family,
                                                col(LabelRow.value).in_(values))
        return set(session.exec(stmt).all())


def _labels_for(engine: Engine, ids: set[int]) -> dict[int, dict[str, list[str]]]:
    out: dict[int, dict[str, list[str]]] = {}
    with Session(engine) as session:
        for chunk in _chunks(sorted(ids)):
            for label in session.exec(select(LabelRow).where(col(LabelRow.record_id).in_(chunk))):
                values = out.setdefault(label.record_id, {}).setdefault(label.family, [])
                if label.value not in values and label.value != "not_stated":
                    values.append(label.value)
    return out


def _rows(engine: Engine, ids: set[int]) -> list[tuple[RecordRow, set[str]]]:
    out = []
    with Session(engine) as session:
        for chunk in _chunks(sorted(ids)):
            flags: dict[int, set[str]] = {}
            for flag in session.exec(select(FlagRow).where(col(FlagRow.record_id).in_(chunk))):
                flags.setdefault(flag.record_id, set()).add(flag.kind)
            rows = session.exec(select(RecordRow).where(col(RecordRow.id).in_(chunk))).all()
            out.extend((row, flags.get(row.id, set())) for row in rows)
    return out


def _raw_mentions(engine: Engine, record_id: int, needle: str) -> bool:
    # Affiliations are not parsed into columns; the raw payload keeps them.
    with Session(engine) as session:
        row = session.get(RecordRow, record_id)
        raw = zlib.decompress(row.raw).decode("utf-8", "replace") if row and row.raw else ""
    return needle.lower() in raw.lower()


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _feed_copy(engine: Engine, row: RecordRow) -> bool:
    """A PubMed RSS item whose PMID is stored from E-utilities: that record speaks for it."""
    pmid = json.loads(row.data or "{}").get("pmid") if row.source == "feed" else None
    if not pmid:
        return False
    with Session(engine) as session:
        stmt = select(RecordRow.id).where(RecordRow.source == "pubmed",
                                          RecordRow.source_id == str(pmid))
        return session.exec(stmt).first() is not None


def _evidence(row: RecordRow, labels: dict[str, list[str]], flags: set[str]) -> Evidence:
    data = json.loads(row.data or "{}")
    years = {y for y in (row.year, _year(row.entry_date)) if y}
    return Evidence(
        record_id=row.id or 0, source=row.source, source_id=row.source_id, title=row.title,
        # A feed's title names the feed, not a journal: keep it out of citation matching.
        journal=row.journal if row.source != "feed" else f"feed: {row.journal}",
        journal_abbrev=data.get("journal_abbrev", "") or "",
        year=row.year, years=frozenset(years), design=row.design or _first(labels, "design"),
        n=row.sample_size, comparators=labels.get("comparator", []),
        routes=labels.get("route", []), indications=labels.get("indication", []),
        drugs=labels.get("drug", []), summary=row.summary or _fallback_summary(row.abstract),
        url=record_url(row.source, row.source_id, row.doi, data),
        retracted=bool(row.retracted or "retracted" in flags),
        entry_date=row.entry_date, first_seen=row.first_seen,
        registered_only=row.source == "ctgov" and not data.get("has_results"),
    )


def record_url(source: str, source_id: str, doi: str | None, data: dict) -> str:
    if source == "pubmed":
        return f"https://pubmed.ncbi.nlm.nih.gov/{source_id}/"
    if source == "ctgov":
        return f"https://clinicaltrials.gov/study/{source_id}"
    if data.get("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{data['pmid']}/"
    link = str(data.get("link") or "")
    if link.startswith(("https://", "http://")):
        return link
    return f"https://doi.org/{doi}" if doi else ""


def _fallback_summary(abstract: str, limit: int = 300) -> str:
    # Until the summariser has run, the abstract's last sentence is usually its conclusion.
    sentences = [s for s in _SENTENCE.split(abstract.strip()) if s]
    text = sentences[-1] if sentences else ""
    text = re.sub(r"^[A-Z ]+:\s*", "", text)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _first(labels: dict[str, list[str]], family: str) -> str | None:
    values = labels.get(family, [])
    return values[0] if values else None


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None
