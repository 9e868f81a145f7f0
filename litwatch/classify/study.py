"""Which sentences speak of THIS study: the scope every label is read from.

An abstract opens with what earlier work found ("IV ketamine has been shown to act
within hours") before it says what this study did ("we gave oral ketamine"); a
registry summary does the same in prose with no section labels.  Labels read from
the first kind describe other studies, so every classifier reads `StudyText.own`:

- papers: the title, and abstract sentences whose role is objective, methods,
  results or conclusions, minus those that plainly cite other work; a background
  sentence joins them when it speaks of this study ("This protocol describes ...");
- trials: titles, conditions, keywords, interventions, arm groups and outcomes, and
  the summary / description sentences that are not background (general statements
  about the drug or the disease, earlier trials).

`scope()` falls back to every sentence when the study's own sentences never name
the drug (a review whose abstract is all background, a record cut short), so a
record always has something to be read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from litwatch.classify.drug import rules as drug_rules
from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label, label_from
from litwatch.classify.phrase_trie import trie_pattern
from litwatch.classify.regex_index import GatedPattern
from litwatch.classify.sentences import Sentence
from litwatch.classify.taxonomy import Hit, PhraseScanner, lower
from litwatch.records import Paper, Record, Trial

_OWN_ROLES = frozenset(("title", "objective", "methods", "results", "conclusions"))
# Registry prose mixes background and plans; the other registry fields are the study's.
_PROSE = frozenset(("brief_summary", "detailed_description"))
# What a phrase-matching rule (design, comparator, sample size) reads as the body.
_BODY_FIELDS = frozenset(("abstract", "brief_summary", "detailed_description", "arm_group"))
_TITLES = frozenset(("title", "official_title"))


def _rx(pattern: str) -> re.Pattern[str]:
    # Matched on lower-cased text: several times faster than re.IGNORECASE; written as
    # a trie of its alternatives (the same pattern, tried where its words start).
    return re.compile(trie_pattern(pattern))


# Citing earlier work: decisive even inside a methods or results section.
_CITES_TEXT = (
    r"\b(?:has|have|had) (?:been )?(?:previously |consistently |repeatedly )?(?:shown|"
    r"demonstrated|reported|found|established|suggested|proven)\b|\b(?:previous|prior|"
    r"earlier|past|preliminary|several|many|numerous|multiple|existing|published|other|"
    r"another|recent|emerging|growing|accumulating|mounting|increasing) (?:\w+ ){0,3}?"
    r"(?:studies|study|trials?|reports|research|investigations|evidence|literature|data "
    r"(?:suggest|show|indicate))\b|\b(?:studies|trials|reports) (?:have|has|had)\b|"
    r"\b(?:is|are|was|were|been|being|recently) approved\b|\bapproval\b|"
    r"\bwe (?:have )?(?:previously|earlier|recently|already) (?:reported|showed|shown|found|"
    r"demonstrated|described|observed)\b|"
    # "clinical trials are ongoing to test esketamine": other studies under way
    r"\b(?:studies|trials|research) (?:are|is) (?:currently )?(?:ongoing|underway|under way|"
    r"in progress)\b")
_CITES = _rx(_CITES_TEXT)
# General statements about a drug or a disease (registry background prose): a subject
# and "is a / are commonly ..." opening the sentence, or one of the phrases after it
# anywhere.  Two patterns: the opening one is only tried at the start (re.match), not
# at every position as an "^..." alternative would be (several times the cost).
_GENERAL_OPENING = re.compile(
    r"(?:[\w()/'’,-]+ ){0,6}?(?:is|are|remains?|has|have|can|acts?|exerts?) (?:a|an|one|both|"
    r"among|commonly|widely|often|frequently|increasingly|known|considered|characteri[sz]ed|"
    r"associated|emerging|currently|still|twice|highly|believed|thought|gaining|"
    r"rapid|fast|effective|safe|common|the (?:most|leading|first|only|current))\b")
_GENERAL = _rx(
    r"\bthere (?:is|are|remains?) (?:currently )?(?:no|an? (?:urgent|unmet|great|growing|"
    r"pressing|critical)?\s*need|limited|little|few|growing|increasing)\b|\b(?:remains?|is) "
    r"(?:unclear|unknown|uncertain|not (?:well )?(?:known|understood|established))\b|"
    r"\b(?:has|have) (?:not (?:yet )?been|emerged|become|gained|attracted|received)\b")
# Most sentences lack every literal a citation needs ("shown", "studies" ...).
_CITES_GATE = GatedPattern(_CITES_TEXT)
_EARLIER = _rx(r"\b(?:previous|prior|earlier) (?:\w+ )?(?:studies|trials)|\bwe (?:have )?"
              r"(?:previously|earlier|recently|already) \w+")
# A sentence about this study: it may say so inside a background section too.
_SELF_ANYWHERE = _rx(
    r"\b(?:this|the present|the current|our|the proposed) (?:[\w-]+ ){0,4}?(?:study|"
    r"trial|protocol|review|meta-analysis|analysis|paper|article|report|case|series|work|"
    r"investigation|project|research|survey|audit)\b|\bthe (?:study|trial)\b(?! (?:of|by)\b)|"
    r"\bwe\b|\bhere(?:in)?\b|\binvestigators\b|\bwill\b|\baims? (?:of|to|is|was)\b")
# "This is a randomized, double-blind, placebo-controlled, two-arm study."  Its own
# pattern, tried at the start only: as an "^..." alternative of _SELF_ANYWHERE it made
# the regex engine try every position of every sentence (six times the cost).
_SELF_OPENING = re.compile(r"this (?:is|was) an? (?:[\w,/-]+ ){0,10}?(?:study|trial|protocol)\b")


def _speaks_of_itself(low: str) -> bool:
    return bool(_SELF_ANYWHERE.search(low) or _SELF_OPENING.match(low))


# Research still to be done ("The results need replication in a larger randomized
# placebo controlled trial", "Further studies in PTSD are needed"): the designs,
# routes and conditions it names are those of studies not yet run.
_FUTURE_TEXT = (
    r"\b(?:future|larger|well[- ]designed|adequately powered|definitive) (?:[\w-]+ ){0,4}?"
    r"(?:studies|study|trials?|research|investigations?|rcts?)\b(?! (?:showed|found|"
    r"demonstrated|confirmed|reported))|\b(?:further|additional) (?:[\w-]+ ){0,3}?"
    r"(?:research|studies|trials|rcts) (?:is|are|should|will|could|would|may|might|must)\b|"
    r"\b(?:studies|trials|"
    r"research|rcts|investigations?|replication|confirmation) (?:[\w,-]+ ){0,8}?(?:are|is) "
    r"(?:\w+ )?(?:needed|warranted|required|necessary)\b|\bneeds? (?:replication|"
    r"confirmation)\b|\bneeds? to be (?:replicated|confirmed)\b")
_FUTURE = _rx(_FUTURE_TEXT)
_FUTURE_GATE = GatedPattern(_FUTURE_TEXT)


# What registry prose says about its own study: plans, aims, design words.
_STUDY = _rx(
    r"\b(?:will|shall|randomi[sz]\w*|randomly|groups?|double[- ]blind\w*|single[- ]blind\w*|"
    r"open[- ]label|"
    r"placebo|sham|enrol\w+|recruit\w+|purpose|objectives?|aims?|goals?|hypothes\w+|"
    r"investigat\w+|interventions?|to (?:evaluate|assess|determine|examine|compare|test|"
    r"explore|investigate|characteri[sz]e|establish|measure|learn)|primary|secondary|"
    r"outcomes?|endpoints?|arms?|visits?|follow-?up|eligible|inclusion|participants?|"
    r"subjects|volunteers|phase (?:i|ii|iii|iv|[1-4])|pilot|feasibility|proposed)\b")


def about_other_work(sentence: Sentence, prose: bool, registry: bool = False) -> bool:
    """True when the sentence reports other studies or general knowledge, not this study.

    In prose without section labels (`prose`) general statements count as background
    too; registry prose (`registry`) must also say something about its own study (a
    plan, an aim, a design word): "About a third of patients with MDD do not respond"
    does not.
    """
    text = lower(sentence.text)
    if _FUTURE_GATE.possible(text) and _FUTURE.search(text):
        return True
    if _CITES_GATE.possible(text) and _CITES.search(text):
        return not _speaks_of_itself(text) or bool(_EARLIER.search(text))
    if not prose or _speaks_of_itself(text):
        return False
    general = _GENERAL_OPENING.match(text) or _GENERAL.search(text)
    return bool(general) or (registry and not _STUDY.search(text))


def is_own(sentence: Sentence, record: Record, structured: bool = True) -> bool:
    """Does the sentence speak of this study?  Unstructured abstracts have inferred
    roles, so their general statements are caught as in registry prose."""
    if isinstance(record, Trial):
        return sentence.field not in _PROSE or not about_other_work(sentence, True, True)
    if sentence.role in _OWN_ROLES:
        return sentence.role == "title" or not about_other_work(sentence, not structured)
    return _speaks_of_itself(lower(sentence.text)) and not about_other_work(sentence, False)


@dataclass
class StudyText:
    """A record's sentences split into the study's own and the rest."""

    record: Record
    sentences: list[Sentence]
    own: list[Sentence] = field(default_factory=list)
    other: list[Sentence] = field(default_factory=list)
    # A review's sentences are all about other studies, and all about its topic.
    review: bool = False
    _hits: dict[tuple[int, str], dict[int, list[Hit]]] = field(default_factory=dict,
                                                                repr=False)

    @classmethod
    def of(cls, record: Record, sentences: list[Sentence]) -> StudyText:
        study = cls(record, sentences)
        structured = not isinstance(record, Paper) or any(
            sec.label or sec.category for sec in record.abstract_sections)
        started = len([s for s in sentences if s.field == "abstract"]) <= 2
        for s in sentences:
            own = is_own(s, record, structured)
            if not structured and started and s.role == "background":
                # Inferred roles: an abstract does not go back to its background once
                # it has said what this study did, and one or two sentences are too
                # few to infer from; judge such sentences by content.
                own = not about_other_work(s, prose=True)
            started = started or (own and s.field == "abstract")
            (study.own if own else study.other).append(s)
        return study

    @property
    def is_paper(self) -> bool:
        return isinstance(self.record, Paper)

    @cached_property
    def drugs(self) -> dict[int, list[Hit]]:
        """Ketamine-family mentions by sentence index (every sentence, scanned once)."""
        return self.hits(drug_rules().scanner)

    def hits(self, scanner: PhraseScanner, sentences: list[Sentence] | None = None,
             name: str = "all") -> dict[int, list[Hit]]:
        """A scanner's hits in `sentences` (default: every one; `name` tells subsets
        apart), by sentence index, with offsets in the sentence.  One scan of the
        sentences joined: a scan call costs more than a short sentence's characters."""
        key = (id(scanner), name)
        found = self._hits.get(key)
        if found is None:
            chosen = self.sentences if sentences is None else sentences
            found = self._hits[key] = _hits_by_sentence(scanner, chosen)
        return found

    @cached_property
    def names_drug(self) -> bool:
        """Do the study's own sentences name ketamine, esketamine or arketamine?"""
        return any(self.drugs[s.index] for s in self.own)

    def scope(self, whole_review: bool = True) -> list[Sentence]:
        """The own sentences; every sentence for a review (unless `whole_review` is
        off: a review's background contrasts routes it does not review), or when the
        own sentences never name the drug (a record cut short, all background)."""
        if (self.review and whole_review) or not (self.names_drug or
                                                  not any(self.drugs.values())):
            return self.sentences
        return self.own

    def body(self, scope: list[Sentence]) -> list[Sentence]:
        """`scope` without titles: what an abstract or a registry record says."""
        return [s for s in scope if s.field not in _TITLES]

    def view(self, base: RecordView) -> RecordView:
        """`base` with its body cut to the study's own sentences (for phrase rules)."""
        body = " ".join(s.text for s in self.own if s.field in _BODY_FIELDS)
        return replace(base, body=body)

    def anchored(self, label: Label) -> Label:
        """A phrase-matched label re-anchored on the own sentence holding its phrase."""
        if label.sentence_index is not None or not label.evidence:
            return label
        for s in self.own:
            if label.evidence in s.text and (s.field in _TITLES) == (label.field == "title"):
                return label_from(label.family, label.value, s)
        return label


def _hits_by_sentence(scanner: PhraseScanner, sentences: list[Sentence]) -> dict[int, list[Hit]]:
    found = scanner.scan_joined([s.text for s in sentences])
    return {s.index: hits for s, hits in zip(sentences, found, strict=True)}
