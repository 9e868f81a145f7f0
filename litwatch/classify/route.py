"""Route of administration of the study drug, from the study's own sentences.

A route phrase belongs to the drug it modifies or stands nearest to (ours or
another; litwatch/classify/route_attach.py): in "esketamine nasal spray plus an
oral antidepressant" only "nasal spray" is esketamine's, and in "intranasal ketamine
versus IV morphine" IV is the comparator's.  It must belong to a drug the study
gave (classify_drugs): "IV ketamine" in an esketamine case series' objective is not
the route the cases received.  Background sentences are read only when the study's
own sentences state no route (a secondary analysis naming its parent trial's).

A formulation is not a route: routes.toml sorts phrases into stated routes, implied
ones ("infusion": intravenous, losing to a stated route in its sentence) and forms
("oral solution", "tablets": losing to the stated route that qualifies them,
"oral solution for sublingual use").
ClinicalTrials.gov has no route field, so a trial's route comes from its
interventions, the arm groups using them, its titles and its summary sentences.
A product name (Spravato) implies its route only when nothing is stated; MeSH and
route words not tied to a drug are the last resort.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from litwatch.classify.drug import drug_hits
from litwatch.classify.drug import rules as drug_rules
from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label, label_from
from litwatch.classify.route_attach import attributed, rules, scan_routes
from litwatch.classify.sentences import Sentence
from litwatch.classify.study import StudyText
from litwatch.classify.taxonomy import Hit
from litwatch.records import Trial

_NOT_DRUG_TYPES = {"DEVICE", "PROCEDURE", "BEHAVIORAL", "RADIATION", "DIAGNOSTIC_TEST"}
_DRUG_TYPES = {"DRUG", "BIOLOGICAL", "COMBINATION_PRODUCT", "DIETARY_SUPPLEMENT", "GENETIC"}
_REGISTRY_OWN = ("intervention", "arm_group")
# A stated route qualifies a form no further away than this, within one phrase.
_QUALIFY_GAP = 40
_APART = re.compile(r"[,;]|\b(?:and|or|after|before|then|versus|vs)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RouteHit:
    hit: Hit
    sentence: Sentence


def classify_routes(study: StudyText, view: RecordView, drugs: list[str]) -> list[Label]:
    """Routes of the study drugs (`drugs`); of the study's intervention when it has none."""
    if drugs:
        # Background speaks only when the study's own sentences state no route
        # (a secondary analysis naming its parent trial's "intravenous ketamine").
        given = set(drugs)
        focus = _focus_interventions(study, given)
        found = _drug_routes(study, given, study.scope(whole_review=False), focus)
        if study.review or not found:
            # A review lists routes without naming the drug each time ("other routes
            # ... include oral, sublingual, intranasal").
            found += _unattributed(study)
        found = _infused_as_stated(found or _drug_routes(study, given, study.other, focus))
        labels = _ranked(found) or _implied_by_product(study)
        if not labels and not isinstance(study.record, Trial):
            labels = _mesh(view)
    else:
        labels = _generic_routes(study, view)
    return labels or [Label("route", "not_stated", "default", "no route stated")]


def _drug_routes(study: StudyText, drugs: set[str], scope: list[Sentence],
                 focus: set[str]) -> list[RouteHit]:
    found: list[RouteHit] = []
    for s in scope:
        own_text = s.field in _REGISTRY_OWN and s.text in focus
        named = _generic_as_given(study.drugs[s.index], drugs) + _study_drug(s.text, drugs)
        if not own_text and not named:
            continue
        hits = attributed(s.text, scan_routes(s.text), named, drugs, own_text)
        found += [RouteHit(h, s) for h in _stated_first(hits, s.text)]
    return found


def _unattributed(study: StudyText) -> list[RouteHit]:
    """Route words of the study's body sentences that name no drug at all ("the
    intravenous route is the most commonly employed"), none near another drug."""
    found = []
    for s in study.body(study.own):
        if study.drugs[s.index]:
            continue
        hits = attributed(s.text, scan_routes(s.text), [], set(), True)
        found += [RouteHit(h, s) for h in _stated_first(hits, s.text)]
    return found


def _generic_as_given(named: list[Hit], drugs: set[str]) -> list[Hit]:
    """In an enantiomer study that is not also a racemate study, "ketamine" is the drug
    class, i.e. the study drug ("intravenous infusion of low-dose ketamine" over an
    S(+)-ketamine abstract) -- unless its sentence names the enantiomer itself."""
    if "ketamine" in drugs or any(h.key in drugs for h in named):
        return named
    given = min(drugs)
    return [Hit(given, h.strong, h.start, h.end, h.text) if h.key == "ketamine" else h
            for h in named]


def _study_drug(text: str, drugs: set[str]) -> list[Hit]:
    """"the study drug", "blinded trial drugs": the drug the study gave, unnamed."""
    key = min(drugs)
    return [Hit(key, True, m.start(), m.end(), m.group(0))
            for m in rules().study_drug.finditer(text)]


