"""What kind of claim a text makes and which way it points: a citation, a safety,
mechanism, regulatory or practice statement, a number, an onset, a duration, or
efficacy; a benefit, no benefit, a harm, no harm, a harm that passes, something
not yet known.  Read by litwatch.claims.intake.derive from what it has found."""

from __future__ import annotations

import re
from typing import TypedDict

from litwatch.claims import lexicon
from litwatch.claims.harm_list import harm_list_span, lists_harms
from litwatch.claims.intake_cues import denies_benefit
from litwatch.claims.timeframe import claim_window

_MECHANISM_VERBS = re.compile(r"\b(?:by|through|via|works? by|acts? (?:on|by)|mechanism|targets?"
                              r"|targeting|binding|binds|modulat\w*|influences?|triggers?"
                              r"|helps?|allows?|so|depends? on"
                              r"|requires?|mediated|relies on|is due to"
                              # "naltrexone blocked ketamine's effect": a pathway tested
                              r"|block(?:s|ed|ing)?|attenuat\w*|abolish\w*|inhibit\w*)\b",
                              re.I)


_FOUND_VERB = (r"(?:significantly|reduced?|improved?|relieved?|lowered|outperformed|failed|"
               r"showed|shown|found|demonstrated|worked|working|beat|beats|did not|was not|"
               r"were not)")
# ("esketamine beat placebo in the four studies that led to its approval": either order)
_TRIAL_FINDING = re.compile(rf"\b(?:trials?|stud(?:y|ies))\b[^.;]*\b{_FOUND_VERB}\b|"
                            rf"\b{_FOUND_VERB}\b[^.;]*\b(?:trials?|stud(?:y|ies))\b",
                            re.IGNORECASE)


class Found(TypedDict):
    """What derive() has found in a claim's text so far."""

    indications: tuple[str, ...]
    routes: tuple[str, ...]
    drugs: tuple[str, ...]
    concepts: tuple[str, ...]
    journal: str
    year: int | None
    effect: str
    institution: str
    trial: str
    study: str


# "can cause mild side effects": a harm that can happen, however mild.
_CAN_CAUSE = re.compile(r"\b(?:can|may|might|could|often|sometimes|commonly)\s+(?:also\s+)?"
                        r"(?:cause|causes|lead to|produce|trigger|induce|bring on)\b",
                        re.IGNORECASE)


def without_harm_list(text: str) -> str:
    span = harm_list_span(text)
    return text[:span[0]] + " " + text[span[1]:] if span else text


_LOWERED_RISK = re.compile(
    r"\b(?:lowers?|lowered|lowering|reduces?|reduced|reducing|decreases?|decreased|cuts?|"
    r"halves|halved|prevents?|prevented)\s+(?:the\s+)?(?:risk|rate|odds|chance|likelihood|"
    r"incidence)s?\s+of\s+(?:[\w-]+\s+){0,2}?(?:relapse|recurrence|suicid\w*|"
    r"self-harm|readmission|hospitali[sz]ation|depression|delirium)\w*"
    # "reduce suicide risk"
    r"|\b(?:lowers?|lowered|lowering|reduces?|reduced|reducing|decreases?|decreased|cuts?)\s+"
    r"(?:the\s+)?(?:suicide|suicidal|relapse|recurrence|readmission)\s+risks?\b",
    re.IGNORECASE)


# "does not cause memory loss", "won't damage your bladder": a harm denied.
DENIES_CAUSING = re.compile(r"\b(?:does not|doesn't|do not|don't|will not|won't|cannot|can't|"
                             r"never|did not)\s+(?:\w+\s+)?(?:cause|causes|lead to|produce|"
                             r"damage|harm|impair|hurt|depress|suppress)\b", re.IGNORECASE)


# Regulatory concepts that only name where a treatment is given.
_SETTINGS = frozenset(("supervised_use",))


def claim_kind(text: str, implies: Found) -> str:
    roles = {lexicon.concepts()[c].role for c in implies["concepts"]}
    if implies["journal"] or implies["institution"] or implies["trial"] or implies["study"] or (
            implies["year"] and re.search(
            r"\b(?:study|research|trial|paper|published)\b", text, re.I)):
        return "citation"
    regulatory = {c for c in implies["concepts"] if lexicon.concepts()[c].role == "regulatory"}
    if regulatory <= _SETTINGS and "side_effects" in implies["concepts"] and implies["effect"]:
        # "Under medical supervision, side effects affect fewer than 2% of patients": how
        # often harms occur, in a setting
        roles = roles - {"regulatory"}
    for role, kind in (("regulatory", "regulatory"), ("practice", "practice")):
        # "in the trials behind the approval, esketamine did not significantly reduce
        # suicide risk": what the trials found, not the approval.
        if role in roles and not (role == "regulatory" and _TRIAL_FINDING.search(text)):
            return kind
    if "mechanism" in roles and (_MECHANISM_VERBS.search(text) or not implies["indications"]):
        return "mechanism"
    # "lowers the risk of relapse" is a benefit, not a safety claim.
    unlowered = _LOWERED_RISK.sub(" ", text)
    if ("harm" in roles and unlowered == text) or lists_harms(text) \
            or DENIES_CAUSING.search(text) or re.search(
            r"\b(?:safe|safety|unsafe|risks?|risky|side effects?|dangerous|dangers?|harmful|"
            r"harms?|toxic\w*|hazard\w*)\b", unlowered, re.I):
        return "safety"
    if implies["effect"]:
        return "number"
    window = claim_window(text)
    if window and window.lasts_hours:
        return "duration"
    if window:
        return "onset"
    return "efficacy"


def claim_direction(text: str, kind: str) -> str:
    if kind in ("mechanism", "regulatory"):
        return "affirm"
    if kind == "practice":
        return "recommend" if lexicon.has("recommend", text) else "affirm"
    if kind != "safety":
        return "no_benefit" if denies_benefit(text) else "benefit"
    if lexicon.has("uncertain", text):
        return "uncertain"
    if _CAN_CAUSE.search(text) and not lexicon.has("absolute", text):
        return "harm"
    # "... and a temporary rise in blood pressure": a word inside a list of harms
    # qualifies that item; the claim is that the harms happen.
    if lexicon.has("transient", without_harm_list(text)) and not lexicon.has("no_harm", text):
        return "transient"
    return "no_harm" if lexicon.has("no_harm", text) else "harm"


def read_as(text: str, kind: str, found: Found) -> str:
    """A cited study's finding is read as what it claims: "a Stanford study found
    naltrexone blocked ketamine's effect" is a mechanism, "an NIH study found it caused
    dissociation" a harm."""
    if kind != "citation":
        return kind
    uncited: Found = {**found, "journal": "", "institution": "", "year": None, "trial": "",
                       "study": ""}
    return claim_kind(text, uncited)
