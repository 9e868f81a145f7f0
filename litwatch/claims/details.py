"""Claimed details read from findings: how long an effect lasts, how it compares
head to head with another treatment, and the effect size a record reports.

Each is relative to the claim: "for about one week" confirms "lasts a week" and
refutes "lasts for months"; "noninferior to ECT" supports "as good as ECT" and only
limits "better than ECT"; a response rate of 55% is not a 50% fall in symptoms.
"""

from __future__ import annotations

import re

from litwatch.claims import lexicon
from litwatch.claims.assertions import Assertion
from litwatch.claims.records import RecordFacts
from litwatch.claims.statements import Reading
from litwatch.claims.timeframe import MONTH, reported_durations
from litwatch.classify.sentences import Number, Sentence

FINDING_ROLES = frozenset(("results", "conclusions"))
_LASTING_WORDS = re.compile(r"\b(?:remain\w*|maintain\w*|sustain\w*|last\w*|persist\w*|"
                            r"kept|durab\w*|for (?:at least |about |up to )?\d)", re.IGNORECASE)


def head_to_head(clause: str, sentence: Sentence, direction: str | None,
                  part: Assertion) -> Reading | None:
    """"Better than ECT" needs a finding against ECT: superiority for it, a
    noninferior or similar result against it ("as good as" takes either as support)."""
    if not names_comparator(clause, part.versus):
        return None
    if lexicon.has("equivalent", clause) or direction == "no_difference":
        if part.equivalence:
            return Reading(sentence, clause, "for", "as good as the comparator")
        # Noninferior is not shown better: support with a limit, not a refutation.
        stance = "mixed" if lexicon.has("equivalent", clause) else "against"
        return Reading(sentence, clause, stance, "not shown better than the comparator")
    if direction in ("benefit", "mixed") and lexicon.has("superior", clause):
        return Reading(sentence, clause, "for", "better than the comparator")
    return None


def names_comparator(clause: str, versus: str) -> bool:
    """Does a finding clause name what the claim compares against?  A route or an
    enantiomer ("route:intravenous", "drug:ketamine") is found with the taxonomy the
    claim was read with, so "IV" and "infusion" count for intravenous."""
    kind, _, key = versus.partition(":")
    if key:
        from litwatch.claims.intake import drugs_named, routes_named
        return key in (routes_named(clause) if kind == "route" else drugs_named(clause))
    # "low-dose" is also written "low dose"
    name = r"(?:ect|electroconvulsive)" if versus == "ect" else re.escape(versus).replace(
        r"\-", "[- ]?")
    return bool(re.search(rf"\b{name}", clause, re.IGNORECASE))


def _fades(clause: str, sentence: Sentence, direction: str | None, lasted: float,
           wanted: float) -> Reading | None:
    """"The effect fades within two weeks": a record of an effect gone by then, or
    called transient, supports it; one that lasted far longer refutes it."""
    if lasted and _LASTING_WORDS.search(clause) and direction != "no_difference":
        stance = "for" if lasted <= 1.5 * wanted else "against"
        return Reading(sentence, clause, stance, f"reported to last {lasted / 24:g} days")
    # "Transient", "relapse" say the effect ends, not that it ends within hours.
    if lexicon.has("short_effect", clause) and not _about_side_effects(clause) \
            and wanted >= _SHORT_WORDS_REACH:
        return Reading(sentence, clause, "for", "the effect does not last")
    if direction == "benefit" and lexicon.has("long_effect", clause):
        return Reading(sentence, clause, "against", "the effect lasts")
    return None


_SHORT_WORDS_REACH = 72.0      # hours


def _about_side_effects(clause: str) -> bool:
    """"Dissociative symptoms occurred transiently": the side effects pass, which says
    nothing of how long the treatment's effect lasts."""
    return bool(lexicon.concepts()["side_effects"].regex.search(clause))


