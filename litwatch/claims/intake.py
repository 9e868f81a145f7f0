"""Claim intake: what a claim's text implies, derived with the classifier's taxonomies.

"A 2019 study in a psychiatry journal found a 50% drop in depression 24 hours after
one ketamine infusion" implies: drug ketamine, route intravenous (infusion),
indication depression, a cited journal (any psychiatry journal) and year, an
effect size (50% reduction), a precise time point (24 hours), direction benefit.
Indications, routes and drugs come from litwatch/classify/taxonomies (the same
phrases the classifier labels records with), so a claim and a record speak the
same vocabulary; concepts, populations and cue words from lexicon.toml.
"""

from __future__ import annotations

import re
from functools import cache

from litwatch import vocab
from litwatch.claims import lexicon
from litwatch.claims.intake_cites import (
    INSTITUTION,
    STUDY_CITED,
    cited_country,
    cited_journal,
    cited_trial,
    cited_year,
    claimed_effect,
    described_study,
)
from litwatch.claims.intake_cues import LAY_RESISTANCE, treats_substance_use
from litwatch.claims.intake_kind import (
    DENIES_CAUSING,
    Found,
    claim_direction,
    claim_kind,
    read_as,
    without_harm_list,
)
from litwatch.claims.model import Implies
from litwatch.claims.timeframe import claim_window
from litwatch.classify.taxonomy import SKIP, PhraseScanner, keyed_sections, load

# Taxonomy keys that name a setting, not something a claim asserts a treatment for.
_NOT_CLAIMED = {"other", "healthy_volunteers", "anaesthesia", "not_stated"}
_DESIGNS = [(re.compile(r"meta-analys\w*|systematic review", re.I), "systematic_review"),
            (re.compile(r"\bguidelines?\b|\bconsensus (?:statement|panel|recommendations?)\b",
                        re.I), "guideline"),
            (re.compile(r"randomi[sz]ed|\brcts?\b|controlled trials?|placebo-controlled", re.I),
             "rct")]


@cache
def _scanner(name: str) -> PhraseScanner:
    # Every phrase list of a key (stated, weak, implied), skip phrases first: a claim's
    # "infusion" implies intravenous as it would in a record.
    data = load(name)
    # The tier names the list a phrase came from; only hit keys and positions are used here.
    groups: list[tuple[str, str, list[str]]] = [
        (SKIP, "skip", list(data.get("skip", {}).get("phrases", [])))]
    for key, section in keyed_sections(data).items():
        for part in ("phrases", "implied", "weak"):
            if isinstance(section.get(part), list):
                groups.append((key, part, list(section[part])))
    return PhraseScanner(groups)


_VOCAB = {"indications": vocab.INDICATIONS, "routes": vocab.ROUTES, "drugs": vocab.DRUGS}


def _mentions(name: str, text: str) -> list[tuple[int, str]]:
    """(position, key) of every vocabulary key a taxonomy finds in `text`.  Taxonomies
    also hold helper tables (route "contrast" words) and combined keys
    ("mdd+suicidal_ideation" names both): only vocabulary keys are implied."""
    return [(hit.start, key) for hit in _scanner(name).scan(text)
            for key in hit.key.split("+") if key in _VOCAB[name] and key not in _NOT_CLAIMED]


def _condition(text: str, indications: tuple[str, ...]) -> str:
    """What a finding's record must name beyond the indication keys: ECT as the setting
    ("ketamine as the anaesthetic for ECT boosts its antidepressant response" is about
    ECT whatever the indication), else an unkeyed condition when no key was found."""
    if _IN_ECT.search(text):
        return "electroconvulsive"
    return "" if indications else _other_condition(text)


def _other_condition(text: str) -> str:
    """A condition the taxonomy knows but keys as "other" ("Rett syndrome", "tinnitus"),
    else the one word after "to treat" that no taxonomy knows ("used to treat
    bronchospasm"): what a finding's record must name, lower-cased; '' when the claim
    names none."""
    hits = [h for h in _scanner("indications").scan(text) if h.key == "other" and h.strong]
    if hits:
        return hits[0].text.lower()
    m = _TREATS_WHAT.search(text)
    if m and m.group(1).lower() not in _NOT_A_CONDITION and not lexicon.concepts_in(m.group(0)):
        return m.group(1).lower()
    return ""


# "ketamine as the anaesthetic for electroconvulsive therapy", "ECT's side effects": the
# setting, which a record must name (not "ketamine versus ECT", a comparison).
_IN_ECT = re.compile(r"\b(?:for|in|during|of|with|to)\s+(?:the\s+)?(?:\w+\s+)?"
                     r"(?:ect|electroconvulsive)\b|\bect(?:\x27|’)s\b", re.IGNORECASE)
# "can be used to treat bronchospasm", "in the treatment of status epilepticus"
_TREATS_WHAT = re.compile(r"\b(?:to treat|treats|treating|the treatment of|a treatment for)\s+"
                          r"(?:acute |chronic |severe |refractory )?([a-z][a-z-]{3,})\b", re.I)
