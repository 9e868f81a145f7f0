"""Study design: exactly one per record.

ClinicalTrials.gov states its design (study type, allocation, model); a record
copied without its design module still has its titles and summary ("randomized",
"open-label single group") and its arms: a placebo arm or a second drug means a
controlled, in practice randomised, trial.  PubMed publication types decide once
NLM has indexed a paper; before that (and for feeds) text tiers from designs.toml
decide, in precedence order, reading the title and the study's own sentences only
(an RCT's background that cites a meta-analysis does not make it one).  Animal MeSH
without "Humans" means preclinical whatever the text says.  An abstract under topic
headings is an essay and is read for review, guideline and commentary words only; a
paper naming no design at all is read for what it describes (design_unstated.py).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

from litwatch.classify.any_phrase import AnyPhrase, Found, compile_any
from litwatch.classify.design_unstated import ESSAY_DESIGNS, topic_headed, unstated_design
from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label
from litwatch.classify.taxonomy import load
from litwatch.records import Record, Trial
from litwatch.vocab import DESIGNS, REVIEW_DESIGNS


@dataclass(frozen=True)
class TextTier:
    name: str            # the tier's name (its design unless designs.toml names it)
    design: str
    title: AnyPhrase
    phrases: AnyPhrase
    requires: AnyPhrase | None
    skip: AnyPhrase | None
    humans: AnyPhrase | None
    unless: AnyPhrase | None     # words anywhere in the text that rule the tier out
    over_titles: AnyPhrase | None  # body words that beat another tier's title


@dataclass(frozen=True)
class DesignRules:
    pubtypes: list[dict[str, Any]]
    mesh: dict[str, set[str]]
    tiers: list[TextTier]
    control: AnyPhrase          # a registry record's control arm named in its text
    single_group: AnyPhrase     # ... or every participant receiving the same treatment
    not_arms: AnyPhrase         # interventions that are measurements, not treatments
    diluent: AnyPhrase          # "a solution in 0.9% saline": saline that is no control arm
    prevention: AnyPhrase       # aims only a control group can show ("prevent ...")
    populations: AnyPhrase      # two populations compared ("Japanese and Caucasian adults")
    blinded: AnyPhrase          # groups blinded to their treatment
    not_random: AnyPhrase       # a design stated as not randomised
    placebo: AnyPhrase          # a placebo-type control
    single_stated: AnyPhrase    # a registry record calling itself one group
    observed_stated: AnyPhrase  # ... or observational


@cache
def rules() -> DesignRules:
    data = load("designs")
    tiers = []
    for t in data["text"]:
        if t["design"] not in DESIGNS:
            raise ValueError(f"designs.toml: unknown design {t['design']!r}")
        tiers.append(TextTier(
            t.get("name", t["design"]), t["design"], compile_any(t.get("title", [])),
            compile_any(t.get("phrases", [])),
            compile_any(t["requires"]) if "requires" in t else None,
            compile_any(t["skip"]) if "skip" in t else None,
            compile_any(t["humans"]) if "humans" in t else None,
            compile_any(t["unless"]) if "unless" in t else None,
            compile_any(t["over_titles"]) if "over_titles" in t else None))
    pubtypes = [dict(p, types={x.lower() for x in p["types"]},
                     unless=compile_any(p["unless"]) if "unless" in p else None)
                for p in data["pubtypes"]]
    mesh = {k: {t.lower() for t in v} for k, v in data["mesh"].items()}
    arms = data["registry_arms"]
    return DesignRules(pubtypes, mesh, tiers, *(compile_any(arms[k]) for k in (
        "control", "single_group", "not_arms", "diluent", "prevention", "populations",
        "blinded", "not_random", "placebo", "single_stated", "observed_stated")))


def classify_design(record: Record, view: RecordView, full: RecordView | None = None) -> Label:
    """`view` holds the study's own sentences; `full` (every sentence) is read only
    when those name no design (a review whose abstract is all background)."""
    if isinstance(record, Trial):
        from litwatch.classify.trial_design import trial_design
        return trial_design(record, view)
    label = paper_design(view, record)
    if label.field != "default":
        return label
    # Only a review's design may be named in its background ("An overview of the
    # latest statistics ... is provided"); a study cites other designs there.
    review = text_design(full, only=REVIEW_DESIGNS) if full is not None else None
    return review or unstated_design(view, full or view, topic_headed(record)) or label


def paper_design(view: RecordView, record: Record | None = None) -> Label:
    """Publication types, then MeSH and text; `record` tells an essay's layout."""
    types = {t.lower(): t for t in view.publication_types}
    for rule in rules().pubtypes:
        hit = next((types[t] for t in types if t in rule["types"]), None)
        if hit is None:
            continue
        label = _apply_pubtype(rule, hit, view)
        if label is not None:
            return label
    essay = record is not None and topic_headed(record)
    return _mesh_or_text(view, ESSAY_DESIGNS if essay else ())


