"""Design of a ClinicalTrials.gov record, with or without its design module.

The design module decides when it is there (study type, allocation, model).  Old
records and copies of records often lack it; they still have titles, a summary
and interventions, read in this order of trust:

1. words that state randomisation ("randomized", "placebo-controlled", "double-blind");
2. two populations compared ("healthy Japanese and Caucasian adults"): a
   non-randomised comparison; else a control: a comparator arm, a placebo / saline /
   sham intervention, a comparison in the text, or two or more distinct treatments
   (dose groups, drug vs therapy);
3. words for a single group ("open-label", "pilot", "phase 2 study");
4. observational words, only when nothing says the study is interventional (a
   registered phase means it is);
5. an aim only a comparison can show: to prevent a condition, to reduce the need
   for opioids ("Does a single dose reduce the need for ...?"): a controlled trial;
6. nothing describing a comparison: one group (the record describes no other).

"saline" that is the drug's diluent ("as a solution in 0.9% saline") is no control.

A registration typed observational whose title states randomisation against a
control is read by its title (a mis-typed record).
"""

from __future__ import annotations

from dataclasses import replace

from litwatch.classify.any_phrase import AnyPhrase, Found
from litwatch.classify.design import rules, text_design
from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label
from litwatch.records import Trial

_COMPARATOR_ARMS = ("PLACEBO_COMPARATOR", "ACTIVE_COMPARATOR", "SHAM_COMPARATOR")
_NOT_TREATMENTS = {"DIAGNOSTIC_TEST", "DEVICE", "OTHER"}


def trial_design(trial: Trial, view: RecordView) -> Label:
    label = _mistyped(trial, view) or module_design(trial) or _blinded_groups(
        text_design(view, only=("rct", "non_randomized")), view) or _self_described(
        trial, view) or _populations(view) or _controlled(trial, view) or text_design(
        view, only=("single_arm",))
    if label is None and not interventional(trial):
        label = text_design(view, only=("observational",))
    return label or _single_group(view) or _prevention(view) or Label(
        "design", "single_arm" if interventional(trial) or not trial.study_type else "other",
        "design_module", trial.study_type or "no design module: no comparison described")


def _blinded_groups(label: Label | None, view: RecordView) -> Label | None:
    """A non-randomised label read off "divided into two groups" becomes a randomised
    one when the groups are blinded; a stated non-randomised design stays."""
    if label is None or label.value != "non_randomized" or rules().not_random.search(view.text):
        return label
    blind = rules().blinded.search(view.text)
    return replace(label, value="rct", evidence=f"{label.evidence} ({blind.group(0)})") \
        if blind else label


def _self_described(trial: Trial, view: RecordView) -> Label | None:
    # The registry's own fields, whole: a one-line summary saying what the study is
    # may read as a note about it rather than one of its own sentences.
    text = "\n".join([view.text, trial.brief_summary or ""])
    found = rules().single_stated.search(text)
    if found:
        return Label("design", "single_arm", "brief_summary", found.group(0))
    found = None if interventional(trial) else rules().observed_stated.search(text)
    return Label("design", "observational", "brief_summary", found.group(0)) if found else None


def _mistyped(trial: Trial, view: RecordView) -> Label | None:
    """studyType OBSERVATIONAL under a title saying "randomized ... controlled", or
    over a description that randomises sessions of the drug against a placebo."""
    if trial.study_type.upper() != "OBSERVATIONAL":
        return None
    label = text_design(replace(view, body=""), only=("rct",))
    if label is not None and label.field == "title":
        return label
    label = text_design(view, only=("rct",))
    return label if label is not None and rules().placebo.search(view.body) else None


def interventional(trial: Trial) -> bool:
    """Registered as interventional, or with a phase (only interventional studies have one)."""
    phases = [p for p in trial.phases if p.upper() not in ("NA", "N/A", "")]
    return trial.study_type.upper() == "INTERVENTIONAL" or bool(phases)


def module_design(trial: Trial) -> Label | None:
    kind, alloc = trial.study_type.upper(), trial.allocation.upper()
    model = trial.intervention_model.upper()
    if kind == "OBSERVATIONAL":
        return Label("design", "observational", "design_module", "studyType=OBSERVATIONAL")
    if kind == "EXPANDED_ACCESS":
        return Label("design", "other", "design_module", "studyType=EXPANDED_ACCESS")
    if kind not in ("INTERVENTIONAL", ""):
        return None
    if alloc == "RANDOMIZED":
        return Label("design", "rct", "design_module", "allocation=RANDOMIZED")
    if model == "SINGLE_GROUP":
        return Label("design", "single_arm", "design_module", "interventionModel=SINGLE_GROUP")
    if alloc == "NON_RANDOMIZED":
        return Label("design", "non_randomized", "design_module", "allocation=NON_RANDOMIZED")
    if alloc == "NA" and kind:
        return Label("design", "single_arm", "design_module", "allocation=NA")
    return None


def _controlled(trial: Trial, view: RecordView) -> Label | None:
    for arm in trial.arm_groups:
        if arm.type.upper() in _COMPARATOR_ARMS:
            return Label("design", "rct", "arm_group", f"{arm.label} ({arm.type})")
    for iv in trial.interventions:
        if iv.name and rules().control.search(iv.name):
            return Label("design", "rct", "intervention", iv.name)
    treatments = [iv.name for iv in trial.interventions if iv.name
                  and iv.type.upper() not in _NOT_TREATMENTS
                  and not rules().not_arms.search(iv.name)]
    m = _control_named(view.text)
    if m:
        where = "title" if m.start() < len(view.title) else view.body_field
        return Label("design", "rct", where, m.group(0))
    if len({n.lower() for n in treatments}) >= 2 and len(trial.arm_groups) != 1:
        return Label("design", "rct", "intervention", " ; ".join(treatments))
    return None


def _control_named(text: str) -> Found | None:
    """The first control the text names, passing over saline that dilutes the drug."""
    found = rules().control.finditer(text)
    if not found:
        return None
    diluted = rules().diluent.finditer(text)
    return next((m for m in found if not any(
        d.start() <= m.start() and m.end() <= d.end() for d in diluted)), None)


def _prevention(view: RecordView) -> Label | None:
    return _phrase_label(rules().prevention, "rct", view)


def _populations(view: RecordView) -> Label | None:
    return _phrase_label(rules().populations, "non_randomized", view)


def _phrase_label(phrases: AnyPhrase, design: str, view: RecordView) -> Label | None:
    m = phrases.search(view.text)
    if m is None:
        return None
    where = "title" if m.start() < len(view.title) else view.body_field
    return Label("design", design, where, m.group(0))


def _single_group(view: RecordView) -> Label | None:
    m = rules().single_group.search(view.text)
    if m is None:
        return None
    where = "title" if m.start() < len(view.title) else view.body_field
    return Label("design", "single_arm", where, m.group(0))
