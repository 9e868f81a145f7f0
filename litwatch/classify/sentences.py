"""The sentence layer: every record split once into sentences with field and role.

Classifiers must know which sentence speaks of *this* study: the route in a methods
sentence counts, the route in a background sentence about earlier work does not.
Abstract sentences get a role from the structured-abstract label (NlmCategory first,
then the label), else from cue phrases and position; registry text keeps its field
as its role. Results and conclusions sentences carry a finding direction and numbers.
Pure and standard-library only, with cue phrases as data matched in one pass over the
tokens: it runs on every record at ingest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from litwatch.records import AbstractSection, FeedItem, Paper, Record, Trial

from .fields import plain_text
from .findings import DIRECTION_TABLE, direction_from, direction_of
from .roles import (
    BACKGROUND,
    CONCLUSIONS,
    METHODS,
    OBJECTIVE,
    RESULTS,
    ROLE_TABLE,
    decode_roles,
    infer_roles,
)
from .sentence_numbers import Number, numbers_in
from .sentence_split import split_sentences, tokenize

__all__ = ["Number", "Sentence", "direction_of", "infer_roles", "numbers_in", "section_role",
           "sentences_of", "split_sentences"]

_FINDING_ROLES = frozenset((RESULTS, CONCLUSIONS))


@dataclass(frozen=True, slots=True)
class Sentence:
    field: str        # title | abstract | official_title | brief_summary | arm_group ...
    role: str         # background | objective | methods | results | conclusions | field
    text: str
    index: int        # position in the record
    direction: str | None = None        # results/conclusions only
    numbers: tuple[Number, ...] = ()    # results/conclusions only


_CATEGORIES = {"BACKGROUND": BACKGROUND, "OBJECTIVE": OBJECTIVE, "METHODS": METHODS,
               "RESULTS": RESULTS, "CONCLUSIONS": CONCLUSIONS}
# Labels seen in PubMed without an NlmCategory, by keyword. A label naming two sections
# takes the role that comes first here, not the one named first ("Measurements and Main
# Results" is results); results together with conclusions are told apart by sentence.
_LABEL_KEYWORDS = tuple((role, re.compile(pattern)) for role, pattern in (
    (RESULTS, r"RESULT|FINDING|OUTCOMES$|^CASE"),     # a case report's case is its finding
    (CONCLUSIONS, r"CONCLU|INTERPRETATION|DISCUSSION|IMPLICATION|RELEVANCE|RECOMMENDATION"
                  r"|MEANING"),
    (METHODS, r"METHOD|DESIGN|SETTING|PARTICIPANT|PATIENTS|SUBJECTS|INTERVENTION|MEASURE"
              r"|REGISTRATION|EXPOSURE|SEARCH|SELECTION|DATA |SOURCES|PROCEDURE|MATERIAL"),
    (OBJECTIVE, r"OBJECTIVE|AIM|PURPOSE|GOAL|QUESTION|HYPOTHES"),
    (BACKGROUND, r"BACKGROUND|INTRODUCTION|CONTEXT|IMPORTANCE|RATIONALE")))


def section_role(section: AbstractSection) -> str | None:
    """Role of a structured-abstract section, or None when it has to be inferred."""
    role = _CATEGORIES.get((section.category or "").upper())
    if role or not section.label:
        return role
    return _label_role(section.label.upper())


@lru_cache(maxsize=4096)
def _label_role(label: str) -> str | None:
    if "SYNTHESIS" in label and "RESULT" not in label:
        # "Data synthesis" holds a meta-analysis's results in some journals and its
        # methods in others (BMJ's "data extraction and synthesis"): read by sentence.
        return None
    roles = [role for role, pattern in _LABEL_KEYWORDS if pattern.search(label)]
    if roles[:2] == [RESULTS, CONCLUSIONS]:
        return None          # "Results and conclusion": each sentence says which it is
    return roles[0] if roles else None


def sentences_of(record: Record) -> list[Sentence]:
    """Every sentence of a Paper, Trial or FeedItem, in record order."""
    if isinstance(record, Paper):
        return _abstract_sentences(record.title, _paper_abstract(record))
    if isinstance(record, Trial):
        return _trial_sentences(record)
    if isinstance(record, FeedItem):
        # Feed summaries carry HTML: sentences are read from their text.
        return _abstract_sentences(plain_text(record.title), [
            (t, None) for t in split_sentences(plain_text(record.summary))])
    raise TypeError(f"sentences_of: not a record: {type(record).__name__}")


def _paper_abstract(paper: Paper) -> list[tuple[str, str | None]]:
    return [(text, section_role(section)) for section in paper.abstract_sections
            for text in split_sentences(section.text)]


def _abstract_sentences(title: str, abstract: list[tuple[str, str | None]]) -> list[Sentence]:
    out = [Sentence("title", "title", t, i) for i, t in enumerate(split_sentences(title))]
    fixed = [role for _, role in abstract]
    tokens = [tokenize(text) if role in _FINDING_ROLES or role is None else []
              for text, role in abstract]
    # Unlabelled sentences need role and finding cues; labelled ones only finding cues.
    hits = [(ROLE_TABLE if role is None else DIRECTION_TABLE).scan(toks) if toks else []
            for toks, (_, role) in zip(tokens, abstract, strict=True)]
    roles = decode_roles([{tag for tag, _ in h} for h in hits], tokens, fixed)
    for (text, _), role, toks, found in zip(abstract, roles, tokens, hits, strict=True):
        if role in _FINDING_ROLES:
            out.append(Sentence("abstract", role, text, len(out), direction_from(toks, found),
                                numbers_in(text, toks)))
        else:
            out.append(Sentence("abstract", role, text, len(out)))
    return out


def _trial_sentences(trial: Trial) -> list[Sentence]:
    """Registry text keeps its field as its role: the registry already says what it is."""
    parts: list[tuple[str, str]] = []
    for name, text in (("title", trial.brief_title), ("official_title", trial.official_title),
                       ("brief_summary", trial.brief_summary),
                       ("detailed_description", trial.detailed_description)):
        parts.extend((name, t) for t in split_sentences(text))
    parts.extend(("arm_group", _joined(a.label, a.description)) for a in trial.arm_groups)
    parts.extend(("intervention", _joined(_intervention_name(i.name, i.other_names),
                                          i.description)) for i in trial.interventions)
    parts.extend(("condition", c) for c in trial.conditions)
    parts.extend(("keyword", k) for k in trial.keywords)
    parts.extend(("primary_outcome", o) for o in trial.primary_outcomes)
    parts = [(name, text.strip()) for name, text in parts if text and text.strip()]
    return [Sentence(name, name, text, i) for i, (name, text) in enumerate(parts)]


def _intervention_name(name: str, other_names: list[str]) -> str:
    others = [o for o in other_names if o and o != name]
    return f"{name} ({', '.join(others)})" if others else name


def _joined(head: str, description: str) -> str:
    """"label: description", one sentence even when the description has several."""
    description = " ".join(description.split())
    return f"{head}: {description}" if head and description else head or description