def _apply_pubtype(rule: dict[str, Any], pubtype: str, view: RecordView) -> Label | None:
    if rule["unless"] is not None and rule["unless"].search(view.text):
        sr_text = text_design(view, only=("systematic_review",))
        return sr_text or Label("design", rule["unless_design"], "publication_type", pubtype)
    override = _override(rule, view)
    if override is not None:
        return override
    if rule["design"] != "text":
        return Label("design", rule["design"], "publication_type", pubtype)
    found = text_design(view, only=tuple(rule["only"]))
    return found or Label("design", rule["fallback"], "publication_type", pubtype)


def _override(rule: dict[str, Any], view: RecordView) -> Label | None:
    """A design the record states that its publication type hides: a case report or
    a secondary analysis typed with its parent trial's type (title), or an open-label
    extension or post hoc analysis of a trial typed as that trial (title or body)."""
    for name in rule.get("title_overrides", []):
        tier = _tier(name)
        m = tier.title.search(view.title)
        if m and not _skipped(tier, view.title, m) and not _ruled_out(tier, view):
            return Label("design", tier.design, "title", m.group(0))
    for name in rule.get("body_overrides", []):
        tier = _tier(name)
        label = _body_match(tier, view)
        if label is not None and not _ruled_out(tier, view):
            return label
    return None


def _tier(name: str) -> TextTier:
    return next(t for t in rules().tiers if t.name == name)


def _mesh_or_text(view: RecordView, only: tuple[str, ...] = ()) -> Label:
    """MeSH and text tiers; `only` limits the text tiers (an essay's designs)."""
    mesh = {m.lower(): m for m in view.mesh}
    animals = [mesh[m] for m in mesh if m in rules().mesh["preclinical_animals"]]
    if animals and not any(m in rules().mesh["humans"] for m in mesh):
        return Label("design", "preclinical", "mesh", animals[0])
    found = text_design(view, only)
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


def text_design(view: RecordView, only: Collection[str] = ()) -> Label | None:
    """The first tier (in precedence order) the title names, else the first the text does.

    Titles go first because authors name their own design there ("...: a
    randomized trial"), while abstracts also name the designs of other work.
    """
    tiers = [t for t in rules().tiers if not only or t.design in only]
    for tier in tiers:
        # "This paper describes the protocol" under a title that reads like the
        # finished trial ("...: A Randomized, Double-Blind, Controlled Trial").
        over = tier.over_titles.search(view.body) if tier.over_titles else None
        if over is not None:
            return Label("design", tier.design, view.body_field, over.group(0))
    for tier in tiers:
        title = tier.title.search(view.title)
        if title and not _skipped(tier, view.title, title) and not _ruled_out(tier, view):
            return Label("design", tier.design, "title", title.group(0))
    for tier in tiers:
        label = _body_match(tier, view)
        if label is not None and not _ruled_out(tier, view):
            return label
    return None


def _ruled_out(tier: TextTier, view: RecordView) -> bool:
    """The tier's `unless` words anywhere in the text.  Read only once the tier
    matched: most records never reach the few tiers that have such words."""
    return tier.unless is not None and tier.unless.search(view.text) is not None


def _body_match(tier: TextTier, view: RecordView) -> Label | None:
    if tier.humans is not None:
        return _preclinical_match(tier, tier.humans, view)
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


def _preclinical_match(tier: TextTier, human_words: AnyPhrase, view: RecordView
                       ) -> Label | None:
    """Animal or lab work outnumbering human participants (`human_words`, the tier's
    humans phrases) in the text."""
    lab = list(tier.phrases.finditer(view.body))
    humans = human_words.count(view.body)
    if len(lab) >= 2 and len(lab) > humans:
        return Label("design", tier.design, view.body_field, lab[0].group(0))
    return None
