"""Route of administration, from MeSH and text (PubMed, feeds) or interventions (ctgov).

ClinicalTrials.gov has no route field, so a trial's route comes from the names,
descriptions and other names of its drug interventions and from the arm groups
that use them.  In free text a route phrase belongs to the nearest drug name: in
"esketamine nasal spray plus an oral antidepressant" only "nasal spray" is
esketamine's.  A product name (Spravato) implies its route only when nothing is
stated.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from litwatch.classify.drug import drug_hits
from litwatch.classify.drug import rules as drug_rules
from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label
from litwatch.classify.taxonomy import Hit, PhraseScanner, build_scanner, compile_any, load
from litwatch.records import ArmGroup, Intervention, Record, Trial

# A route phrase further than this (characters) from every drug name is not
# attributed to a drug; "ketamine (0.5 mg/kg) was given intravenously" fits well.
_MAX_GAP = 60
_DRUG_TYPES = {"DRUG", "BIOLOGICAL", "COMBINATION_PRODUCT", "DIETARY_SUPPLEMENT", "GENETIC"}


@dataclass(frozen=True)
class RouteRules:
    scanner: PhraseScanner
    mesh: dict[str, str]
    other_drugs: object


@cache
def rules() -> RouteRules:
    data = load("routes")
    mesh = {t.lower(): k for k, sec in data.items() if isinstance(sec, dict)
            for t in sec.get("mesh", [])}
    return RouteRules(build_scanner(data, exclude=("anchors",)), mesh,
                      compile_any(data["anchors"]["other_drugs"]))


def classify_routes(record: Record, view: RecordView) -> list[Label]:
    if isinstance(record, Trial):
        labels = _trial_routes(record, view)
    else:
        labels = _text_routes(view)
    return labels or [Label("route", "not_stated", "default", "no route stated")]


def _text_routes(view: RecordView) -> list[Label]:
    """PubMed and feeds: routes near the drug first, MeSH next, any phrase last."""
    near: list[Label] = []
    anywhere: list[Label] = []
    mentions_drug = False
    for field, text in (("title", view.title), (view.body_field, view.body)):
        hits = rules().scanner.scan(text)
        drugs = drug_hits(text)
        mentions_drug = mentions_drug or bool(drugs)
        anywhere += [Label("route", h.key, field, h.text) for h in hits]
        near += [Label("route", h.key, field, h.text) for h in _near_drug(text, hits, drugs)]
    mesh = [Label("route", rules().mesh[t.lower()], "mesh", t)
            for t in view.mesh if t.lower() in rules().mesh]
    if mentions_drug:
        return _ranked(near) or _ranked(mesh) or _ranked(anywhere)
    return _ranked(mesh + anywhere)


def _near_drug(text: str, hits: list[Hit], drugs: list[Hit]) -> list[Hit]:
    """Route hits whose nearest drug name (ours or another) is one of ours."""
    if not drugs:
        return []
    others = [(m.start(), m.end()) for m in rules().other_drugs.finditer(text)]
    ours = [(d.start, d.end) for d in drugs]
    kept = []
    for hit in hits:
        mine = min(_gap(hit, span) for span in ours)
        theirs = min((_gap(hit, span) for span in others), default=_MAX_GAP + 1)
        if mine <= _MAX_GAP and mine <= theirs:
            kept.append(hit)
    return kept


def _gap(hit: Hit, span: tuple[int, int]) -> int:
    start, end = span
    if hit.end <= start:
        return start - hit.end
    if end <= hit.start:
        return hit.start - end
    return 0


def _ranked(labels: list[Label]) -> list[Label]:
    """One label per route, most mentioned first (first evidence kept)."""
    counts = Counter(label.value for label in labels)
    first: dict[str, Label] = {}
    for label in labels:
        first.setdefault(label.value, label)
    return [first[v] for v, _ in counts.most_common()]


def _trial_routes(trial: Trial, view: RecordView) -> list[Label]:
    drugs = [iv for iv in trial.interventions if iv.type.upper() in _DRUG_TYPES]
    if not drugs:
        return []          # devices, procedures, behaviour: no route of administration
    ours = [iv for iv in drugs if drug_hits(_intervention_text(iv))]
    focus = ours or drugs
    labels = _intervention_routes(focus)
    labels += _arm_routes(trial.arm_groups, focus, proximity=bool(ours))
    if labels:
        return _ranked(labels)
    text_labels = _text_routes(view)
    return text_labels or _implied_routes(focus)


def _intervention_text(iv: Intervention) -> str:
    return " ; ".join([iv.name, *iv.other_names, iv.description])


def _intervention_routes(interventions: list[Intervention]) -> list[Label]:
    labels = []
    for iv in interventions:
        for hit in rules().scanner.scan(_intervention_text(iv)):
            labels.append(Label("route", hit.key, "intervention", hit.text))
    return labels


def _arm_routes(arms: list[ArmGroup], focus: list[Intervention], proximity: bool) -> list[Label]:
    names = {iv.name.lower() for iv in focus}
    labels = []
    for arm in arms:
        used = {n.split(":", 1)[-1].strip().lower() for n in arm.intervention_names}
        if not used & names:
            continue
        text = f"{arm.label}: {arm.description}"
        hits = rules().scanner.scan(text)
        if proximity:
            hits = _near_drug(text, hits, drug_hits(text))
        labels += [Label("route", h.key, "arm_group", h.text) for h in hits]
    return labels


def _implied_routes(interventions: list[Intervention]) -> list[Label]:
    for iv in interventions:
        text = _intervention_text(iv)
        for pattern, route in drug_rules().implied_routes:
            m = pattern.search(text)
            if m:
                return [Label("route", route, "intervention", m.group(0))]
    return []