_NOT_A_CONDITION = frozenset("people patients adults children those them these symptoms "
                             "conditions disorders illness illnesses diseases mental many "
                             "several various other some most pain".split())


def _keys(name: str, text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for _, key in _mentions(name, text)))


def drug_mentions(text: str) -> list[tuple[int, str]]:
    """(position, drug key) of every drug named in `text`."""
    return _mentions("drugs", text)


def routes_named(text: str) -> tuple[str, ...]:
    """Route keys a text names, with the classifier's route taxonomy."""
    return _keys("routes", text)


def drugs_named(text: str) -> tuple[str, ...]:
    """Drug keys a text names, enantiomer names consumed first ("R-ketamine" is not
    ketamine): the classifier's drug taxonomy."""
    return _keys("drugs", text)


_VERSUS = re.compile(r"\b(?:than|versus|vs\.?|compared (?:with|to)|as (?:good|effective|well) as|"
                     r"rivals?|over|against|beats?|outperforms?)\b", re.IGNORECASE)


def _versus(text: str) -> str:
    """What a claim measures ketamine against: an active comparator by name ("ect",
    "quetiapine"; the comparator taxonomy finds it, its last word names it), else
    another route or enantiomer of the claim's own ("oral is as good as IV" ->
    "route:intravenous", "esketamine beats ketamine" -> "drug:ketamine")."""
    from litwatch.classify.comparator import scanner
    cue = _VERSUS.search(text)
    if not cue:
        return ""
    # An active placebo ("than with the midazolam control") is the trial's control: a
    # benefit over it is the benefit of a controlled trial, not a head-to-head comparison.
    hits = [h for h in scanner().scan(text) if h.key in ("ect", "other_drug")]
    if not hits:
        return _versus_own_kind(text, cue.start()) or _compared_with(text)
    name = re.findall(r"[a-z]+", hits[0].text.lower())[-1]
    return "ect" if name in ("ect", "electroconvulsive", "therapy", "electroshock") else name


# "fewer side effects than most antidepressants", "more effective for bipolar II than
# for bipolar I": a comparison with something no taxonomy names.  Its first word (and
# a roman numeral after it) is what a finding must name to speak to the claim; a
# class of treatment after it is named with it ("psychiatric medications": a finding on
# psychiatric side effects does not compare ketamine with psychiatric drugs).
_COMPARED = re.compile(
    r"\b(?:more|less|fewer|better|worse|greater|faster|slower|safer|higher|lower|stronger|"
    r"milder|quicker)\b(?:\s+[\w-]+){0,5}?\s+than\s+(?:(?:for|with|in|on|the|a|an|most|many|"
    r"other|standard|traditional|conventional|typical|usual|current|existing|oral|those|"
    r"(?:patients|people|participants|subjects|individuals) (?:on|taking|given|receiving|"
    r"treated with|who (?:received|took|got))|(?:switched|assigned|randomi[sz]ed|allocated|"
    r"moved|changed) (?:back )?to)\s+)*"
    r"([a-z][a-z-]+(?:\s+(?:i{1,3}|iv)\b|\s+(?:medication|medicine|drug|treatment|therap(?:y|ie)|"
    r"antidepressant|painkiller|analgesic|sedative)s?\b)?)", re.IGNORECASE)
_NOT_COMPARED = frozenset("half a an one two three twice double expected before usual "
                          "previously placebo patients people participants those midazolam "
                          "saline sham control controls".split())


def _compared_with(text: str) -> str:
    m = _COMPARED.search(text)
    if not m or m.group(1).split()[0].lower() in _NOT_COMPARED:
        return ""
    words = m.group(1).lower().split()
    if len(words) == 2 and words[1] not in ("i", "ii", "iii", "iv"):
        # the class's stem, which its singular and plural both start with
        words[1] = re.sub(r"(?:ies|y|s)$", "", words[1])
    return " ".join(words)


def _versus_own_kind(text: str, cue_at: int) -> str:
    """A route or drug named after the comparison cue, when another one is named
    before it: two of the same kind on either side of "than/as good as/versus"."""
    for name in ("routes", "drugs"):
        hits = _mentions(name, text)
        before = {k for at, k in hits if at < cue_at}
        after = [k for at, k in hits if at > cue_at and k not in before]
        if before and after:
            return f"{name[:-1]}:{after[0]}"
    return ""


# Treatment resistance is TRD only in a claim on depression (or on esketamine, whose
# use it is: "approved for patients who have not responded to other treatments").
_DEPRESSION = re.compile(r"\bdepress|\bantidepressant|\bmood\b|\btrd\b|esketamine|spravato",
                         re.IGNORECASE)


