"""Does any stored record match what a claim cites (journal, year, institution)?

Popular articles write "The American Journal of Psychiatry"; PubMed stores "The
American journal of psychiatry" with the ISO abbreviation "Am J Psychiatry".
Journal names are compared token by token after dropping articles and
subtitles, an abbreviated token matching any word it is a prefix of, so NLM
abbreviations match full titles without a table of every journal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from litwatch.claims.evidence import Evidence
from litwatch.claims.model import Claim
from litwatch.store.tables import RecordRow

_STOP = {"the", "of", "and", "for", "in", "on", "a", "an"}
# Journals that changed their name: the old title is the same journal for citations.
RENAMED = {("jama", "psychiatry"): ("archives", "general", "psychiatry")}


def journal_tokens(name: str) -> tuple[str, ...]:
    name = name.lower().replace("&", " and ")
    name = re.sub(r"\(.*?\)", " ", name)           # "(London, England)", "(Berl)"
    name = name.split(" : ")[0].split(" = ")[0]    # NLM subtitles and parallel titles
    return tuple(t for t in re.findall(r"[a-z0-9]+", name) if t not in _STOP)


def journal_matches(cited: str, stored: str) -> bool:
    """True when `stored` is the cited journal, spelled out, abbreviated or renamed."""
    a, b = journal_tokens(cited), journal_tokens(stored)
    if not a or not b:
        return False
    if _same(a, b):
        return True
    return any(_same(a, old) and _same(new, b) or _same(a, new) and _same(old, b)
               for new, old in RENAMED.items())


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b):
        return False
    return all(x.startswith(y) or y.startswith(x) for x, y in zip(a, b, strict=True))


def record_in_journal(ev: Evidence, journal: str) -> bool:
    return journal_matches(journal, ev.journal) or (
        bool(ev.journal_abbrev) and journal_matches(journal, ev.journal_abbrev))


@dataclass
class Citation:
    """The outcome of looking for the cited study among the claim's evidence."""

    cited: str                                              # "Am J Psychiatry 2019", "" if none
    matched: list[Evidence] = field(default_factory=list)   # on topic and compatible
    near: list[str] = field(default_factory=list)           # why other candidates fail

    @property
    def found(self) -> bool:
        return bool(self.matched)


def describe_citation(claim: Claim) -> str:
    imp = claim.implies
    parts = [imp.journal, str(imp.year) if imp.year else "",
             f"({imp.institution})" if imp.institution else ""]
    return " ".join(p for p in parts if p)


def check_citation(engine: Engine, claim: Claim, evidence: list[Evidence]) -> Citation:
    """Match the claim's citation against the records that bear on it."""
    citation = Citation(describe_citation(claim))
    if not claim.implies.cites:
        return citation
    for ev in evidence:
        if not _cited_source(claim, ev):
            continue
        problems = _incompatibilities(claim, ev)
        if ev.retracted:
            problems.append("it is retracted")
        if problems:
            citation.near.append(f"{_label(ev)}: {'; '.join(problems)}")
        else:
            citation.matched.append(ev)
    if not citation.matched:
        citation.near.extend(_off_topic(engine, claim, {e.record_id for e in evidence}))
    return citation


def _cited_source(claim: Claim, ev: Evidence) -> bool:
    imp = claim.implies
    return ((not imp.journal or record_in_journal(ev, imp.journal))
            and (not imp.year or imp.year in ev.years)
            and (not imp.institution or ev.institution_hit))


def _incompatibilities(claim: Claim, ev: Evidence) -> list[str]:
    # A record with no route/drug labels is not held against the citation.
    imp, out = claim.implies, []
    if imp.routes and ev.routes and not set(ev.routes) & set(imp.routes):
        out.append(f"route {', '.join(ev.routes)}, the claim implies {', '.join(imp.routes)}")
    if imp.drugs and ev.drugs and not set(ev.drugs) & set(imp.drugs):
        out.append(f"drug {', '.join(ev.drugs)}, the claim implies {', '.join(imp.drugs)}")
    return out


def _off_topic(engine: Engine, claim: Claim, seen: set[int], limit: int = 5) -> list[str]:
    """Stored records from the cited journal and year that do not bear on the claim."""
    imp = claim.implies
    if not (imp.journal and imp.year):
        return []
    with Session(engine) as session:
        rows = session.exec(select(RecordRow).where(
            col(RecordRow.year).in_([imp.year, imp.year + 1]))).all()
    out = []
    for row in rows:
        if row.id in seen or not journal_matches(imp.journal, row.journal):
            continue
        if row.year == imp.year or (row.entry_date or "").startswith(str(imp.year)):
            out.append(f"{row.journal} {row.year} PMID/ID {row.source_id} "
                       f"\"{row.title[:90]}\": not about this claim")
    return out[:limit]


def _label(ev: Evidence) -> str:
    return f"{ev.journal_abbrev or ev.journal} {ev.year} {ev.source_id}"