_NOT_EFFECT_DURATION = re.compile(
    r"\bfollow[- ]?up (?:\w+ ){0,2}?(?:was |were )?(?:limited|restricted|short)|"
    r"\b(?:episode|episodes|illness|disorder|depression|history)\b[^.;]{0,30}\b(?:lasted|"
    r"lasting|duration)\b|\bwhose\b[^.;]{0,40}\blast(?:ed|ing)\b", re.IGNORECASE)
_SINGLE = re.compile(r"\b(?:single|one|1)\s+(?:\w+\s+)?(?:session|dose|infusion|treatment|"
                     r"administration)", re.IGNORECASE)
_CO_TREATMENT = re.compile(
    r"\b(?:with|plus|and) (?:additional|continued|ongoing|optimi[sz]ed|standard|further|"
    r"repeated|maintenance) (?:\w+ ){0,2}?(?:pharmacotherapy|treatments?|antidepressants?|"
    r"therapy|medications?|infusions?|doses?)", re.IGNORECASE)


def durability(clause: str, sentence: Sentence, direction: str | None,
                numbers: tuple[Number, ...], part: Assertion) -> Reading | None:
    """Does the effect last as long as claimed?  Stated durations are compared with the
    claim ("for about one week" confirms "a week", refutes "months"); words such as
    "transient" or "relapse" refute only claims of a month or more."""
    # Called for durable parts only, whose window states how long the effect lasts.
    wanted = (part.window.lasts_hours if part.window else None) or 0.0
    lasted = max(reported_durations(numbers), default=0.0)
    if lasted and _NOT_EFFECT_DURATION.search(clause):
        # "follow-up was limited to 6 weeks", "whose episode lasted < 24 months": how
        # long the study looked, or the illness lasted, not how long the effect did
        lasted = 0.0
    if lasted and _SINGLE.search(part.label) and _CO_TREATMENT.search(clause):
        lasted = 0.0     # "maintained for 6 weeks with additional pharmacotherapy"
    if part.window and part.window.at_most:
        return _fades(clause, sentence, direction, lasted, wanted)
    if lasted and _LASTING_WORDS.search(clause):
        if lasted >= 0.75 * wanted and direction != "no_difference":
            return Reading(sentence, clause, "for", f"reported to last {lasted / 24:g} days")
        if lasted < wanted / 2:
            return Reading(sentence, clause, "against", f"reported to last {lasted / 24:g} days")
    if wanted >= MONTH and lexicon.has("short_effect", clause) \
            and not _about_side_effects(clause):
        return Reading(sentence, clause, "against", "the effect does not last")
    if direction == "benefit" and lexicon.has("long_effect", clause):
        return Reading(sentence, clause, "for", "the effect lasts")
    return None


def reports_effect(facts: RecordFacts, part: Assertion) -> bool:
    """Does any results/conclusions sentence report the claimed effect size?  ("71% met
    response criteria" reports a response rate though it compares nothing.)"""
    return part.effect_pct is not None and any(
        effect_reported(s.text, s.numbers, part) for s in facts.sentences
        if s.role in FINDING_ROLES)


def effect_reported(clause: str, numbers: tuple[Number, ...], part: Assertion) -> bool:
    if part.effect_pct is None:
        return False
    if part.effect_pct == 50 and re.search(r"\bhalved\b|\bby half\b", clause, re.I):
        return True
    percents = [n for n in numbers if n.kind == "percent" and n.text in clause]
    # "55.4% of the ketamine group and 41.2% of the ECT group had a response": the words
    # after the last share say what every share of the list counts.
    last = max((clause.rfind(n.text) + len(n.text) for n in percents), default=0)
    tail = clause[last:last + 60]
    for n in numbers:
        if n.kind != "percent" or n.threshold or abs(n.value - part.effect_pct) > 10:
            continue
        # A response rate of 55% is not a 50% fall in symptoms, nor the reverse.
        at = clause.find(n.text)
        around = clause[:at] + clause[at:at + len(n.text) + 40] + " " + tail
        rate = bool(re.search(r"respon|remission|remit|rate", around, re.I))
        fall = bool(re.search(r"reduc|decreas|drop|fell|lower|improv|chang|cut", clause, re.I))
        if (rate if part.effect_is_rate else fall and not rate):
            return True
    return False


