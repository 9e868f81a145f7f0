"""A record's clause read against a safety claim: does it report the harm, deny it,
call it passing or tolerable, or only state a limitation?  (litwatch.claims.reading
reads the other kinds of claim.)"""

from __future__ import annotations

import re

from litwatch.claims import lexicon
from litwatch.claims.assertions import Assertion
from litwatch.claims.details import names_comparator
from litwatch.claims.statements import Reading
from litwatch.classify.sentences import Sentence, direction_of

# "without persistent dissociative symptoms": the lasting harm denied.
_NEGATED_NEAR = re.compile(r"\b(?:without|no|not|never|absence of)\b(?:\W+\w+){0,4}\W+$",
                           re.IGNORECASE)
_COMPARES = re.compile(r"\b(?:than|versus|vs|compared|comparison|comparable|similar|fewer|"
                       r"less|lower|more|higher|greater|differ\w*|relative)\b", re.IGNORECASE)
_LESS_HARM = re.compile(r"\b(?:reduc\w*|lowers?|lowered|fewer|less|decreas\w*)\s+"
                        r"(?:[\w\x27’-]+\s+){0,3}?(?:side[- ]effects|adverse|risks?|harms?)",
                        re.IGNORECASE)
_MORE = re.compile(r"\b(?:more|higher|increas\w*|greater|than)\b", re.IGNORECASE)


def harm_reading(clause: str, sentence: Sentence, part: Assertion) -> Reading | None:
    if part.versus and not names_comparator(clause, part.versus):
        return None      # "fewer side effects than antidepressants": compared, or silent
    if part.versus and not _COMPARES.search(clause):
        # "Intranasal ketamine was well tolerated" names the comparator but compares
        # nothing: it cannot say IV ketamine has fewer side effects than intranasal.
        return None
    direction = direction_of(clause)
    if part.direction == "no_harm" and direction == "no_difference" \
            and _LESS_HARM.search(part.label):
        # "reduces ECT's cognitive side effects" claims less harm than the alternative:
        # "no significant differences in cognitive outcomes" is a reduction not found.
        return Reading(sentence, clause, "against", "no difference in the harm")
    if lexicon.has("harm_measured", clause) and not _MORE.search(clause):
        return None          # what was counted, not what was found
    denied = lexicon.has("harm_denied", clause) or lexicon.has("harm_fewer", clause)
    harmful = not denied and (direction in ("harm", "mixed") or lexicon.has("occur", clause))
    reassuring = denied or lexicon.has("reassure", clause)
    passing = lexicon.has("transient", clause)
    if lexicon.has("limitation", clause) and direction not in ("harm", "mixed") \
            and not (reassuring or passing):
        # "limited assessment of long-term use and safety": a gap, not a finding.
        return Reading(sentence, clause, "limit", "states a limitation")
    persist = lexicon.cue("persistent").search(clause)
    lasting = persist is not None and not _NEGATED_NEAR.search(clause[:persist.start()])
    if persist and not lasting:
        passing = True            # "without persistent dissociative symptoms"
    if part.direction == "transient":
        if passing:
            return Reading(sentence, clause, "for", "the effect passes")
        return Reading(sentence, clause, "against", "the effect lasts") if lasting else None
    if part.direction == "harm":
        if harmful and not reassuring:
            return Reading(sentence, clause, "for", "the harm is reported")
        # "Ketamine can be addictive": that it was safe and well tolerated in a trial
        # does not refute a "can"; only a record that the harm did not happen counts.
        if denied or (reassuring and not part.possible):
            return Reading(sentence, clause, "against", "the harm is not seen")
        return None
    if reassuring and not harmful:
        return Reading(sentence, clause, "for", "reported as tolerable")
    if reassuring and not part.absolute and direction not in ("harm", "mixed"):
        # "associated with minimal adverse effects": harms that occurred, called minor,
        # are what "well tolerated" means (an absolute "no side effects" is refuted)
        return Reading(sentence, clause, "for", "reported as minor")
    if passing and not part.absolute:
        return Reading(sentence, clause, "for", "reported as passing")
    if harmful or passing:
        return Reading(sentence, clause, "against", "the harm is reported")
    return None


# "Sedation is the most common side effect": a ranking, checked against the records
# that rank their adverse events.
_MOST_COMMON = re.compile(r"\b(?:most (?:common|frequent|frequently reported)|commonest)\b",
                          re.IGNORECASE)
_GENERIC_AE = re.compile(r"\b(?:side[- ]effects?|adverse (?:\w+ )?(?:events?|effects?|"
                         r"reactions?)|aes|teaes)\b", re.IGNORECASE)


def focus_named(clause: str, part: Assertion) -> bool:
    return any(re.search(rf"\b{re.escape(stem)}\w*", clause, re.IGNORECASE)
               for stem in part.focus)


def ranking_reading(clause: str, sentence: Sentence, part: Assertion) -> Reading | None:
    """A claim that one harm is the most common, read against a clause that names the
    most common adverse events: for when the harm is among them, against when not."""
    if not (part.direction == "harm" and part.focus and _MOST_COMMON.search(part.label)
            and _MOST_COMMON.search(clause) and _GENERIC_AE.search(clause)):
        return None
    if focus_named(clause, part):
        return Reading(sentence, clause, "for", "among the most common harms")
    return Reading(sentence, clause, "against", "other harms are the most common")
