"""Comparator: placebo, active placebo (midazolam), ECT, another drug, or none.

A trial names its comparators in arm groups typed PLACEBO_COMPARATOR,
ACTIVE_COMPARATOR or SHAM_COMPARATOR; a paper in comparison phrases ("versus
midazolam", "or saline").  A single-arm design has no comparator.
"""

from __future__ import annotations

import re
from functools import cache

from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label
from litwatch.classify.taxonomy import PhraseScanner, build_scanner, load
from litwatch.records import Record, Trial

_COMPARATOR_ARMS = {"PLACEBO_COMPARATOR", "ACTIVE_COMPARATOR", "SHAM_COMPARATOR"}
_UNCONTROLLED = {"single_arm", "case_report"}


@cache
def scanner() -> PhraseScanner:
    return build_scanner(load("comparators"))


def classify_comparators(record: Record, view: RecordView, design: str) -> list[Label]:
    if isinstance(record, Trial):
        labels = _trial_comparators(record)
    else:
        labels = _text_comparators(view)
    if not labels and design in _UNCONTROLLED:
        return [Label("comparator", "none", "design", design)]
    return labels


def _trial_comparators(trial: Trial) -> list[Label]:
    by_name = {iv.name.lower(): iv for iv in trial.interventions}
    labels: dict[str, Label] = {}
    for arm in trial.arm_groups:
        if arm.type.upper() not in _COMPARATOR_ARMS:
            continue
        texts = [arm.label, arm.description]
        for name in arm.intervention_names:
            iv = by_name.get(name.split(":", 1)[-1].strip().lower())
            if iv is not None:
                texts += [iv.name, *iv.other_names, iv.description]
        hit = scanner().first(" ; ".join(texts))
        if hit is not None:
            labels.setdefault(hit.key, Label("comparator", hit.key, "arm_group", hit.text))
        elif arm.type.upper() == "ACTIVE_COMPARATOR":
            labels.setdefault("other_drug", Label("comparator", "other_drug", "arm_group",
                                                  arm.label))
        else:
            labels.setdefault("placebo", Label("comparator", "placebo", "arm_group", arm.label))
    return list(labels.values())


# "The lack of a placebo or other control group limits ...", "without a placebo arm":
# a comparator the study says it did not have.
_DENIED = re.compile(r"\b(?:lack(?:ed|ing)? (?:of )?|no|without|absence of|not|non-|never|"
                     r"instead of)\s*(?:an? |any |the )?(?:\w+[- ])?$", re.IGNORECASE)


def _text_comparators(view: RecordView) -> list[Label]:
    labels: dict[str, Label] = {}
    for field, text in (("title", view.title), (view.body_field, view.body)):
        for hit in scanner().scan(text):
            if _DENIED.search(text[max(0, hit.start - 30):hit.start]):
                continue
            labels.setdefault(hit.key, Label("comparator", hit.key, field, hit.text))
    return list(labels.values())
