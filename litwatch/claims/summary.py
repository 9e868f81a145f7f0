"""The evidence summary of one assertion: each record's finding, its strength, what it
reports of the claimed details, and why a record is shown but not counted.

A record's finding is the sum of its readings: for and against together are
"mixed" (a trial that helped clinician ratings but not self-ratings), a stated
limitation alone is a "limit".  Records are counted only when they are human
data (animal studies count for mechanisms only), on the claimed indication and
population, not retracted, not off-topic and not a registration without results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from litwatch.claims import lexicon
from litwatch.claims.assertions import Assertion
from litwatch.claims.details import reports_effect, unreported_quantities
from litwatch.claims.reading import Reading, read
from litwatch.claims.records import RecordFacts
from litwatch.claims.timeframe import describe_hours

if TYPE_CHECKING:     # citation.py imports this module
    from litwatch.claims.citation import Citation

COUNTED_STANCES = ("for", "against", "mixed")
BENEFIT_KINDS = ("efficacy", "onset", "duration", "number", "citation")


@dataclass
class Finding:
    facts: RecordFacts
    readings: list[Reading]
    stance: str                    # for | against | mixed | limit
    excluded: str = ""             # why it is shown but not counted ("" = counted)
    population: bool = True        # studied the claimed population

    @property
    def counted(self) -> bool:
        return not self.excluded and self.stance in COUNTED_STANCES

    @property
    def onset(self) -> float | None:
        times = [r.onset for r in self.readings if r.stance == "for" and r.onset is not None]
        return min(times) if times else None

    reported_effect: bool = False  # some results sentence reports the claimed effect size

    @property
    def effect(self) -> bool:
        return self.reported_effect or any(r.effect for r in self.readings if r.stance == "for")

    @property
    def other_indication(self) -> bool:
        return all(r.other_indication for r in self.readings if r.stance == "for")


_HEDGED = re.compile(r"\b(?:may|might|could|suggest\w*|initial|preliminary|proof-of-concept|"
                     r"pilot|promising|appear\w*|possibl\w*)\b", re.IGNORECASE)


def stance_of(readings: list[Reading]) -> str:
    """The record's finding.  The authors' own unhedged conclusion, when it takes a
    side, is the finding (a positive trial with one null secondary outcome is still
    positive); otherwise every reading counts and for + against is "mixed"."""
    concluded = {r.stance for r in readings if r.sentence.role == "conclusions"
                 and r.stance in ("for", "against") and not _HEDGED.search(r.sentence.text)}
    if len(concluded) == 1:
        return concluded.pop()
    stances = {r.stance for r in readings}
    if "mixed" in stances or {"for", "against"} <= stances:
        return "mixed"
    for stance in ("for", "against", "limit"):
        if stance in stances:
            return stance
    return "limit"


@dataclass
class Summary:
    part: Assertion
    findings: list[Finding] = field(default_factory=list)
    citation: Citation | None = None   # for claims that cite a study

    @property
    def counted(self) -> list[Finding]:
        return [f for f in self.findings if f.counted]

    def with_stance(self, stance: str, tier: int | None = None) -> list[Finding]:
        return [f for f in self.counted if f.stance == stance
                and (tier is None or f.facts.tier == tier)]

    @property
    def strong_tier(self) -> int:
        """The weakest design tier that still counts as strong evidence for this claim:
        1 for a benefit, 2 for a mechanism (human experiments), 3 for a harm, a
        limitation, a status or a practice (any human record documents them)."""
        part = self.part
        if part.in_animals:
            return 4          # a claim about animals: animal studies are its evidence
        if part.kind in BENEFIT_KINDS and part.direction == "benefit":
            return 1
        return 2 if part.kind == "mechanism" else 3

    def strong(self, stance: str) -> list[Finding]:
        return [f for f in self.with_stance(stance) if f.facts.tier <= self.strong_tier]

    def best_tier(self, stance: str) -> int | None:
        tiers = [f.facts.tier for f in self.with_stance(stance)]
        return min(tiers) if tiers else None

    @property
    def limits(self) -> list[Finding]:
        return [f for f in self.findings if not f.excluded and f.stance == "limit"]

    @property
    def excluded(self) -> list[Finding]:
        return [f for f in self.findings if f.excluded]

    def missing_details(self) -> list[str]:
        """Claimed details no supporting record of the strongest tier reports."""
        tier = self.best_tier("for")
        support = self.strong("for") or (self.with_stance("for", tier) if tier else [])
        if not support:
            return []
        part, out = self.part, []
        window = part.window
        if window and window.onset_hours is not None and part.direction == "benefit":
            earliest = [f.onset for f in support if f.onset is not None]
            limit = window.onset_hours * (1.25 if window.precise else 1.0)
            if not earliest or min(earliest) > limit:
                seen = f"earliest reported {describe_hours(min(earliest))}" if earliest else \
                    "no time point reported"
                out.append(f"time frame '{window.label}' ({seen})")
        if part.effect_pct is not None and not any(f.effect for f in support):
            out.append(f"effect size {part.effect_pct:g}%")
        if part.population and not any(f.population for f in self.counted):
            out.append(f"population {', '.join(part.population)}")
        if part.routes and not any(set(f.facts.labels.get("route", [])) & set(part.routes)
                                   for f in support):
            out.append(f"route {', '.join(part.routes)}")
        # "mean increases of at most about 7.4/6.0 mm Hg": a figure no support states
        # (days are the claim's time frame, read above, unless a cited study's)
        unreported = [unreported_quantities(f.facts, part.label, ("point", "mmhg"))
                      for f in support]
        if all(unreported):
            out.append(f"the figure {', '.join(unreported[0])}")
        if part.kind == "regulatory" and part.indications and all(
                f.other_indication for f in support):
            out.append("for the claimed indication (records state it for another)")
        return out


def summarize(part: Assertion, candidates: list[RecordFacts]) -> Summary:
    findings = []
    for facts in candidates:
        readings = read(facts, part)
        if not readings:
            continue
        findings.append(Finding(facts, readings, stance_of(readings), _excluded(facts, part),
                                _studied(facts, part), reports_effect(facts, part)))
    summary = Summary(part, findings)
    _restrict_population(summary)
    _restrict_route(summary)
    return summary


def _excluded(facts: RecordFacts, part: Assertion) -> str:
    if facts.retracted:
        return "retracted"
    if facts.off_topic:
        return "off-topic"
    if facts.registered_only:
        return "registered trial, no results"
    if facts.tier >= 5:
        return "protocol"
    if facts.tier == 4 and part.kind != "mechanism" and not part.in_animals:
        return "animal / in vitro"
    have = set(facts.labels.get("indication", []))
    if not part.accepted and have and have <= lexicon.settings() and part.direction == "benefit":
        return "anaesthesia or healthy-volunteer setting"
    if part.accepted and have and part.kind not in ("mechanism", "regulatory", "practice"):
        shared = have & set(part.accepted)
        for label in have:   # "treatment-resistant bipolar depression" is not unipolar TRD
            if label not in part.accepted and shared <= set(lexicon.distinct(label)):
                shared = set()
        if not shared:
            return "other indication"
    patients = have - {"healthy_volunteers"}
    if part.accepted and patients and part.kind == "mechanism" and not (
            patients & set(part.accepted)):
        # How ketamine relieves pain is not shown by patients treated for depression
        # (nor by their healthy controls); volunteers alone speak to any indication.
        return "other indication"
    return ""


def _studied(facts: RecordFacts, part: Assertion) -> bool:
    if not part.population:
        return True
    pats = [lexicon.populations()[p] for p in part.population]
    texts = [facts.title] + [s.text for s in facts.sentences]
    return any(p.search(t) for p in pats for t in texts)


def _restrict_route(summary: Summary) -> None:
    # "Oral ketamine works" is decided by oral ketamine when there is any.
    part = summary.part
    if not part.routes or part.direction != "benefit" or part.kind == "citation":
        return
    has_route = [f for f in summary.counted
                 if set(f.facts.labels.get("route", [])) & set(part.routes)]
    if has_route:
        for f in summary.counted:
            if f not in has_route:
                f.excluded = "other route"


def _restrict_population(summary: Summary) -> None:
    # A claim about veterans is decided by studies of veterans when there are any.
    if summary.part.population and any(f.population and f.counted for f in summary.findings):
        for f in summary.findings:
            if not f.population and not f.excluded:
                f.excluded = "other population"
