"""The evidence engine: claim -> assertions -> records -> findings -> rule -> verdict.

    report = check_text(engine, "Ketamine is non-addictive")
    report.suggested, report.decided_by, report.evidence

A claim that cites a study is first matched to the cited source (citation.py);
when the cited study is found, the claim is judged on what that study found.
Every verdict names the rule that decided it (rules.RULES); a reviewer's verdict
in claims.toml is shown beside the suggestion and wins as `verdict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Engine

from litwatch.claims.assertions import Assertion, assertions
from litwatch.claims.citation import Citation, check_citation
from litwatch.claims.model import Claim, parse_claims
from litwatch.claims.records import Store
from litwatch.claims.rules import Rule, combine, decide
from litwatch.claims.summary import Finding, Summary, summarize


@dataclass
class PartReport:
    part: Assertion
    summary: Summary
    rule: Rule
    reason: str

    @property
    def verdict(self) -> str:
        return self.rule.verdict


@dataclass
class ClaimReport:
    claim: Claim
    parts: list[PartReport]
    rule: Rule
    reason: str
    suggested: str
    citation: Citation | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """What the claim is judged to be: a reviewer's verdict wins over the rules."""
        return self.claim.reviewer.verdict if self.claim.reviewer else self.suggested

    @property
    def decided_by(self) -> str:
        return self.rule.id

    @property
    def findings(self) -> list[Finding]:
        """Every record shown, once, counted ones first, strongest designs first."""
        seen: dict[int, Finding] = {}
        for part in self.parts:
            for f in part.summary.findings:
                seen.setdefault(f.facts.record_id, f)
        return sorted(seen.values(), key=_rank)


def _rank(f: Finding) -> tuple:
    stance = {"against": 0, "mixed": 1, "for": 2}.get(f.stance, 3)
    return (not f.counted, f.facts.tier, stance, -(f.facts.year or 0), f.facts.source_id)


def check_claims(engine: Engine, claims: list[Claim]) -> list[ClaimReport]:
    store = Store(engine)          # shared, so records read for one claim serve the next
    return [check_claim(store, claim) for claim in claims]


def check_text(engine: Engine | Store, text: str, claim_id: str = "claim") -> ClaimReport:
    """A free-text claim, as `litwatch claims check "TEXT"` reads it."""
    claim = parse_claims({"claims": [{"id": claim_id, "article": "claim typed on the command line",
                                      "claim": text}]})[0]
    return check_claim(engine if isinstance(engine, Store) else Store(engine), claim)


def check_claim(store: Store | Engine, claim: Claim) -> ClaimReport:
    store = store if isinstance(store, Store) else Store(store)
    summaries: list[Summary] = []
    for part in assertions(claim):
        candidates = store.candidates(part, claim.search.terms)
        summary = summarize(part, candidates)
        if claim.implies.cites:
            summary.citation = check_citation(store, claim, summary, candidates)
        summaries.append(summary)
    if claim.implies.cites:
        summaries = _on_the_cited_study(summaries)
    # The report shows the last part's citation, as found for the whole claim.
    citation = summaries[-1].citation if summaries else None
    parts = [PartReport(s.part, s, *decide(s)) for s in summaries]
    if len(parts) == 1:
        rule, reason, verdict = parts[0].rule, parts[0].reason, parts[0].verdict
    else:
        rule, verdict = combine([p.verdict for p in parts])
        reason = "; ".join(f"{p.part.label}: {p.verdict} [{p.rule.id}]" for p in parts)
    return ClaimReport(claim, parts, rule, reason, verdict, citation, _notes(parts))


def _on_the_cited_study(summaries: list[Summary]) -> list[Summary]:
    """Each part judged on what the cited study found.  A study found as cited by one
    part of a claim is the study the whole claim cites: "a study showed ketamine
    reduces suicidal thoughts within 24 hours, with the effect lasting up to 1 week" is
    one study, and a part it does not report is a detail it leaves out, not a sign
    that the study is not in the store."""
    cited = {f.facts.record_id: f.facts.ref for s in summaries
             if s.citation and s.citation.found for f in s.citation.matched}
    out = []
    for s in summaries:
        assert s.citation is not None
        if s.citation.found:
            ids = {f.facts.record_id for f in s.citation.matched}
        elif cited:
            ids = set(cited)
            s.citation = replace(s.citation, found_by_claim=sorted(set(cited.values())),
                                 matched=[f for f in s.findings if f.facts.record_id in ids])
        else:
            out.append(s)
            continue
        out.append(Summary(s.part, [f for f in s.findings if f.facts.record_id in ids],
                           s.citation))
    return out


def _notes(parts: list[PartReport]) -> list[str]:
    """Records shown but not counted, by reason (retracted ones are always named)."""
    counts: dict[str, set[str]] = {}
    for part in parts:
        for f in part.summary.excluded:
            counts.setdefault(f.excluded, set()).add(f.facts.ref)
    return [f"{reason}: {len(refs)} record(s) shown, not counted"
            + (f" ({', '.join(sorted(refs))})" if reason == "retracted" else "")
            for reason, refs in sorted(counts.items())]
