"""Design of a paper that names none: what its abstract describes.

Read only when no publication type, MeSH term or design phrase decided (a record
NLM has not indexed yet, a feed item, a copy of a journal page).  Authors do not
always name their design, but a careful reader still tells apart:

- an essay: no data of its own (nobody counted, no statistics, no "we", no
  "results") but talk of what research has shown, or an abstract under topic
  headings instead of methods and results.  A narrative review, or a commentary
  when its title asks a question ("Can X be safe?");
- volunteers given the drug for research: one group studied, or a non-randomised
  comparison when the same volunteers had several preparations compared;
- a few patients counted and treated: a case series; unless they had one of two
  treatments ("treated with either ketamine or ECT": a non-randomised comparison) or
  their drug levels were measured (a pharmacokinetic study of one group).

Phrases are data ([unstated] in designs.toml), matched with the taxonomy scanners;
everything here runs only for the few records that name no design.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from litwatch.classify.any_phrase import AnyPhrase, compile_any
from litwatch.classify.extract import words_to_int
from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label
from litwatch.classify.sentences import section_role
from litwatch.classify.taxonomy import load
from litwatch.records import AbstractSection, Paper, Record

# Designs an essay can have: it reviews, recommends, comments or reports a case.
ESSAY_DESIGNS = ("protocol", "systematic_review", "guideline", "other", "narrative_review",
                 "case_report")
_STUDY_ROLES = frozenset(("methods", "results"))
_NO_HEADING = frozenset(("ABSTRACT", "UNLABELLED", "UNASSIGNED", "SUMMARY", "TEXT"))
# Fewer sentences than this say too little to call a record an essay (a title and a
# one-line teaser).
_ESSAY_MIN_SENTENCES = 3


@dataclass(frozen=True)
class UnstatedRules:
    empirical: AnyPhrase
    essay_cues: AnyPhrase
    volunteers: AnyPhrase
    within_subject: AnyPhrase
    treated: AnyPhrase
    treated_series: AnyPhrase
    two_treatments: AnyPhrase
    pharmacokinetic: AnyPhrase
    statistics: AnyPhrase


@cache
def rules() -> UnstatedRules:
    data = load("designs")["unstated"]
    return UnstatedRules(*(compile_any(data[k]) for k in (
        "empirical", "essay_cues", "volunteers", "within_subject", "treated", "treated_series",
        "two_treatments", "pharmacokinetic", "statistics")))


def topic_headed(record: Record) -> bool:
    """A structured abstract under topic headings ("Ketamine and esketamine",
    "Misuse and abuse") with no methods or results section: an essay's layout.
    Placeholder labels ("ABSTRACT", "UNLABELLED") are no headings."""
    if not isinstance(record, Paper):
        return False
    labelled = [s for s in record.abstract_sections
                if (s.label or s.category) and (s.label or "").upper() not in _NO_HEADING]
    if len(labelled) < 2 or any("CASE" in (s.label or "").upper() for s in labelled):
        return False        # "Case presentation": a case report's layout, not an essay's
    roles = [_heading_role(s.label, s.category) for s in labelled]
    return None in roles and not _STUDY_ROLES & set(roles)


@lru_cache(maxsize=1024)
def _heading_role(label: str | None, category: str | None) -> str | None:
    # Cached: a few hundred labels ("METHODS", "RESULTS") cover nearly every abstract.
    return section_role(AbstractSection(label, category, ""))


def unstated_design(view: RecordView, full: RecordView, essay: bool) -> Label | None:
    """The design an abstract without design words describes, or None (too little text).

    `view` holds the study's own sentences, `full` every sentence (an essay is told
    by what the whole abstract lacks)."""
    if essay or _reads_as_essay(full):
        value = "other" if "?" in view.title else "narrative_review"
        return Label("design", value, full.body_field,
                     "no participants, data or methods of its own")
    volunteers = rules().volunteers.search(view.text)
    if volunteers is not None:
        compared = rules().within_subject.search(view.body)
        if compared is not None:
            return Label("design", "non_randomized", view.body_field, compared.group(0))
        return _found("single_arm", view, volunteers.start(), volunteers.group(0))
    series = rules().treated_series.search(view.text)
    if series is not None and rules().treated.search(view.text) is not None:
        two = rules().two_treatments.search(view.text)
        if two is not None:
            return _found("non_randomized", view, two.start(), two.group(0))
        measured = rules().pharmacokinetic.search(view.text)
        if measured is not None:
            return _found("single_arm", view, measured.start(), measured.group(0))
        if _count(series.group(0)) >= _COHORT_MIN and rules().statistics.search(view.body):
            return _found("observational", view, series.start(), series.group(0))
        return _found("case_report", view, series.start(), series.group(0))
    return None


_COHORT_MIN = 10


def _count(series: str) -> int:
    """How many patients "42 patients" / "twelve women" counts (0 when unsure): the
    number nearest the noun ("eight infusions in 42 patients": 42)."""
    for word in reversed(series.replace("-", " ").split()):
        if (n := words_to_int(word)) is not None:
            return n
    return 0


def _reads_as_essay(full: RecordView) -> bool:
    """No data of its own, and talk of what research has shown.  A summary cut short
    ("...", as feeds send them) may hold its data in the part not shown."""
    body = full.body.rstrip()
    if body.endswith(("...", "\u2026")) or body.count(". ") + 1 < _ESSAY_MIN_SENTENCES:
        return False
    return (rules().empirical.search(full.text) is None
            and rules().essay_cues.search(body) is not None)


def _found(value: str, view: RecordView, start: int, text: str) -> Label:
    where = "title" if start < len(view.title) else view.body_field
    return Label("design", value, where, text)
