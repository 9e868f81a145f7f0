"""The verdict rules: one ordered table, written once, printed in `litwatch claims --help`.

Each rule has an id (cited by every verdict), the verdict it gives, a one-line
text, and a condition over the evidence summary (litwatch/claims/rule_conditions.py)
that returns the specific reason
when the rule applies.  The first rule that applies decides.  Rules look at
designs, stances and claimed details, never at record ids: they are meant for
claims and stores this project has never seen.

Strength: tier 1 = systematic reviews and RCTs, 2 = other primary human studies,
3 = reviews and guidelines (statements), 4 = animal / in vitro.  What counts as
"the strongest designs available" depends on the claim: a benefit needs tier 1;
a mechanism may rest on human experiments (tiers 1-2); a harm, a limitation or a
status may be documented by any human record (tiers 1-3).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from litwatch.claims import rule_conditions as c

if TYPE_CHECKING:     # the table is printed by `litwatch claims --help`: keep it light
    from litwatch.claims.summary import Summary

NOT_FOUND, CONTRADICTED, PARTLY = "not found as cited", "contradicted", "partly supported"
SUPPORTED, NOT_ENOUGH = "supported", "not enough evidence"


@dataclass(frozen=True)
class Rule:
    id: str
    verdict: str
    text: str
    condition: Callable[[Summary], str | None]


RULES: tuple[Rule, ...] = (
    Rule("cited-not-found", NOT_FOUND, "The claim cites a study (journal, year, institution, "
         "country, trial name, or one study it describes: 'a pilot study found') "
         "and no stored record matches the citation and reports the claimed finding "
         "(population, time point, effect) in its results or conclusions.", c.cited_not_found),
    Rule("nothing-to-check", NOT_ENOUGH, "The claim names no effect, condition, outcome, "
         "time or number that a study could report (cost, coverage, legal status ...), names "
         "no ketamine-family drug (what it says is about the disease or other drugs), or "
         "states only how the treatment is given.",
         c.nothing_to_check),
    Rule("absolute-contradicted", CONTRADICTED, "The claim is stated as absolute ('non-"
         "addictive', 'a cure') and one solid human record reports what it denies.", c.absolute),
    Rule("no-finding", NOT_ENOUGH, "No counted record reports a finding on the claim: only "
         "registrations, background, stated limitations, or nothing.", c.no_finding),
    Rule("population-not-studied", NOT_ENOUGH, "The claim is about a population (veterans, "
         "children ...) that no counted record studied.", c.population_not_studied),
    Rule("harms-partly-reported", PARTLY, "The claim lists several harms and human records "
         "report some of them but not the others.", c.harms_partly_reported),
    Rule("harm-possible", SUPPORTED, "The claim says a harm can happen ('can cause', 'in "
         "some people') and two or more human records report it; records where it did not "
         "happen do not refute a 'can'.", c.harm_possible),
    Rule("harm-possible-unseen", NOT_ENOUGH, "The claim says a harm can happen and no "
         "human record reports it, only records where it did not happen, which do not "
         "refute a 'can'.", c.harm_possible_unseen),
    Rule("stronger-against", CONTRADICTED, "Findings against the claim (null results, harms) "
         "come from a stronger design than any finding for it.", c.stronger_against),
    Rule("weight-against", CONTRADICTED, "At the strongest design with findings, those "
         "against outnumber those for by two to one or more.", c.weight_against),
    Rule("conflict", PARTLY, "Findings for and against the claim from designs of equal "
         "strength.", c.conflict),
    Rule("animal-only", PARTLY, "A mechanism shown only in animal or in-vitro studies, in "
         "no human study.", c.animal_only),
    Rule("statements-only", NOT_ENOUGH, "A benefit or mechanism only stated by reviews or "
         "guidelines, with no primary finding.", c.statements_only),
    Rule("weaker-designs-only", PARTLY, "Support only from designs weaker than the claim "
         "needs (no systematic review or RCT for a benefit).", c.weaker_only),
    Rule("mixed-or-single", PARTLY, "The strongest findings are mixed, or one study alone "
         "supports the claim (a hedged benefit, 'can help some patients', is shown by one "
         "randomized trial).", c.mixed_or_single),
    Rule("detail-not-reported", PARTLY, "The supporting records do not report a claimed "
         "detail: time frame, effect size, population, route or indication.", c.details),
    Rule("design-not-seen", PARTLY, "The claim names the kind of study that found it ('a "
         "meta-analysis', 'guidelines') and no stored record of that kind reports it, though "
         "others do.", c.design_not_seen),
    Rule("weight-for", SUPPORTED, "At the strongest design with findings, those for "
         "outnumber those against or mixed by four to one or more (at least four for); "
         "the few against are named.", c.weight_for),
    Rule("concordant-support", SUPPORTED, "Concordant findings from the strongest designs "
         "available, and none against at that strength.", c.concordant),
    Rule("nothing-applies", NOT_ENOUGH, "No rule above applies.", lambda s: "no finding"),
)


def decide(summary: Summary) -> tuple[Rule, str]:
    """The first rule whose condition holds, with its specific reason."""
    for rule in RULES:
        reason = rule.condition(summary)
        if reason:
            return rule, reason
    raise AssertionError("the last rule always applies")


# Claims of several parts ("fast-acting and long-lasting", one per indication).
PARTS_AGREE = Rule("parts-agree", "", "Every part of a compound claim gets the same verdict: "
                   "that verdict.", lambda s: None)
PARTS_DISAGREE = Rule("parts-disagree", PARTLY, "Parts of a compound claim disagree: partly "
                      "supported when a part is supported; else contradicted when a part is "
                      "contradicted (weak support for another part does not rescue it); else "
                      "partly supported when a part is, else not enough evidence.",
                      lambda s: None)


def combine(verdicts: list[str]) -> tuple[Rule, str]:
    if len(set(verdicts)) == 1:
        return PARTS_AGREE, verdicts[0]
    for verdict in (SUPPORTED, CONTRADICTED, PARTLY):
        if verdict in verdicts:
            return PARTS_DISAGREE, PARTLY if verdict == SUPPORTED else verdict
    return PARTS_DISAGREE, NOT_ENOUGH


# How the evidence summary is built, before any rule runs (printed with the table).
READING = (
    "Only results and conclusions sentences of a record are its finding (background, "
    "methods and registry text never are); each clause is read with the sentence "
    "layer's direction.",
    "A null or negative result counts against a benefit, never for it; a stated "
    "limitation ('not assessed', 'low-quality evidence') is neither.",
    "Threshold numbers ('response, defined as a 50% reduction') are not reported effects.",
    "Retracted and off-topic records, registrations without results, protocols, animal "
    "studies (except for mechanisms), other indications, populations and routes than "
    "claimed are shown but not counted.",
    "Strength tiers: 1 systematic reviews and RCTs; 2 other primary human studies; 3 "
    "reviews and guidelines; 4 animal / in vitro.  A benefit needs tier 1, a mechanism "
    "tier 1-2, a harm, limitation or status any human record.",
)


def rules_text(width: int = 88) -> str:
    """The rule table as plain text (help, README)."""
    import textwrap
    lines = [textwrap.fill(f"- {text}", width, subsequent_indent="  ") for text in READING]
    lines.append("Rules, first match decides:")
    for i, rule in enumerate((*RULES, PARTS_AGREE, PARTS_DISAGREE), 1):
        head = f"{i:>2}. {rule.id} -> {rule.verdict or 'the parts’ verdict'}: "
        lines.append(textwrap.fill(head + rule.text, width, subsequent_indent="    "))
    return "\n".join(lines)