_OUTCOME_WORDS = (("remission", re.compile(r"\bremi(?:t|ssion)", re.I)),
                  ("response", re.compile(r"\brespon", re.I)),
                  ("relapse", re.compile(r"\brelaps", re.I)),
                  ("abstinence", re.compile(r"\babstinen|\babstain", re.I)))


def reports_number(facts: RecordFacts, pct: float, claim_text: str) -> bool:
    """Does a results/conclusions sentence report this very percentage (within 1.5
    points, or 5% of it) of the outcome the claim names (remission is not response)?"""
    # The outcome named beside the claimed number ("52% ... reached remission"), not
    # one named elsewhere in the claim ("relapse prevention" as the therapy's name).
    at = re.search(rf"{pct:g}\s?%|{pct:g} per ?cent", claim_text)
    around = claim_text[max(0, at.start() - 60):at.end() + 120] if at else claim_text
    wanted = [rx for _, rx in _OUTCOME_WORDS if rx.search(around)]
    for s in facts.sentences:
        if s.role not in FINDING_ROLES or (wanted and not any(rx.search(s.text) for rx in wanted)):
            continue
        if any(n.kind == "percent" and not n.threshold and not _size_of_change(s.text, n)
               and _same_percent(n.value, pct) for n in s.numbers):
            return True
        if any(_same_percent(value, pct) for value in _spelled_percents(s.text)):
            return True
    return False


def _same_percent(value: float, pct: float) -> bool:
    return abs(value - pct) <= max(1.5, 0.05 * pct)


_SPELLED_PCT = re.compile(r"\b((?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                          r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|ten|"
                          r"eleven|twelve|fifteen)\s+(?:percent|per cent)\b", re.IGNORECASE)


def _spelled_percents(text: str) -> list[float]:
    """"Seventy-nine percent of subjects responded": a share written out."""
    from litwatch.classify.extract import words_to_int
    values = (words_to_int(m.group(1).lower()) for m in _SPELLED_PCT.finditer(text))
    return [float(v) for v in values if v]


_CHANGE_AFTER = re.compile(r"^\W{0,3}(?:or (?:more|greater)\s+)?(?:[A-Z][\w-]*\s+)?"
                           r"(?:reduction|decrease|improvement|drop|fall|decline)", re.I)
_BOUND_BEFORE = re.compile(r"(?:at least (?:a )?|≥\s*|>=\s*|time[- ]to[- ])$", re.I)


def _size_of_change(text: str, n: Number) -> bool:
    """"At least a 50% MADRS reduction", "time-to-50% reduction": the size of a fall in
    scores (or a bound on it), not the share of patients the claim counts."""
    at = text.find(n.text)
    if at < 0:
        return False
    return bool(_CHANGE_AFTER.search(text[at + len(n.text):at + len(n.text) + 40])
                or _BOUND_BEFORE.search(text[max(0, at - 12):at]))


# Quantities a study is said to have reported besides percentages: "median time to
# relapse was 635 days", "almost 4 points lower on the MADRS", "at most 7.4/6.0 mm Hg".
_QUANTITY = re.compile(r"\b(\d+(?:\.\d+)?)(?:/\d+(?:\.\d+)?)?[- ]?(days?|points?|mm ?hg)\b",
                       re.IGNORECASE)


def unreported_quantities(facts: RecordFacts, claim_text: str,
                          units: tuple[str, ...] = ("day", "point", "mmhg")) -> list[str]:
    """The claim's quantities in days, points or mm Hg that none of the record's
    sentences states (within 10%): figures checked like percentages."""
    stated = [(float(q.group(1)), _unit(q.group(2))) for s in facts.sentences
              for q in _QUANTITY.finditer(s.text)]
    return [m.group(0) for m in _QUANTITY.finditer(claim_text) if _unit(m.group(2)) in units
            and not any(unit == _unit(m.group(2))
                       and abs(v - float(m.group(1))) <= 0.1 * float(m.group(1))
                       for v, unit in stated)]


def _unit(word: str) -> str:
    return word.lower().replace(" ", "").rstrip("s")
