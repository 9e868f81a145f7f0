"""How one record's sentences bear on one assertion: for, against, mixed, a limit.

Only what a study *found* counts: results and conclusions sentences (registry
text has none; regulatory and practice facts may be stated anywhere).  Sentences
are read clause by clause ("X improved, whereas Y did not" makes two readings),
with the sentence layer's direction of each clause; a clause about a comparator
alone, a predictor analysis or another indication's outcome says nothing about
the claim.  A null result counts against a benefit, never for it; a stated
limitation ("not assessed", "low-quality evidence") is neither.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from litwatch.claims import lexicon
from litwatch.claims.assertions import Assertion
from litwatch.claims.details import (
    FINDING_ROLES,
    durability,
    effect_reported,
    head_to_head,
)
from litwatch.claims.reading_harm import focus_named, harm_reading, ranking_reading
from litwatch.claims.reading_mechanism import change_in, mechanism_reading, near
from litwatch.claims.reading_scope import comparator_only, other_enantiomer_only
from litwatch.claims.records import RecordFacts
from litwatch.claims.statements import Reading, practice, statement
from litwatch.claims.timeframe import reported_onsets
from litwatch.classify.sentences import Number, Sentence, direction_of

# How a drug is given is a methods fact, stated in methods and registry arm groups.
PRACTICE_ROLES = FINDING_ROLES | {"methods", "arm_group", "intervention", "brief_summary",
                                  "detailed_description"}
_CLAUSE = re.compile(
    r"\s*;\s*|,\s*(?:but|whereas|while|although|though|however|yet)\s+"
    r"|\s+(?:but|whereas|although|though|however)\s+"
    r"|\s+and\s+(?=(?:was|were|increased|decreased|reduced|improved|caused|worsened|produced|"
    r"lowered)\b)|,\s+and\s+(?=(?:the|its|their|it|this|these)\b)", re.IGNORECASE)
_TREATED_ADDICTIONS = {"alcohol_use", "opioid_use", "cocaine_use"}
_DRUG_CLASS = re.compile(
    r"\b(?:nmda|n-methyl-d-aspartate)(?: receptor)? (?:antagonists?|blockers?|compounds?|"
    r"drugs?|agents?|modulators?)\b", re.IGNORECASE)


def clauses(text: str) -> list[str]:
    return [c.strip(" ,.") for c in _CLAUSE.split(text) if c and c.strip(" ,.")]


def read(facts: RecordFacts, part: Assertion) -> list[Reading]:
    """Every clause of the record that bears on the assertion."""
    roles = _roles(part)
    out: list[Reading] = []
    if part.condition and not _names_condition(facts, part.condition):
        return out          # a claim about Rett syndrome: only records about it count
    for sentence in facts.sentences:
        if sentence.role not in roles and not (part.kind == "regulatory"):
            continue
        for clause in clauses(sentence.text):
            reading = _clause(clause, sentence, facts, part)
            if reading:
                out.append(reading)
    return out


def _names_condition(facts: RecordFacts, condition: str) -> bool:
    return condition in facts.title.lower() or any(
        condition in s.text.lower() for s in facts.sentences)


def _roles(part: Assertion) -> frozenset[str]:
    return PRACTICE_ROLES if part.kind == "practice" else FINDING_ROLES


def _numbers(clause: str, sentence: Sentence) -> tuple[Number, ...]:
    # The sentence layer typed the numbers with the whole sentence as context (a
    # threshold "defined as >=50%" keeps its flag when the clause is cut short).
    return tuple(n for n in sentence.numbers if n.text in clause)


def _clause(clause: str, sentence: Sentence, facts: RecordFacts,
            part: Assertion) -> Reading | None:
    if comparator_only(clause) or other_enantiomer_only(sentence.text, part):
        return None
    if part.kind == "regulatory":
        return statement(clause, sentence, part)
    if part.kind == "practice":
        return practice(clause, sentence, part)
    ranked = ranking_reading(clause, sentence, part)
    if ranked:
        return ranked
    if part.concepts and not _names_concept(clause, facts, part):
        return None
    if part.kind == "mechanism" and not _names_concept(clause, None, part):
        # Relevant through the record's title only: a null here is about something else,
        # and a rise or fall here is of something else ("a decrease in gain of parietal
        # cells" under a title on AMPA-mediated connectivity does not lower glutamate).
        if part.change:
            return None
        reading = mechanism_reading(clause, sentence, part)
        return reading if reading and reading.stance == "for" else None
    if part.direction in ("no_harm", "transient", "harm"):
        return harm_reading(clause, sentence, part)
    if part.direction == "uncertain":
        limited = lexicon.has("limitation", clause) or lexicon.has("uncertain", clause)
        return Reading(sentence, clause, "for", "states it is not established") if limited else None
    if part.direction == "affirm":
        return mechanism_reading(clause, sentence, part)
    reading = _benefit(clause, sentence, facts, part)
    return _flipped(reading) if part.negated and reading else reading


_FLIP = {"for": "against", "against": "for"}


def _flipped(reading: Reading) -> Reading:
    """A claim of no benefit is supported by null results and refuted by benefits."""
    stance = _FLIP.get(reading.stance, reading.stance)
    return replace(reading, stance=stance, why=f"{reading.why} (the claim says none)",
                   onset=None, effect=False)


def _names_concept(clause: str, facts: RecordFacts | None, part: Assertion) -> bool:
    # A mechanism study's title names what its findings are about ("Glutamatergic
    # signaling drives ketamine-mediated response"): its findings count for it.
    # "A trial of an NMDA antagonist" names the drug's class, not a mechanism finding.
    title = _DRUG_CLASS.sub(" ", facts.title) if facts else ""
    if part.kind == "mechanism" and any(lexicon.concepts()[k].regex.search(title)
                                        for k in part.concepts):
        return True
    if part.focus and focus_named(clause, part):
        return True
    for key in part.concepts:
        concept = lexicon.concepts()[key]
        if concept.role == "therapy" and facts is not None and _studied_with(facts, concept):
            return True         # "ketamine psychotherapy": its results need not repeat it
        if part.focus and (general := lexicon.generic(key)):
            # A named harm: only its own words, or (for "it passes", "it is minimal")
            # the concept's generic words ("side effects were transient").
            if part.direction != "harm" and general.search(clause):
                return True
            continue
        # Craving and relapse in a trial *treating* an addiction are its outcomes,
        # not evidence that ketamine itself is addictive.
        if key == "addiction" and facts and set(facts.labels.get("indication", [])) & \
                _TREATED_ADDICTIONS:
            continue
        if concept.regex.search(clause):
            return True
    return False


def _studied_with(facts: RecordFacts, concept: lexicon.Concept) -> bool:
    """A co-intervention the record's title or methods name: every finding is of both."""
    return bool(concept.regex.search(facts.title)) or any(
        concept.regex.search(s.text) for s in facts.sentences
        if s.role in ("title", "methods", "objective", "arm_group", "intervention"))


