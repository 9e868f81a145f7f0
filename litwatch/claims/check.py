"""Check claims against the store: evidence, citation, facets, suggested verdict."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from litwatch import vocab
from litwatch.claims.citation import Citation, check_citation
from litwatch.claims.evidence import Evidence, counts_by_design, find_evidence, has_facet
from litwatch.claims.model import Claim
from litwatch.claims.textsearch import TextIndex
from litwatch.claims.verdict import NOT_HUMAN_DATA, Assessment, Facet, Findings, assess


@dataclass
class ClaimReport:
    claim: Claim
    evidence: list[Evidence]
    counts: dict[str, int]
    citation: Citation
    facets: list[Facet]
    assessment: Assessment

    @property
    def suggested(self) -> str:
        return self.assessment.verdict

    @property
    def verdict(self) -> str:
        """What the claim is judged to be: a reviewer's verdict wins over the rules."""
        reviewer = self.claim.reviewer
        return reviewer.verdict if reviewer else self.assessment.verdict


def check_claims(engine: Engine, claims: list[Claim]) -> list[ClaimReport]:
    index = TextIndex(engine)          # shared, so phrases common to claims run once
    return [check_claim(engine, claim, index) for claim in claims]


def check_claim(engine: Engine, claim: Claim, index: TextIndex | None = None) -> ClaimReport:
    index = index or TextIndex(engine)
    evidence = find_evidence(engine, claim, index)
    citation = check_citation(engine, claim, evidence)
    facets = facet_coverage(claim, evidence, index)
    assessment = assess(Findings(claim, evidence, citation, facets))
    return ClaimReport(claim, evidence, counts_by_design(evidence), citation, facets, assessment)


def facet_coverage(claim: Claim, evidence: list[Evidence], index: TextIndex) -> list[Facet]:
    """Each thing the claim implies, with the supporting records that show it."""
    support = [e for e in evidence
               if e.stance in ("for", "qualified") and e.design not in NOT_HUMAN_DATA]
    imp, facets = claim.implies, []
    for family, values, names in (("indication", imp.indications, vocab.INDICATIONS),
                                  ("route", imp.routes, vocab.ROUTES),
                                  ("drug", imp.drugs, vocab.DRUGS)):
        for value in values:
            facets.append(Facet(f"{family} {names[value]}",
                                [e.source_id for e in support
                                 if has_facet(e, family, value, index)]))
    if imp.designs:
        facets.append(Facet("design " + " or ".join(vocab.DESIGNS[d] for d in imp.designs),
                            [e.source_id for e in support if e.design in imp.designs]))
    for name, queries in claim.search.facets:
        hits = index.any_of(queries)
        shown = ", ".join(f"'{q}'" for q in queries[:3])
        facets.append(Facet(f"{name} ({shown})",
                            [e.source_id for e in support if e.record_id in hits], textual=True))
    return facets
