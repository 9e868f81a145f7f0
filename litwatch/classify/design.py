"""Study design: exactly one per record.

ClinicalTrials.gov states its design (study type, allocation, model).  PubMed
publication types decide once NLM has indexed a paper; before that (and for
feeds) text tiers from designs.toml decide, in precedence order.  Animal MeSH
without "Humans" means preclinical whatever the text says.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label
from litwatch.classify.taxonomy import AnyPhrase, Found, compile_any, load
from litwatch.records import Record, Trial
from litwatch.vocab import DESIGNS


@dataclass(frozen=True)
class TextTier:
    design: str
    title: AnyPhrase
    phrases: AnyPhrase
    requires: AnyPhrase | None
    skip: AnyPhrase | None
    humans: AnyPhrase | None


@dataclass(frozen=True)
class DesignRules:
    pubtypes: list[dict[str, Any]]
    mesh: dict[str, set[str]]
    tiers: list[TextTier]


@cache
def rules() -> DesignRules:
    data = load("designs")
    tiers = []
    for t in data["text"]:
        if t["design"] not in DESIGNS:
            raise ValueError(f"designs.toml: unknown design {t['design']!r}")
        tiers.append(TextTier(
            t["design"], compile_any(t.get("title", [])), compile_any(t.get("phrases", [])),
            compile_any(t["requires"]) if "requires" in t else None,
            compile_any(t["skip"]) if "skip" in t else None,
            compile_any(t["humans"]) if "humans" in t else None))
    pubtypes = [dict(p, types={x.lower() for x in p["types"]},
                     unless=compile_any(p["unless"]) if "unless" in p else None)
                for p in data["pubtypes"]]
    mesh = {k: {t.lower() for t in v} for k, v in data["mesh"].items()}
    return DesignRules(pubtypes, mesh, tiers)


def classify_design(record: Record, view: RecordView) -> Label:
    if isinstance(record, Trial):
        return trial_design(record) or text_design(view) or Label(
            "design", "other", "design_module", record.study_type or "no design module")
    return paper_design(view)


def trial_design(trial: Trial) -> Label | None:
    kind, alloc = trial.study_type.upper(), trial.allocation.upper()
    model = trial.intervention_model.upper()
    if kind == "OBSERVATIONAL":
        return Label("design", "observational", "design_module", "studyType=OBSERVATIONAL")
    if kind == "EXPANDED_ACCESS":
        return Label("design", "other", "design_module", "studyType=EXPANDED_ACCESS")
    if kind != "INTERVENTIONAL":
        return None
    if alloc == "RANDOMIZED":
        return Label("design", "rct", "design_module", "allocation=RANDOMIZED")
    if model == "SINGLE_GROUP":
        return Label("design", "single_arm", "design_module", "interventionModel=SINGLE_GROUP")
    if alloc == "NON_RANDOMIZED":
        return Label("design", "non_randomized", "design_module", "allocation=NON_RANDOMIZED")
    if alloc == "NA":
        return Label("design", "single_arm", "design_module", "allocation=NA")
    return None


def paper_design(view: RecordView) -> Label:
    types = {t.lower(): t for t in view.publication_types}
    for rule in rules().pubtypes:
        hit = next((types[t] for t in types if t in rule["types"]), None)
        if hit is None:
            continue
        label = _apply_pubtype(rule, hit, view)
        if label is not None:
            return label
    return _mesh_or_text(view)


def _apply_pubtype(rule: dict[str, Any], pubtype: str, view: RecordView) -> Label | None:
    if rule["unless"] is not None and rule["unless"].search(view.text):
        sr_text = text_design(view, only=("systematic_review",))
        return sr_text or Label("design", rule["unless_design"], "publication_type", pubtype)
    for design in rule.get("title_overrides", []):
        tier = next(t for t in rules().tiers if t.design == design)
        m = tier.title.search(view.title)
        if m:
            return Label("design", design, "title", m.group(0))
    if rule["design"] != "text":
        return Label("design", rule["design"], "publication_type", pubtype)
    found = text_design(view, only=tuple(rule["only"]))
    return found or Label("design", rule["fallback"], "publication_type", pubtype)


def _mesh_or_text(view: RecordView) -> Label:
    mesh = {m.lower(): m for m in view.mesh}
    animals = [mesh[m] for m in mesh if m in rules().mesh["preclinical_animals"]]
    if animals and not any(m in rules().mesh["humans"] for m in mesh):
        return Label("design", "preclinical", "mesh", animals[0])
    found = text_design(view)
    if found:
        return found
    for design in ("rct", "observational"):
        hit = next((mesh[m] for m in mesh if m in rules().mesh[design]), None)
        if hit:
            return Label("design", design, "mesh", hit)
    in_vitro = next((mesh[m] for m in mesh if m in rules().mesh["in_vitro"]), None)
    if in_vitro:
        return Label("design", "preclinical", "mesh", in_vitro)
    return Label("design", "other", "default", "no design stated")


def text_design(view: RecordView, only: tuple[str, ...] = ()) -> Label | None:
    """The first tier (in precedence order) the title names, else the first the text does.

    Titles go first because authors name their own design there ("...: a
    randomized trial"), while abstracts also name the designs of other work.
    """
    tiers = [t for t in rules().tiers if not only or t.design in only]
    for tier in tiers:
        title = tier.title.search(view.title)
        if title and not _skipped(tier, view.title, title):
            return Label("design", tier.design, "title", title.group(0))
    for tier in tiers:
        label = _body_match(tier, view)
        if label is not None:
            return label
    return None


def _body_match(tier: TextTier, view: RecordView) -> Label | None:
    if tier.humans is not None:
        return _preclinical_match(tier, view)
    for m in tier.phrases.finditer(view.body):
        if _skipped(tier, view.body, m):
            continue
        if tier.requires is not None and not tier.requires.search(view.body):
            return None
        return Label("design", tier.design, view.body_field, m.group(0))
    return None


def _skipped(tier: TextTier, text: str, m: Found) -> bool:
    """True when the match lies inside a skip phrase ("non-randomized", "future RCTs")."""
    if tier.skip is None:
        return False
    return any(s.start() <= m.start() and m.end() <= s.end() for s in tier.skip.finditer(text))


def _preclinical_match(tier: TextTier, view: RecordView) -> Label | None:
    """Animal or lab work outnumbering human participants in the text."""
    lab = list(tier.phrases.finditer(view.body))
    humans = tier.humans.count(view.body)
    if len(lab) >= 2 and len(lab) > humans:
        return Label("design", tier.design, view.body_field, lab[0].group(0))
    return None