# "... when controlling for the effects on depression and anxiety": what an analysis
# adjusted for is not what it found.
_ADJUSTED_TAIL = re.compile(r"(?:[,;]\s*|\b(?:when|after|while) )"
                            r"(?:controlling|adjusting|correcting) for\b.*$"
                            r"|[,;]?\s*\bindependent(?:ly)? of\b.*$", re.IGNORECASE)


def _about_indication(clause: str, part: Assertion) -> bool:
    """Does the clause speak of the claimed indication's outcome (or of nothing else)?"""
    if not part.indications:
        return True
    clause = _ADJUSTED_TAIL.sub("", clause)
    own = [lexicon.outcome_pattern(i) for i in part.indications]
    if any(p is not None and p.search(clause) for p in own):
        return True
    others = lexicon.other_outcomes(part.indications[0])
    return not (others and others.search(clause))


def _benefit(clause: str, sentence: Sentence, facts: RecordFacts,
             part: Assertion) -> Reading | None:
    if not _about_indication(clause, part) or lexicon.has("predictor", clause):
        return None
    direction = direction_of(clause) if clause != sentence.text else sentence.direction
    if lexicon.has("limitation", clause) and direction != "benefit":
        return Reading(sentence, clause, "limit", "states a limitation")
    numbers = _numbers(clause, sentence)
    if part.durable:
        return durability(clause, sentence, direction, numbers, part)
    if part.versus:     # an add-on to ECT compares anaesthetics, not ketamine with ECT
        if _add_on(facts) or not _gave_both(facts, part):
            return None
        return head_to_head(clause, sentence, direction, part)
    if part.comparative and not lexicon.has("combination_contrast", clause):
        return None          # "ketamine with therapy beat placebo" is not "beat ketamine alone"
    if part.concepts and part.change:
        change = change_in(near(clause, part))
        # Relapse and suicidal behaviour are harms a benefit lowers: a clause read as a
        # benefit moved them the good way, whatever its verbs ("promoting abstinence,
        # diminishing craving, and reducing risk of relapse").
        opposite = "down" if part.change == "up" else "up"
        lowered = direction == "benefit" and bool(_LOWERED_OUTCOMES & set(part.concepts))
        if change == "null" or change == opposite and not lowered:
            return Reading(sentence, clause, "against", f"{change} on the outcome")
    if direction == "benefit":
        onsets = reported_onsets(clause, numbers)
        late = part.window.not_before if part.window else None
        if late is not None:
            # A benefit said to come late: one seen sooner contradicts the claim; one
            # with no time point says nothing about when.
            if onsets and onsets[0] < late:
                return Reading(sentence, clause, "against",
                               f"benefit already at {onsets[0]:g} h", onsets[0])
            return Reading(sentence, clause, "for", "benefit", onsets[0]) if onsets else None
        return Reading(sentence, clause, "for", "benefit", onsets[0] if onsets else None,
                       effect_reported(clause, numbers, part))
    if direction == "no_difference":
        # "No extra over ECT" says nothing of ketamine on its own, but it is the finding
        # on a claim about ketamine in ECT ("boosts ECT's antidepressant response").
        add_on = _add_on(facts) and part.condition != "electroconvulsive"
        if add_on or lexicon.has("dose_arm", clause):
            return None      # "no extra over ECT" or "the lower dose did not separate"
        if lexicon.has("not_outcome_null", clause) and not part.versus:
            return None      # adjusted, mediation, normalisation or route-vs-route
        return Reading(sentence, clause, "against", "null result")
    return Reading(sentence, clause, "mixed", "mixed result") if direction == "mixed" else None


_LOWERED_OUTCOMES = frozenset(("relapse_prevention", "suicidal_behaviour"))


def _gave_both(facts: RecordFacts, part: Assertion) -> bool:
    """A route or enantiomer comparison ("oral as good as IV") is read only from a
    study that gave both; a one-route study that cites the other is no head-to-head."""
    kind, _, key = part.versus.partition(":")
    if not key:
        return True
    given = set(facts.labels.get(kind, []))
    own = part.routes if kind == "route" else part.drugs
    return key in given and bool(given & (set(own) - {key}))


@cache
def _add_on_rx() -> re.Pattern[str]:
    return lexicon.cue("add_on")


def _add_on(facts: RecordFacts) -> bool:
    text = facts.title + " " + " ".join(s.text for s in facts.sentences[:4])
    return bool(_add_on_rx().search(text))
