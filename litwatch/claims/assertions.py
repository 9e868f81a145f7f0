"""A claim as one or more checkable assertions.

"Ketamine works for depression, PTSD and chronic pain" makes three assertions (one
per indication), "fast-acting and long-lasting" two (an onset and a duration),
"triggers neurotransmitter release and synaptic plasticity" two (one per mechanism).
Each is judged on its own by the rule table; a claim whose parts disagree is partly
supported.  An assertion carries everything the evidence reading needs, so the
reading never goes back to the claim text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from litwatch import vocab
from litwatch.claims import lexicon
from litwatch.claims.harm_list import listed_harms
from litwatch.claims.model import Claim, Implies
from litwatch.claims.timeframe import Window, claim_window, duration_window, onset_window

_EQUAL = re.compile(r"\bas (?:good|effective|well) as\b|\bnon-?inferior|\bequivalent\b|"
                    r"\brivals?\b|\bon a par\b", re.IGNORECASE)
_PCT = re.compile(r"(\d+(?:\.\d+)?)\s?%")
_RATE = re.compile(r"respon|remission|remit|rate", re.I)
# A claim about animals ("in the social defeat stress and learned helplessness rodent
# models", "in mice"): what animal studies found is what it claims.
_IN_ANIMALS = re.compile(r"\b(?:in|among|of) (?:[\w-]+ ){0,6}?(?:rodents?|mice|rats|animals?|"
                         r"rodent models?|animal models?|primates|monkeys)\b", re.I)
_UP = re.compile(r"\b(?:improv|increas|enhanc|boost|promot|rais|restor|strengthen|stimulat|"
                 r"repair|regenerat|regrow)\w*", re.I)
_DOWN = re.compile(r"\b(?:reduc|decreas|block|lower|inhibit|disrupt|eas|prevent|suppress|stop|"
                   r"diminish|dampen)\w*", re.I)


@dataclass(frozen=True)
class Assertion:
    label: str                          # what this part is about, for the reader
    kind: str
    direction: str                      # model.DIRECTIONS
    indications: tuple[str, ...] = ()   # claimed indications (vocab keys)
    accepted: tuple[str, ...] = ()      # record labels that count (families expanded)
    concepts: tuple[str, ...] = ()      # a finding clause must name one of these
    change: str | None = None           # up | down: how the claim says the concept moves
    window: Window | None = None
    effect_pct: float | None = None
    effect_is_rate: bool = False
    population: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    drugs: tuple[str, ...] = ("ketamine",)
    comparative: bool = False
    absolute: bool = False
    possible: bool = False              # "can cause": its absence refutes nothing
    focus: tuple[str, ...] = ()         # stems of the specific harms named ("pressu")
    listed: tuple[tuple[str, tuple[str, ...]], ...] = ()   # each harm a list names, stemmed
    versus: str = ""                    # comparator key ("ect"): head-to-head findings only
    equivalence: bool = False           # "as good as" rather than "better than"
    negated: bool = False               # "does not work": read as a benefit, stances flipped
    designs: tuple[str, ...] = ()       # "a meta-analysis found": the design that must say it
    condition: str = ""                 # an unkeyed condition the record must name
    in_animals: bool = False            # "in rodent models ...": animal studies decide it
    names_drug: bool = True             # the claim names ketamine, esketamine, Spravato ...
    alone: bool = False                 # an approval as monotherapy (without an add-on)

    @property
    def durable(self) -> bool:
        return bool(self.window and self.window.lasts_hours)


def _accepted(indications: tuple[str, ...], text: str = "") -> tuple[str, ...]:
    out: list[str] = []
    for key in indications:
        out += [k for k in lexicon.family(key) if k not in out]
    if "other_substance_use" in indications and _ANY_SUBSTANCE.search(text):
        # "patients with substance use disorders": alcohol, opioid and cocaine use too
        out += [k for k in _SUBSTANCES if k not in out]
    return tuple(out)


_ANY_SUBSTANCE = re.compile(r"\bsubstance (?:use disorders?|abuse|dependence|misuse|use)\b",
                            re.IGNORECASE)
_SUBSTANCES = ("alcohol_use", "opioid_use", "cocaine_use")


def _change(text: str) -> str | None:
    up, down = _UP.search(text), _DOWN.search(text)
    if up and (not down or up.start() < down.start()):
        return "up"
    return "down" if down else None


def _change_of(concept: str, text: str) -> str | None:
    """How the claim says one mechanism moves, read just before it: "blocks NMDA
    receptors, which leads to increased glutamate release" blocks NMDA (down) and
    raises glutamate release (up)."""
    m = lexicon.concepts()[concept].regex.search(text)
    if m is None:
        return None
    # "an NMDA receptor antagonist" blocks NMDA receptors, whatever the claim says next.
    role = _RECEPTOR_ROLE.match(text, m.end())
    if role:
        return "down" if role.group(1).lower() in _BLOCKERS else "up"
    start = max(text.rfind(",", 0, m.start()), text.rfind(";", 0, m.start()), 0)
    before = text[max(start, m.start() - 40):m.start()]
    if _ACTS_THROUGH.search(before):
        return ""          # "acts through NMDA receptors to activate ...": no direction
    return _change(before + m.group(0))


_ACTS_THROUGH = re.compile(r"\b(?:acts?|acting|works?|working)\s+(?:\w+\s+)?(?:through|via|on|"
                           r"at|by way of)\s+(?:the\s+)?$", re.I)


_RECEPTOR_ROLE = re.compile(r"[\s-]*(?:receptors?[\s-]+)?(antagonists?|blockers?|inhibitors?|"
                            r"agonists?|activators?|enhancers?|potentiators?)\b", re.I)
_BLOCKERS = frozenset(("antagonist", "antagonists", "blocker", "blockers", "inhibitor",
                       "inhibitors"))


def _own_change(concept: str, text: str, fallback: str | None) -> str | None:
    change = _change_of(concept, text)
    return fallback if change is None else change or None


def _effect(imp: Implies) -> tuple[float | None, bool]:
    m = _PCT.search(imp.effect)
    return (float(m.group(1)) if m else None), bool(_RATE.search(imp.effect))


def _base(claim: Claim) -> Assertion:
    imp = claim.implies
    window = claim_window(imp.time_frame or claim.claim)
    pct, rate = _effect(imp)
    # A cited study's mechanism ("a Stanford study found naltrexone blocked ...") is
    # read as a mechanism claim.
    read_as = "mechanism" if imp.kind == "citation" and imp.direction == "affirm" else imp.kind
    roles = {"mechanism": ("mechanism",), "regulatory": ("regulatory",)}.get(
        read_as, ("outcome", "harm", "therapy", "practice"))
    concepts = tuple(c for c in imp.concepts if lexicon.concepts()[c].role in roles)
    if "side_effects" in concepts and not lexicon.specific_terms("side_effects", claim.claim) \
            and any(
            lexicon.concepts()[c].role == "harm" for c in concepts if c != "side_effects"):
        # "adverse reactions such as bladder damage": the harm named decides
        concepts = tuple(c for c in concepts if c != "side_effects")
    if "long_term_risk" in concepts and len(concepts) > 1:
        # "bladder problems with long-term use": the harm named decides, "long-term"
        # says when; any harm of repeated dosing is not the claim's.
        concepts = tuple(c for c in concepts if c != "long_term_risk")
    # Enantiomers share ketamine's pharmacology: mechanism evidence on either speaks to
    # it.  Efficacy and safety are a product's own (esketamine has its own trials).
    drugs = tuple(vocab.DRUGS) if imp.kind == "mechanism" else (imp.drugs or ("ketamine",))
    return Assertion(
        label=claim.claim, kind=imp.kind,
        direction="benefit" if imp.direction == "no_benefit" else imp.direction,
        negated=imp.direction == "no_benefit", designs=imp.designs,
        indications=imp.indications, accepted=_accepted(imp.indications, claim.claim),
        concepts=concepts, change=_change(claim.claim), window=window,
        effect_pct=pct, effect_is_rate=rate, population=imp.population, routes=imp.routes,
        drugs=drugs, comparative=imp.comparative, absolute=imp.absolute, possible=imp.possible,
        focus=_focus(concepts, claim.claim) if imp.direction == "harm" else (),
        listed=listed_harms(claim.claim) if imp.direction == "harm" else (),
        versus=imp.versus, equivalence=bool(_EQUAL.search(claim.claim)),
        condition=imp.condition, in_animals=bool(_IN_ANIMALS.search(claim.claim)),
        names_drug=lexicon.has("drug_name", claim.claim))


def _focus(concepts: tuple[str, ...], text: str) -> tuple[str, ...]:
    """Stems of the specific harms a claim says occur: "raises blood pressure" is about
    blood pressure, not about tolerability in general.  (A claim that side effects
    such as nausea pass quickly is about side effects as a class.)"""
    out: list[str] = []
    for key in concepts:
        for term in lexicon.specific_terms(key, text) if lexicon.generic(key) else ():
            head = re.findall(r"[a-z]+", term)[-1]
            out.append(head[:6])
    return tuple(dict.fromkeys(out))


def _name(key: str) -> str:
    return vocab.INDICATIONS.get(key, key.replace("_", " "))


def assertions(claim: Claim) -> list[Assertion]:
    """The parts of `claim`, each checkable on its own (one part for a simple claim)."""
    base = _base(claim)
    clauses = _clause_parts(claim, base)
    if clauses:
        return clauses
    parts = [base]
    mechanisms = [c for c in base.concepts if lexicon.concepts()[c].role == "mechanism"]
    if base.kind == "mechanism" and len(mechanisms) > 1 and not _one_system(mechanisms):
        parts = [replace(base, label=f"acts on {c.replace('_', ' ')}", concepts=(c,),
                         change=_own_change(c, claim.claim, base.change))
                 for c in mechanisms]
    elif base.kind == "regulatory" and STAND_ALONE.search(claim.claim):
        # "approved for TRD, both with and without an oral antidepressant": the
        # approval, and an approval as monotherapy, which a record must state as such.
        parts = [base, replace(base, label="approved as monotherapy", alone=True)]
    elif (base.direction == "benefit" or base.kind == "regulatory") \
            and len(base.indications) > 1 and base.kind != "citation":
        # "approved for TRD and for MDD with suicidal ideation": each use its own part
        parts = [replace(base, label=_name(i), indications=(i,), accepted=_accepted((i,)))
                 for i in base.indications]
    elif base.direction == "benefit" and base.indications and base.concepts and \
            _joined(claim.claim):
        # "relieves chronic pain and improves quality of life": two outcomes.
        parts = [replace(base, label=_name(base.indications[0]), concepts=()),
                 replace(base, label=", ".join(c.replace("_", " ") for c in base.concepts))]
    return [p for part in parts for p in _time_parts(part, claim.claim)]


_SPLIT = re.compile(r";\s*|\s+and\s+(?=(?:\w+\s){0,3}(?:fade|persist|remain|cause|last|"
                    r"improve|reduce|increase|give)\b)", re.I)


def _clause_parts(claim: Claim, base: Assertion) -> list[Assertion]:
    """Safety claims that join different statements ("minimal side effects; the
    disorientation fades and mood gains persist") are checked statement by statement."""
    from litwatch.claims.intake import derive, without_rejected
    if base.kind != "safety":
        return []
    texts = [t for t in _SPLIT.split(without_rejected(claim.claim)) if t and len(t.split()) >= 2]
    if len(texts) < 2:
        return []
    parts = []
    for text in texts:
        imp = derive(text)
        if not (imp.concepts or imp.indications or imp.time_frame):
            continue
        sub = replace(claim, claim=text, implies=replace(imp, drugs=claim.implies.drugs))
        parts.append(replace(_base(sub), label=text))
    kinds = {(p.kind, p.direction) for p in parts}
    return parts if len(parts) > 1 and len(kinds) > 1 else []


def _joined(text: str) -> bool:
    # "relieve chronic pain and improve quality of life" claims two outcomes; "life-
    # saving for people with suicidal thoughts" one outcome in a population.
    return bool(re.search(r"\band (?:\w+ ){0,2}(?:improv|reduc|increas|restor|enhanc|boost)\w*",
                          text,
                          re.I))


def _one_system(concepts: list[str]) -> bool:
    # "NMDA receptors and the glutamate system" is one mechanism, not two.
    return set(concepts) <= {"glutamate", "nmda"}


# An approval or use without the add-on it usually has ("stand-alone treatment",
# "with or without an oral antidepressant", "as monotherapy").
STAND_ALONE = re.compile(r"\bstand-?alone\b|\bmono-?therapy\b|\bwithout an? (?:oral )?"
                         r"antidepressant|\bwith or without\b|\bon its own\b|\bby itself\b",
                         re.IGNORECASE)


def _time_parts(part: Assertion, text: str) -> list[Assertion]:
    """"Fast-acting and long-lasting": an onset part and a duration part."""
    onset = onset_window(text)
    if part.durable and onset and part.direction == "benefit" and part.window:
        return [replace(part, label=f"{part.label}: {onset.label}", window=onset),
                replace(part, label=f"{part.label}: {part.window.label}")]
    # "improves within a day, and the improvement lasts one to two weeks": the window
    # read is the onset; how long it lasts is a second statement to check.
    lasting = duration_window(text)
    window = part.window
    if lasting and window and window.onset_hours is not None and not window.precise \
            and part.direction == "benefit":
        return [replace(part, label=f"{part.label}: {window.label}"),
                replace(part, label=f"{part.label}: {lasting.label}", window=lasting)]
    return [part]
