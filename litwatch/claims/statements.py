"""Readings of status and practice statements, and the Reading every reader returns.

A regulatory status ("approved", "off-label", "Schedule III") or how a treatment
is given ("a 40-minute infusion") is not a study finding: any sentence of a
published record may state it (registrations never count), as long as it names
the drug.  A negated statement ("no medication is approved") counts against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litwatch.claims import lexicon
from litwatch.claims.assertions import STAND_ALONE, Assertion
from litwatch.classify.sentences import Sentence

_NEGATED = re.compile(r"\b(?:no|not|never|none|without|neither)\b", re.IGNORECASE)
_MINUTES = re.compile(r"(\d+)\s*(?:-|to)?\s*(?:(\d+)\s*)?minutes?|\ban? hour\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    sentence: Sentence
    clause: str
    stance: str                  # for | against | mixed | limit
    why: str                     # what in the clause decided it
    onset: float | None = None   # earliest time point reported (hours)
    effect: bool = False         # reports the claimed effect size
    other_indication: bool = False   # a status stated for another indication



def statement(clause: str, sentence: Sentence, part: Assertion) -> Reading | None:
    # A status is a named drug's: "no medication is approved for cocaine use" is not
    # about ketamine, and "the 2019 esketamine approval" is esketamine's, not ketamine's.
    hits = [m for c in part.concepts for m in lexicon.concepts()[c].regex.finditer(clause)]
    if not lexicon.has("drug_name", sentence.text) or not _states_numbers(part.label, clause):
        return None
    if "approval" in part.concepts and not hits:
        # "increased use of ketamine as an off-label treatment for mood disorders": the
        # use the claim says is approved is not.
        off = lexicon.concepts()["off_label"].regex.search(clause)
        owner = off and _owner(clause, off.start(), sentence)
        if off and (owner is None or owner in part.drugs):
            return Reading(sentence, clause, "against", "states it is off-label")
        return None
    if not hits:
        return None
    if part.alone and not STAND_ALONE.search(clause):
        return None      # "approved in combination with an oral antidepressant"
    owner = _owner(clause, hits[0].start(), sentence)
    if owner and owner not in part.drugs:
        return Reading(sentence, clause, "for", f"states it for {owner}", other_indication=True)
    if _NEGATED.search(clause):
        return Reading(sentence, clause, "against", "states it is not so")
    other = bool(part.indications) and not any(
        p is not None and p.search(clause) for p in map(lexicon.outcome_pattern, part.indications))
    return Reading(sentence, clause, "for", "states it", other_indication=other)


# A number the status states ("a blood pressure below 160/100 mmHg", "56 mg"); a year
# dates the status and is checked elsewhere.
_NUMBER = re.compile(r"\d+(?:[./]\d+)?")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _states_numbers(claim: str, clause: str) -> bool:
    """Does the clause state every number the claimed status states?"""
    wanted = {n for n in _NUMBER.findall(claim) if not _YEAR.fullmatch(n)}
    found = set(_NUMBER.findall(clause))
    return wanted <= found


def _owner(clause: str, at: int, sentence: Sentence) -> str | None:
    """Whose status a clause states: the drug nearest `at`, else the sentence's first."""
    return _nearest_drug(clause, at) or _nearest_drug(sentence.text, 0)


def _nearest_drug(text: str, at: int) -> str | None:
    """The drug named closest to position `at` (the drug taxonomy's keys)."""
    from litwatch.claims.intake import drug_mentions
    mentions = drug_mentions(text)
    return min(mentions, key=lambda m: abs(m[0] - at))[1] if mentions else None


def practice(clause: str, sentence: Sentence, part: Assertion) -> Reading | None:
    if "patient_selection" in part.concepts:
        if lexicon.concepts()["patient_selection"].regex.search(clause) and lexicon.has(
                "recommend", clause):
            return Reading(sentence, clause, "for", "recommends it")
        return None
    wanted = _minutes(part.label)
    found = _minutes(clause)
    if wanted and found and wanted[0] * 0.75 <= found[0] <= wanted[-1] * 1.25:
        return Reading(sentence, clause, "for", f"states {found[0]:g} minutes")
    return None


def _minutes(text: str) -> list[float]:
    out: list[float] = []
    for m in _MINUTES.finditer(text):
        if m.group(1):
            out += [float(m.group(1))] + ([float(m.group(2))] if m.group(2) else [])
        else:
            out.append(60.0)
    return sorted(out)