def _focus_interventions(study: StudyText, drugs: set[str]) -> set[str]:
    """Intervention and arm sentences about the study drug (texts, for lookup).

    Arms that use an intervention naming the drug count even when their own text
    does not name it; with no intervention naming it, every drug intervention does.
    """
    record = study.record
    if not isinstance(record, Trial):
        return set()
    ivs = [iv for iv in record.interventions if iv.type.upper() not in _NOT_DRUG_TYPES]
    ours = [iv for iv in ivs if _names_drug(" ; ".join([iv.name, *iv.other_names,
                                                        iv.description]), drugs)]
    names = {iv.name.lower() for iv in (ours or ivs)}
    if not record.interventions:
        # A registry page without its interventions module: the arms still say which
        # interventions they use ("Ketamine").
        names = {n.split(":", 1)[-1].strip().lower() for arm in record.arm_groups
                 for n in arm.intervention_names if _names_drug(n, drugs)}
    texts = {s.text for s in study.sentences if s.field == "intervention"
             and any(s.text.lower().startswith(n) for n in names if n)}
    for arm in record.arm_groups:
        used = {n.split(":", 1)[-1].strip().lower() for n in arm.intervention_names}
        if used & names:
            texts.update(s.text for s in study.sentences if s.field == "arm_group"
                         and s.text.startswith(arm.label or arm.description[:40]))
    return texts


def _names_drug(text: str, drugs: set[str]) -> bool:
    return bool({h.key for h in drug_hits(text)} & drugs)


def _stated_first(hits: list[Hit], text: str = "") -> list[Hit]:
    """A stated route outranks an implied one in its sentence ("subcutaneous ... the
    infusion"), and a form it qualifies ("oral solution for sublingual use", "two
    sublingual tablets") -- but not a form listed apart ("two tablets, two sublingual
    tablets and a nasal spray": the plain tablets are oral)."""
    stated = [h for h in hits if h.tier == "phrases"]
    if not stated:
        return hits
    return [h for h in hits if h.tier == "phrases"
            or h.tier == "forms" and not any(_qualifies(s, h, text) for s in stated)]


def _qualifies(stated: Hit, form: Hit, text: str) -> bool:
    between = text[min(stated.end, form.end):max(stated.start, form.start)]
    return len(between) <= _QUALIFY_GAP and not _APART.search(between)



# Routes a drug can be infused by: an "infusion" in a record that states one of them
# is that infusion ("Subcutaneous infusion of ketamine ..."; later "the ketamine
# infusion"), not an intravenous one.  Nasal, oral or IM dosing cannot be infused, so
# beside them an infusion still means intravenous.
_INFUSIBLE = frozenset(("subcutaneous", "other"))


def _infused_as_stated(found: list[RouteHit]) -> list[RouteHit]:
    stated = {r.hit.key for r in found if r.hit.tier == "phrases"}
    if not stated & _INFUSIBLE or "intravenous" in stated:
        return found
    return [r for r in found if not (r.hit.tier == "implied" and r.hit.key == "intravenous")]


def _ranked(found: list[RouteHit]) -> list[Label]:
    """One label per route, most mentioned first (first evidence kept)."""
    counts = Counter(r.hit.key for r in found)
    first: dict[str, RouteHit] = {}
    for r in found:
        first.setdefault(r.hit.key, r)
    return [label_from("route", key, first[key].sentence) for key, _ in counts.most_common()]


def _implied_by_product(study: StudyText) -> list[Label]:
    for s in study.scope():
        for pattern, route in drug_rules().implied_routes:
            if pattern.search(s.text):
                return [label_from("route", route, s)]
    return []


def _mesh(view: RecordView) -> list[Label]:
    labels = [Label("route", rules().mesh[t.lower()], "mesh", t)
              for t in view.mesh if t.lower() in rules().mesh]
    return list({lb.value: lb for lb in reversed(labels)}.values())[::-1]


def _generic_routes(study: StudyText, view: RecordView) -> list[Label]:
    """No study drug (another drug's record): the route of whatever the study gave."""
    record = study.record
    if isinstance(record, Trial):
        typed = [iv for iv in record.interventions if iv.type]
        if typed and not any(iv.type.upper() in _DRUG_TYPES for iv in typed):
            return []       # devices, procedures, behaviour: no route of administration
        focus = _focus_interventions(study, set())
        found = [RouteHit(h, s) for s in study.own if s.text in focus
                 for h in _stated_first(attributed(s.text, scan_routes(s.text), [], set(),
                                                   True))]
        if found:
            return _ranked(found)
    found = [RouteHit(h, s) for s in study.own
             for h in _stated_first(rules().scanner.scan(s.text))]
    return _mesh(view) + [lb for lb in _ranked(found)
                          if lb.value not in {m.value for m in _mesh(view)}]