def _indications(text: str) -> tuple[str, ...]:
    # "side effects such as dissociation, nausea or headache": harms, not conditions.
    keys = list(_keys("indications", without_harm_list(text)))
    # "depression that has not responded to other treatments" is TRD; "bronchospasm
    # that does not respond to other treatment" is not.
    if not _DEPRESSION.search(text):
        if "trd" in keys:
            keys.remove("trd")
    elif LAY_RESISTANCE.search(text) and "trd" not in keys:
        keys = ["trd", *keys]
    # "treatment-resistant depression" also names depression: keep the specific one.
    if "trd" in keys and "mdd" in keys:
        keys.remove("mdd")
    return tuple(keys)


def _populations(text: str, indications: tuple[str, ...]) -> tuple[str, ...]:
    """The populations a claim names, but treatment resistance in a claim about
    treatment-resistant depression: there the indication says it already."""
    found = lexicon.populations_in(text)
    if "trd" in indications:
        found = [p for p in found if p != "treatment_resistant"]
    return tuple(found)


# Who was left out of the studied population ("in depression without psychosis",
# "patients who do not have psychosis"): not what the claim is about.
_LEFT_OUT = re.compile(
    r"\b(?:patients|people|adults|individuals|those|depression|disorders?|ptsd)\s+(?:who\s+"
    r"(?:do|did|does)\s+not\s+have|without|free\s+of|with\s+no)\s+(?:[\w-]+\s+){0,2}?"
    r"[\w-]+"
    # "reduced CRPS pain without much functional improvement": an outcome it did not move
    r"|\bwithout\s+(?:much|any|significant|clear|major|an?)?\s*(?:[\w-]+\s+){0,2}?"
    r"(?:improvements?|benefits?|gains?)\b", re.IGNORECASE)


# "...; saying that it is not addictive is untrue", "the idea that it is safe is a myth":
# a statement the claim rejects restates the claim from the other side.
_REJECTED = re.compile(
    r"[;,]?\s*\b(?:saying|to say|claiming|claims?|the (?:idea|belief|notion|claim|myth))"
    r"(?: that)? [^.;]*?\b(?:is|are) (?:simply |just )?(?:untrue|false|wrong|incorrect|"
    r"misleading|a myth)\b", re.IGNORECASE)


def without_rejected(text: str) -> str:
    """The claim without the statement it rejects, when a claim of its own is left."""
    kept = _REJECTED.sub("", text).strip()
    return kept if len(kept.split()) >= 3 else text


def derive(text: str) -> Implies:
    """What `text` implies, with nothing reviewed: the input of `claims check`."""
    text = without_rejected(text)
    drugs = _keys("drugs", text) or ("ketamine",)
    concepts = lexicon.concepts_in(_LEFT_OUT.sub(" ", text))
    if "patient_selection" in concepts and not lexicon.has("recommend", text):
        concepts.remove("patient_selection")      # "in alcohol use disorder" is no advice
    found: Found = {"indications": _indications(text), "routes": _keys("routes", text),
                     "drugs": drugs, "concepts": tuple(concepts),
                     "journal": cited_journal(text), "year": cited_year(text),
                     "trial": cited_trial(text),
                     "effect": claimed_effect(text),
                     "institution": (m.group(1) if (m := INSTITUTION.search(text))
                                     else cited_country(text)),
                     "study": ""}
    if not (found["journal"] or found["year"] or found["institution"] or found["trial"]):
        # "A pilot study found relapse cut from 76% to 34%", "a controlled study found ...":
        # one study, found as cited only where a record reports what it is said to find.
        found["study"] = described_study(text)
    if treats_substance_use(found["indications"], text):
        found["concepts"] = tuple(c for c in found["concepts"] if c != "addiction")
    kind = claim_kind(text, found)
    if kind == "regulatory" and not STUDY_CITED.search(text):
        # "approved by the FDA in 2019": the year and the agency date the decision;
        # they cite no study to look for.
        found["year"], found["institution"] = None, ""
    if kind == "safety" and not any(lexicon.concepts()[c].role == "harm" for c in concepts) \
            and not (DENIES_CAUSING.search(text) and concepts):
        # "is safe": safety is about side effects ("does not cause memory loss" names its own)
        found["concepts"] += ("side_effects",)
    window = claim_window(text)
    return Implies(
        indications=found["indications"], routes=found["routes"], drugs=drugs,
        designs=tuple(d for rx, d in _DESIGNS if rx.search(text)),
        journal=found["journal"], year=found["year"], institution=found["institution"],
        effect=found["effect"], time_frame=window.label if window else "",
        kind=kind, direction=claim_direction(text, read_as(text, kind, found)),
        concepts=found["concepts"],
        population=_populations(text, found["indications"]),
        absolute=lexicon.has("absolute", text), possible=lexicon.has("possible", text),
        comparative=("psychotherapy" in found["concepts"] and lexicon.has("comparative", text)),
        versus=_versus(text), trial=found["trial"], study=found["study"],
        condition=_condition(text, found["indications"]))
