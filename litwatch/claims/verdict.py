"""The suggested verdict: small named rules, each giving a human-readable reason.

Rules run in order over a claim's findings; the first that returns a verdict
decides, and every rule's reason is printed beside it so a reader can see why.
Rules know designs and stances, never record ids: they are meant to judge
claims and stores this project has never seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from litwatch import vocab
from litwatch.claims.citation import Citation
from litwatch.claims.evidence import Evidence
from litwatch.claims.model import Claim

# Design tiers.  Harms (dependence, cystitis) are documented by observational
# studies, case series and reviews, so counter-evidence is accepted from any
# human-data design; support must come from primary studies.
RANDOMIZED = ("systematic_review", "rct")
CONTROLLED = (*RANDOMIZED, "non_randomized")
UNCONTROLLED = ("single_arm", "observational", "case_report")
NOT_HUMAN_DATA = ("preclinical", "protocol")


@dataclass
class Facet:
    """Something the claim implies (a route, an indication, a time frame) and who shows it."""

    name: str
    covered_by: list[str] = field(default_factory=list)
    textual: bool = False        # named phrases (effect, time frame), not a label


@dataclass
class Findings:
    claim: Claim
    evidence: list[Evidence]
    citation: Citation
    facets: list[Facet]

    @property
    def support(self) -> list[Evidence]:
        return [e for e in self.evidence if e.stance in ("for", "qualified")]

    @property
    def primary_support(self) -> list[Evidence]:
        return [e for e in self.support if e.design in CONTROLLED + UNCONTROLLED]

    @property
    def counter(self) -> list[Evidence]:
        """Records that refute the claim (human data only)."""
        return [e for e in self.evidence
                if e.stance == "against" and e.design not in NOT_HUMAN_DATA]

    @property
    def qualifiers(self) -> list[Evidence]:
        return [e for e in self.evidence
                if e.stance == "qualified" and e.design not in NOT_HUMAN_DATA]


@dataclass
class RuleResult:
    rule: str
    verdict: str | None          # None: the rule only notes something
    reason: str


@dataclass
class Assessment:
    verdict: str
    decided_by: str
    results: list[RuleResult]


Rule = Callable[[Findings], RuleResult | None]


def _best(evidence: list[Evidence]) -> int:
    return min((vocab.design_rank(e.design) for e in evidence), default=len(vocab.DESIGNS))


def _designs(evidence: list[Evidence]) -> str:
    names: list[str] = []
    for ev in evidence:
        name = vocab.DESIGNS.get(ev.design or "", "unclassified").lower()
        if name not in names:
            names.append(name)
    return ", ".join(names)


def counter_evidence_outweighs(f: Findings) -> RuleResult | None:
    counter, support = f.counter, f.primary_support
    if not counter:
        return None
    what = (f.claim.counter.reason if f.claim.counter else "") or "what the claim denies"
    head = f"{len(counter)} record(s) report {what} ({_designs(counter)})"
    if f.claim.absolute:
        return RuleResult("counter_evidence_outweighs", "contradicted",
                          f"{head}; the claim is stated as absolute, so one is enough")
    if not support:
        return RuleResult("counter_evidence_outweighs", "contradicted",
                          f"{head}; no primary study supports the claim")
    if _best(counter) < _best(support):
        return RuleResult("counter_evidence_outweighs", "contradicted",
                          f"{head}; they come from stronger designs than the support "
                          f"({_designs(support)})")
    return None


def cited_study_not_found(f: Findings) -> RuleResult | None:
    c = f.citation
    if not c.cited:
        return None
    if c.found:
        ids = ", ".join(e.source_id for e in c.matched)
        near = f" (not matching: {' | '.join(c.near[:3])})" if c.near else ""
        return RuleResult("cited_study_not_found", None,
                          f"cited study found: {c.cited} -> {ids}{near}")
    near = f"; closest: {' | '.join(c.near[:3])}" if c.near else ""
    rest = (f"; {len(f.primary_support)} other record(s) bear on the substance"
            if f.primary_support else "")
    return RuleResult("cited_study_not_found", "not found as cited",
                      f"no stored record on this claim matches {c.cited}{near}{rest}")


def cited_study_lacks_facets(f: Findings) -> RuleResult | None:
    """The cited study is there but does not report the effect or time frame claimed."""
    cited = {e.source_id for e in f.citation.matched}
    if not cited:
        return None
    missing = [x.name for x in f.facets if x.textual and not cited & set(x.covered_by)]
    if not missing:
        return None
    return RuleResult("cited_study_lacks_facets", "partly supported",
                      f"the cited study ({', '.join(sorted(cited))}) does not state: "
                      f"{', '.join(missing)}")


def no_primary_evidence(f: Findings) -> RuleResult | None:
    if f.primary_support:
        return None
    other = f.support
    reason = (f"only {_designs(other)} ({len(other)} record(s)); no primary human study"
              if other else "no stored record supports it")
    return RuleResult("no_primary_evidence", "not enough evidence", reason)


def uncontrolled_only(f: Findings) -> RuleResult | None:
    if not f.primary_support or any(e.design in RANDOMIZED for e in f.primary_support):
        return None
    return RuleResult("uncontrolled_only", "partly supported",
                      f"no randomized evidence; best design: {_designs(f.primary_support[:1])}")


def qualified_by_counter_evidence(f: Findings) -> RuleResult | None:
    parts = []
    for records, table in ((f.counter, f.claim.counter), (f.qualifiers, f.claim.qualifier)):
        if records:
            what = (table.reason if table else "") or "limits"
            parts.append(f"{len(records)} record(s) report {what} ({_designs(records)})")
    if not parts:
        return None
    return RuleResult("qualified_by_counter_evidence", "partly supported",
                      "supported, but " + "; ".join(parts))


def facets_uncovered(f: Findings) -> RuleResult | None:
    missing = [x.name for x in f.facets if not x.covered_by]
    if not missing:
        return None
    return RuleResult("facets_uncovered", "partly supported",
                      f"no supporting record shows: {', '.join(missing)}")


def randomized_support(f: Findings) -> RuleResult | None:
    strong = [e for e in f.primary_support if e.design in RANDOMIZED]
    if not strong:
        return None
    covered = f"; covers {', '.join(x.name for x in f.facets)}" if f.facets else ""
    return RuleResult("randomized_support", "supported",
                      f"{len(strong)} randomized trial(s)/systematic review(s) support it"
                      f"{covered}")


def retracted_excluded(f: Findings) -> RuleResult | None:
    n = sum(e.retracted for e in f.evidence)
    return RuleResult("retracted_excluded", None,
                      f"{n} retracted record(s) shown but not counted") if n else None


def registrations_listed(f: Findings) -> RuleResult | None:
    n = sum(e.stance == "registered" for e in f.evidence)
    return RuleResult("registrations_listed", None,
                      f"{n} registered trial(s) without posted results shown but not counted"
                      ) if n else None


RULES: list[Rule] = [retracted_excluded, registrations_listed, counter_evidence_outweighs,
                     cited_study_not_found, no_primary_evidence, uncontrolled_only,
                     cited_study_lacks_facets, qualified_by_counter_evidence, facets_uncovered,
                     randomized_support]


def assess(findings: Findings, rules: list[Rule] = RULES) -> Assessment:
    """Run every rule; the first with a verdict decides."""
    results = [r for r in (rule(findings) for rule in rules) if r is not None]
    decisive = next((r for r in results if r.verdict is not None), None)
    if decisive is None:        # unreachable with RULES; a custom rule list may stop short
        decisive = RuleResult("no_rule_decided", "not enough evidence", "no rule applied")
        results.append(decisive)
    return Assessment(decisive.verdict or "", decisive.rule, results)
