"""Which of ketamine, esketamine and arketamine a study gave.

Read from the study's own sentences (litwatch/classify/study.py): a background line
about "IV ketamine" in an esketamine trial names a drug this study did not give.
Enantiomer phrases are consumed before the racemic one ("S-ketamine" is not also
"ketamine"), and drugs.toml [skip] consumes the generic word in "the S-enantiomer of
ketamine".  Next to an enantiomer, racemic ketamine still needs the record to lean
on it: a registry intervention naming it, an explicit racemate name, a comparison
with the enantiomer ("esketamine versus ketamine"), or, in a review, repeated
mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from litwatch.classify.any_phrase import AnyPhrase, compile_any
from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label, label_from
from litwatch.classify.mentions import given
from litwatch.classify.taxonomy import Hit, PhraseScanner, build_scanner, load
from litwatch.vocab import ENANTIOMERS, REVIEW_DESIGNS

if TYPE_CHECKING:
    from litwatch.classify.study import StudyText

_ORDER = ("ketamine", "esketamine", "arketamine")
_REVIEW_MENTIONS = 2
# A registry intervention or arm names what was given; a title's "ketamine" is often
# the drug class ("ketamine for CRPS" over an S(+)-ketamine abstract).
_NAMING_FIELDS = frozenset(("intervention", "arm_group"))
# "esketamine versus ketamine", "ketamine or esketamine", "ketamine/esketamine", a list
# ("ketamine, esketamine"); not a bare parenthesis: "ketamine (Ketanest-S)" and
# "esketamine (ketamine)" name one drug twice.
_COMPARED = re.compile(r"^[\s,;(]*(?:versus|vs\.?|or|and|and/or|/|compared (?:with|to)|"
                       r"plus|\+|with)[\s,;/)]*$|^\s*[,;/]\s*$", re.IGNORECASE)
# "Esketamine in patients undergoing gastroscopy in comparison with ketamine": the
# comparison word closes a longer gap in the same clause.
_COMPARED_AFTER = re.compile(r"^[^.;]{0,120}\b(?:versus|vs\.?|compared (?:with|to)|"
                             r"(?:in )?comparison (?:with|to)|relative to)[\s(]*"
                             r"(?:racemic |racemate )?$", re.IGNORECASE)

# "the clearances of S- and R-ketamine", "(R)- and (S)-norketamine plasma concentrations":
# both halves measured in a pharmacokinetic sentence are the racemate's, not two drugs
# given.  One enantiomer alone ("pharmacokinetics of intranasal esketamine") is given.
_BOTH_HALVES = re.compile(r"\(?\b[rs]\)?\s*-?\s*(?:and|or|&|/|,)\s*\(?[rs]\)?\s*-?\s*"
                          r"(?:nor|hydroxynor|dehydronor)?ketamine|\bstereoisomers?\b|"
                          r"\benantiomers\b", re.IGNORECASE)
_PHARMACOKINETIC = re.compile(
    r"pharmacokinetic|clearance|half-li|plasma (?:concentration|level)|\bauc\b|"
    r"distribution volume|volume of distribution|metabolite|enantioselective|"
    r"stereoselective|chiral", re.IGNORECASE)


def _halves_measured(text: str, keys: set[str]) -> bool:
    """Does this sentence, naming an enantiomer, measure both halves of the racemate?"""
    if not ENANTIOMERS & keys:
        return False
    both = ENANTIOMERS <= keys or _BOTH_HALVES.search(text) is not None
    return both and _PHARMACOKINETIC.search(text) is not None


@dataclass(frozen=True)
class DrugRules:
    scanner: PhraseScanner
    mesh: dict[str, str]
    explicit_racemic: AnyPhrase
    implied_routes: list[tuple[AnyPhrase, str]]


@cache
def rules() -> DrugRules:
    data = load("drugs")
    mesh = {t.lower(): k for k, sec in data.items() if isinstance(sec, dict)
            for t in sec.get("mesh", [])}
    implied = [(compile_any([pattern]), route)
               for pattern, route in data.get("implies_route", {}).items()]
    return DrugRules(build_scanner(data, exclude=("implies_route",)), mesh,
                     compile_any(data["ketamine"].get("explicit", [])), implied)


def drug_hits(text: str) -> list[Hit]:
    """Drug mentions in a text (used by the route rules for proximity too)."""
    return rules().scanner.scan(text)


def classify_drugs(study: StudyText, view: RecordView, design: str = "") -> list[Label]:
    found: dict[str, Label] = {}
    counts: Counter[str] = Counter()
    for s in study.scope():
        hits = study.drugs[s.index]
        halves = _halves_measured(s.text, {h.key for h in hits})
        for hit in hits:
            if not given(s.text, hit, s.field == "title"):
                continue            # "self-reported ketamine use": nobody was given it
            if halves and hit.key in ENANTIOMERS:
                continue
            counts[hit.key] += 1
            found.setdefault(hit.key, label_from("drug", hit.key, s))
    if not found:
        for term in view.mesh + view.chemicals:
            key = rules().mesh.get(term.lower())
            if key and key not in found:
                found[key] = Label("drug", key, "mesh", term)
    enantiomer = "esketamine" in found or "arketamine" in found
    if enantiomer and "ketamine" in found and not _racemate_meant(study, counts, design):
        del found["ketamine"]
    return [found[k] for k in _ORDER if k in found]


def _racemate_meant(study: StudyText, counts: Counter[str], design: str) -> bool:
    for s in study.scope():
        hits = study.drugs[s.index]
        keys = {h.key for h in hits}
        if "ketamine" not in keys:
            continue
        # An arm "Ketamine 0.25: ... S-ketamine 0.25 mg/ml" names the class in its label.
        class_name = bool(keys & ENANTIOMERS) and not _compared(s.text, hits)
        if (s.field in _NAMING_FIELDS and not class_name) or \
                rules().explicit_racemic.search(s.text):
            return True
        if study.review and s.field == "title":
            return True         # a review's title names what it reviews
        if len(keys) > 1 and _compared(s.text, hits):
            return True
    # A review covers several drugs: its "ketamine" is the racemate's studies.  A
    # primary study's "ketamine" beside "S(+)-ketamine" is the drug class.
    return design in REVIEW_DESIGNS and counts["ketamine"] >= _REVIEW_MENTIONS


def _compared(text: str, hits: list[Hit]) -> bool:
    """Racemate and enantiomer side by side as alternatives, not as a definition."""
    for a, b in zip(hits, hits[1:], strict=False):
        if {a.key, b.key} & {"ketamine"} and a.key != b.key and \
                (_COMPARED.match(text[a.end:b.start]) or
                 _COMPARED_AFTER.match(text[a.end:b.start])):
            return True
    return False
