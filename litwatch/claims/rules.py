"""The verdict rules: one ordered table, written once, printed in `litwatch claims --help`.

Each rule has an id (cited by every verdict), the verdict it gives, a one-line
text, and a condition over the evidence summary that returns the specific reason
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


def _designs(findings) -> str:
    names: list[str] = []
    for f in findings:
        if f.facts.design_name.lower() not in names:
            names.append(f.facts.design_name.lower())
    return ", ".join(names)


def _ids(findings, limit: int = 4) -> str:
    more = " ..." if len(findings) > limit else ""
    return ", ".join(f.facts.ref for f in findings[:limit]) + more


def _supportish_tier(s: Summary) -> int | None:
    tiers = [t for t in (s.best_tier("for"), s.best_tier("mixed")) if t is not None]
    return min(tiers) if tiers else None


def _cited_not_found(s: Summary) -> str | None:
    c = s.citation
    if c is None or c.found:
        return None
    near = f"; nearest: {' | '.join(c.near[:3])}" if c.near else "; no candidate in the store"
    return f"no stored record matches {c.cited} and reports the claimed finding{near}"


def _absolute(s: Summary) -> str | None:
    against = [f for f in s.counted if f.stance in ("against", "mixed") and f.facts.human]
    if not s.part.absolute or not against:
        return None
    return f"stated as absolute; {len(against)} human record(s) report otherwise ({_ids(against)})"


def _no_finding(s: Summary) -> str | None:
    if s.counted:
        return None
    parts = []
    if s.limits:
        parts.append(f"{len(s.limits)} record(s) only state it is not established")
    shown = {f.excluded for f in s.excluded}
    if shown:
        parts.append("shown but not counted: " + ", ".join(sorted(shown)))
    return "no counted record reports a finding on it" + (f" ({'; '.join(parts)})" if parts else "")


def _population_not_studied(s: Summary) -> str | None:
    if not s.part.population or any(f.population for f in s.counted):
        return None
    return f"no counted record studied {', '.join(s.part.population).replace('_', ' ')}"


def _stronger_against(s: Summary) -> str | None:
    against, support = s.best_tier("against"), _supportish_tier(s)
    if against is None or (support is not None and support <= against):
        return None
    found = s.with_stance("against", against)
    base = "nothing supports it" if support is None else "support comes from weaker designs"
    return f"{len(found)} {_designs(found)} against it ({_ids(found)}); {base}"


def _weight_against(s: Summary) -> str | None:
    tier = s.best_tier("against")
    if tier is None or _supportish_tier(s) != tier:
        return None
    against = s.with_stance("against", tier)
    support = s.with_stance("for", tier) + s.with_stance("mixed", tier)
    if len(against) >= 2 and len(against) >= 2 * len(support):
        return (f"{len(against)} against ({_ids(against)}) vs {len(support)} for at the "
                "same strength")
    return None


def _weight_for(s: Summary) -> str | None:
    """The mirror of weight-against: one small null among many concordant trials of the
    same strength does not make the evidence conflicting; it is named in the reason."""
    tier = s.best_tier("against")
    if tier is None or _supportish_tier(s) != tier:
        return None
    against = s.with_stance("against", tier) + s.with_stance("mixed", tier)
    support = s.with_stance("for", tier)
    if len(support) >= 4 and len(support) >= 4 * len(against):
        return (f"{len(support)} for ({_ids(support)}) vs {len(against)} against or mixed "
                f"({_ids(against)}) at the same strength")
    return None


def _conflict(s: Summary) -> str | None:
    tier = s.best_tier("against")
    if tier is None or _supportish_tier(s) != tier or _weight_for(s):
        return None
    against = s.with_stance("against", tier)
    support = s.with_stance("for", tier) + s.with_stance("mixed", tier)
    return f"for: {_ids(support)}; against: {_ids(against)} ({_designs(against)})"


def _animal_only(s: Summary) -> str | None:
    # Reviews that state the mechanism add no experiment of their own: an animal
    # finding with a review beside it is still shown only in animals.
    tiers = {f.facts.tier for f in s.with_stance("for")}
    if s.part.kind != "mechanism" or 4 not in tiers or tiers & {1, 2}:
        return None
    found = s.with_stance("for", 4)
    return f"only animal / in vitro studies report it ({_ids(found)})"


def _statements_only(s: Summary) -> str | None:
    tier = _supportish_tier(s)
    if tier is None or tier < 3 or s.strong_tier >= 3:
        return None
    return f"only reviews or guidelines state it ({_ids(s.with_stance('for', tier))})"


def _weaker_only(s: Summary) -> str | None:
    tier = _supportish_tier(s)
    if tier is None or tier <= s.strong_tier:
        return None
    found = s.with_stance("for", tier) + s.with_stance("mixed", tier)
    return f"best support: {_designs(found)} ({_ids(found)}); no stronger design"


def _mixed_or_single(s: Summary) -> str | None:
    if _supportish_tier(s) is None:
        return None
    support, mixed = s.strong("for"), s.strong("mixed")
    if len(mixed) >= len(support):
        return f"the strongest findings are mixed ({_ids(mixed)})"
    reviews = [f for f in support if f.facts.design == "systematic_review"]
    cited = s.citation is not None and s.citation.found    # "a study found": that study
    if len(support) == 1 and not reviews and not cited:
        return f"a single study supports it ({_ids(support)}); not replicated"
    return None


def _details(s: Summary) -> str | None:
    missing = s.missing_details()
    return "supporting records do not report: " + "; ".join(missing) if missing else None


def _design_not_seen(s: Summary) -> str | None:
    named = s.part.designs
    support = [f for f in s.counted if f.stance in ("for", "mixed")]
    if not named or not support or any(f.facts.design in named for f in support):
        return None
    wanted = " or ".join(d.replace("_", " ") for d in named)
    return f"no {wanted} in the store reports it; {_designs(support)} do ({_ids(support)})"


# A possible harm needs this many human records of it.
_POSSIBLE_MIN = 2


def _nothing_to_check(s: Summary) -> str | None:
    # Imported here, not at the top: `claims --help` prints this table and loads no lexicon.
    from litwatch.claims import lexicon
    part = s.part
    if part.kind != "efficacy" or part.indications or part.concepts or part.population \
            or part.window or part.effect_pct or lexicon.has("effect_words", part.label):
        return None
    return "the claim names no effect, condition, outcome or time that a study could report"


def _says_harm_can_happen(s: Summary) -> bool:
    return s.part.direction == "harm" and not s.part.absolute and s.part.possible


def _harm_possible(s: Summary) -> str | None:
    if not _says_harm_can_happen(s):
        return None
    found = [f for f in s.counted if f.stance == "for" and f.facts.human]
    if len(found) < _POSSIBLE_MIN:
        return None
    return (f"the claim says it can happen; {len(found)} human record(s) report it "
            f"({_ids(found)})")


def _harm_possible_unseen(s: Summary) -> str | None:
    """"Can cause X" where no human record reports X, only records where it did not
    happen: absence in some patients does not refute a 'can'."""
    if not _says_harm_can_happen(s):
        return None
    if any(f.stance == "for" and f.facts.human for f in s.counted):
        return None
    unseen = [f for f in s.counted if f.stance == "against"]
    return f"no human record reports it; it did not happen in {_ids(unseen)}" if unseen \
        else None


def _concordant(s: Summary) -> str | None:
    found = s.strong("for")
    if not found:
        return None
    return (f"{len(found)} concordant {_designs(found)} ({_ids(found)}), none against at "
            "that strength")


RULES: tuple[Rule, ...] = (
    Rule("cited-not-found", NOT_FOUND, "The claim cites a study (journal, year, institution, "
         "trial name) "
         "and no stored record matches the citation and reports the claimed finding "
         "(population, time point, effect) in its results or conclusions.", _cited_not_found),
    Rule("nothing-to-check", NOT_ENOUGH, "The claim names no effect, condition, outcome, "
         "time or number that a study could report (cost, coverage, legal status ...).",
         _nothing_to_check),
    Rule("absolute-contradicted", CONTRADICTED, "The claim is stated as absolute ('non-"
         "addictive', 'a cure') and one solid human record reports what it denies.", _absolute),
    Rule("no-finding", NOT_ENOUGH, "No counted record reports a finding on the claim: only "
         "registrations, background, stated limitations, or nothing.", _no_finding),
    Rule("population-not-studied", NOT_ENOUGH, "The claim is about a population (veterans, "
         "children ...) that no counted record studied.", _population_not_studied),
    Rule("harm-possible", SUPPORTED, "The claim says a harm can happen ('can cause', 'in "
         "some people') and two or more human records report it; records where it did not "
         "happen do not refute a 'can'.", _harm_possible),
    Rule("harm-possible-unseen", NOT_ENOUGH, "The claim says a harm can happen and no "
         "human record reports it, only records where it did not happen, which do not "
         "refute a 'can'.", _harm_possible_unseen),
    Rule("stronger-against", CONTRADICTED, "Findings against the claim (null results, harms) "
         "come from a stronger design than any finding for it.", _stronger_against),
    Rule("weight-against", CONTRADICTED, "At the strongest design with findings, those "
         "against outnumber those for by two to one or more.", _weight_against),
    Rule("conflict", PARTLY, "Findings for and against the claim from designs of equal "
         "strength.", _conflict),
    Rule("animal-only", PARTLY, "A mechanism shown only in animal or in-vitro studies, in "
         "no human study.", _animal_only),
    Rule("statements-only", NOT_ENOUGH, "A benefit or mechanism only stated by reviews or "
         "guidelines, with no primary finding.", _statements_only),
    Rule("weaker-designs-only", PARTLY, "Support only from designs weaker than the claim "
         "needs (no systematic review or RCT for a benefit).", _weaker_only),
    Rule("mixed-or-single", PARTLY, "The strongest findings are mixed, or one study alone "
         "supports the claim.", _mixed_or_single),
    Rule("detail-not-reported", PARTLY, "The supporting records do not report a claimed "
         "detail: time frame, effect size, population, route or indication.", _details),
    Rule("design-not-seen", PARTLY, "The claim names the kind of study that found it ('a "
         "meta-analysis', 'guidelines') and no stored record of that kind reports it, though "
         "others do.", _design_not_seen),
    Rule("weight-for", SUPPORTED, "At the strongest design with findings, those for "
         "outnumber those against or mixed by four to one or more (at least four for); "
         "the few against are named.", _weight_for),
    Rule("concordant-support", SUPPORTED, "Concordant findings from the strongest designs "
         "available, and none against at that strength.", _concordant),
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
