"""Classify a parsed record: indication, route, design, drug and more.

`classify_record` is pure: the taxonomies (litwatch/classify/taxonomies/*.toml) are read and
compiled once per process, then every call only scans the record's own text.
Every label carries the field it was found in and the phrase that matched, so
`litwatch show` and the digest can say why a record is "RCT, intranasal".
"""

from __future__ import annotations

from collections.abc import Iterable

from litwatch.classify.comparator import classify_comparators
from litwatch.classify.design import classify_design
from litwatch.classify.drug import classify_drugs
from litwatch.classify.extract import dose, masking, phase, sample_size
from litwatch.classify.fields import view_of
from litwatch.classify.indication import classify_indications
from litwatch.classify.labels import Classification, Label
from litwatch.classify.route import classify_routes
from litwatch.classify.summary import summarize
from litwatch.records import Record

# Designs where naming a comparator would mislead (no comparison is made).
_NO_COMPARATOR = {"narrative_review", "guideline", "other", "case_report"}

__all__ = ["classify_record"]


def classify_record(record: Record, matched_queries: Iterable[str] = ()) -> Classification:
    """Labels with evidence, sample size and a one- or two-line summary for a record."""
    view = view_of(record)
    design = classify_design(record, view)
    labels: list[Label] = []
    labels += classify_indications(view, tuple(matched_queries))
    labels += classify_routes(record, view)
    labels.append(design)
    labels += classify_drugs(record, view)
    if design.value not in _NO_COMPARATOR:
        labels += classify_comparators(record, view, design.value)
    labels += phase(record, view)
    labels += masking(record, view)
    labels += dose(record, view)
    size, size_labels = sample_size(record, view)
    labels += size_labels
    result = Classification(labels=labels, sample_size=size)
    result.summary = summarize(record, result)
    return result
