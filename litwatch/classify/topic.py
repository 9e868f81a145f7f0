"""Topic: is ketamine, esketamine or arketamine an intervention this study studies?

A PubMed query for ketamine also finds the rat study anaesthetised with ketamine/
xylazine, the sedation trial that randomises ondansetron on top of ketamine, the
review that lists ketamine among twenty drugs and the survey that counts ketamine
use.  The record is "on_topic" when any mention of the drug in the study's own
sentences is the intervention (litwatch/classify/mentions.py judges each one), and
"off_topic" when none is: no mention at all, or only mentions in another role.  A
record whose title or aim frames the drug as the comparator ("dexmedetomidine is
better than intranasal ketamine") or as the challenge of a model another drug is
tested on ("ketamine-induced deficits are not reversed by antipsychotics") is off
topic, and so is a trial whose arms give the drug only as a comparator.  Registry
conditions and keywords are not read: they list drug names as often as diseases.
"""

from __future__ import annotations

import re

from litwatch.classify.drug import drug_hits
from litwatch.classify.labels import Label, label_from
from litwatch.classify.mentions import role_of
from litwatch.classify.sentences import Sentence
from litwatch.classify.study import StudyText
from litwatch.records import Trial

# The summary of a record without interventions saying the drug is given.
_GIVING = re.compile(
    r"\b(?:will|to) (?:\w+ ){0,3}?(?:receive|be given|be administered|be randomi[sz]ed|"
    r"be treated|be infused|administer|give)\b|\b(?:infusions?|doses?|dosing|bolus) of\b|"
    r"\b(?:receive|received|receiving|given|administered|treated with)\b"
    # "drug administration (ketamine or saline)", "how ketamine can affect memory"
    r"|\badministration (?:of\b|\()|\bhow (?:es|ar)?ketamine (?:\w+ )?(?:affects?|influences?|"
    r"changes?|alters?|modulates?|works?)\b", re.IGNORECASE)

_COMPARATOR_ARMS = {"ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR", "SHAM_COMPARATOR"}
_UNREAD = frozenset(("condition", "keyword"))
_FRAMING = frozenset(("title", "official_title", "objective", "brief_summary"))
_TITLES = frozenset(("title", "official_title"))
# Roles that, framing a title or aim, make another drug the subject: the comparator
# it is measured against, or the challenge whose effects it is tested on.
_FRAMING_ROLES = frozenset(("comparator", "challenge"))


def classify_topic(study: StudyText, mesh_drugs: bool) -> Label:
    """"on_topic" or "off_topic", with the sentence that decided it."""
    comparator_arm = _comparator_only(study) or _other_drug_arms(study)
    if comparator_arm:
        return Label("topic", "off_topic", "arm_group", comparator_arm)
    unnamed = _summary_only(study)
    if unnamed is not None:
        return label_from("topic", "off_topic", unnamed)
    sentences = [s for s in study.scope() if s.field not in _UNREAD and study.drugs[s.index]]
    framing = next((s for s in sentences if _frames_as_comparator(study, s)), None)
    if framing is not None:
        return label_from("topic", "off_topic", framing)
    incidental = None
    for s in sentences:
        roles = [role_of(s.text, h, s.field in _TITLES) for h in study.drugs[s.index]]
        if None in roles:
            return label_from("topic", "on_topic", s)
        incidental = incidental or s
    if incidental is not None:
        return label_from("topic", "off_topic", incidental)
    if mesh_drugs:
        return Label("topic", "on_topic", "mesh", "drug indexed in MeSH, not named in the text")
    return Label("topic", "off_topic", "default", "no ketamine, esketamine or arketamine named")


def _frames_as_comparator(study: StudyText, s) -> bool:  # type: ignore[no-untyped-def]
    """A title or aim where every mention of the drug is another drug's comparator or
    the challenge another drug is tested against."""
    if s.field not in _FRAMING and s.role != "objective":
        return False
    roles = [role_of(s.text, h, s.field in _TITLES) for h in study.drugs[s.index]]
    return bool(_FRAMING_ROLES.intersection(roles)) and None not in roles


def _comparator_only(study: StudyText) -> str:
    """A trial's arm label when the drug is only in comparator arms beside experimental ones."""
    trial = study.record
    if not isinstance(trial, Trial) or not trial.arm_groups:
        return ""
    ours = {iv.name.lower() for iv in trial.interventions
            if drug_hits(" ".join([iv.name, *iv.other_names]))}
    with_drug, experimental = [], False
    for arm in trial.arm_groups:
        kind = arm.type.upper()
        experimental = experimental or kind == "EXPERIMENTAL"
        used = {n.split(":", 1)[-1].strip().lower() for n in arm.intervention_names}
        if used & ours or drug_hits(f"{arm.label} {arm.description}"):
            with_drug.append((arm, kind))
    if experimental and with_drug and all(k in _COMPARATOR_ARMS for _, k in with_drug):
        arm = with_drug[0][0]
        return f"{arm.label}: {arm.description}".strip(": ")
    return ""


def _other_drug_arms(study: StudyText) -> str:
    """A trial whose every arm gives named interventions, none of them the drug
    ("Ondansetron", "Placebo" under ketamine sedation): the drug is the care around it."""
    trial = study.record
    if not isinstance(trial, Trial) or not trial.arm_groups:
        return ""
    for arm in trial.arm_groups:
        names = [n.split(":", 1)[-1].strip() for n in arm.intervention_names]
        if not names or drug_hits(" ".join([arm.label, arm.description, *names])):
            return ""
    if any(drug_hits(" ".join([iv.name, *iv.other_names])) for iv in trial.interventions):
        return ""
    arm = trial.arm_groups[0]
    return f"{arm.label}: {', '.join(arm.intervention_names)}".strip(": ")


_REGISTRY_NAMING = frozenset(("title", "official_title", "intervention", "arm_group"))


def _summary_only(study: StudyText) -> Sentence | None:
    """A registry record whose titles, interventions and arms never name the drug and
    whose summary names it only in passing (a list of anaesthetics harming rat pups):
    the first such sentence; None when the drug is named where a trial names its
    treatment, or the summary says it is given."""
    trial = study.record
    if not isinstance(trial, Trial) or not (trial.brief_title or trial.official_title):
        return None             # a copy without its titles: the summary is all there is
    named = [s for s in study.sentences if study.drugs[s.index]]
    if not named or any(s.field in _REGISTRY_NAMING for s in named):
        return None
    if any(_GIVING.search(s.text) for s in named):
        return None
    return named[0]
