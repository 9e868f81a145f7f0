"""Classify a parsed record: indication, route, design, drug, topic and more.

`classify_record` is pure: the taxonomies (litwatch/classify/taxonomies/*.toml) are
read and compiled once per process, then every call only reads the record's own
sentences.  The pipeline splits a record into sentences once
(`litwatch.classify.sentences.sentences_of`) and hands them in; every label keeps
the sentence it was read from (text, field or role, index), so `litwatch show` and
the digest can say why a record is "RCT, intranasal".  Background sentences about
other studies are never read (litwatch/classify/study.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from litwatch.classify.comparator import classify_comparators
from litwatch.classify.design import classify_design
from litwatch.classify.drug import classify_drugs
from litwatch.classify.extract import dose, masking, phase, sample_size
from litwatch.classify.fields import RecordView, view_of
from litwatch.classify.indication import classify_indications
from litwatch.classify.labels import Classification, Label
from litwatch.classify.route import classify_routes
from litwatch.classify.sentences import Sentence, sentences_of
from litwatch.classify.study import StudyText
from litwatch.classify.summary import summarize
from litwatch.classify.topic import classify_topic
from litwatch.records import Record
from litwatch.vocab import REVIEW_DESIGNS

# Designs where naming a comparator would mislead (no comparison is made).
_NO_COMPARATOR = {"narrative_review", "guideline", "other", "case_report"}

__all__ = ["classify_record"]


def classify_record(record: Record, matched_queries: Iterable[str] = (),
                    sentences: Sequence[Sentence] | None = None) -> Classification:
    """Labels with evidence, sample size and a one- or two-line summary for a record."""
    if sentences is None:
        sentences = sentences_of(record)
    study = StudyText.of(record, list(sentences))
    base = view_of(record)
    view = study.view(base)
    design = study.anchored(classify_design(record, view, base))
    study.review = design.value in REVIEW_DESIGNS
    drugs = classify_drugs(study, base, design.value)
    topic = classify_topic(study, any(lb.field == "mesh" for lb in drugs))
    # "Recent studies have shown that ketamine ...": an off-topic study that gives none
    # has no ketamine drug or route (the oral route is its own drug's).
    gives_none = topic.value == "off_topic" and _only_background(drugs, study)
    if gives_none:
        drugs = []
    labels: list[Label] = []
    labels += classify_indications(study, base, tuple(matched_queries))
    labels += [Label("route", "not_stated", "default", "no ketamine given")] if gives_none \
        else classify_routes(study, base, [lb.value for lb in drugs])
    labels.append(design)
    labels += drugs
    labels.append(topic)
    labels += _details(record, view, study, design.value)
    size, size_labels = sample_size(record, study)
    labels += size_labels
    result = Classification(labels=labels, sample_size=size)
    result.summary = summarize(record, result, sentences)
    return result


def _only_background(drugs: list[Label], study: StudyText) -> bool:
    own = {s.index for s in study.own}
    return bool(drugs) and all(lb.sentence_index is not None and lb.sentence_index not in own
                               for lb in drugs)


def _details(record: Record, view: RecordView, study: StudyText, design: str) -> list[Label]:
    """Comparator, phase, masking and dose, each anchored on its sentence."""
    labels: list[Label] = []
    if design not in _NO_COMPARATOR:
        labels += classify_comparators(record, view, design)
    labels += phase(record, view) + masking(record, view)
    return [study.anchored(lb) for lb in labels] + dose(record, study)

