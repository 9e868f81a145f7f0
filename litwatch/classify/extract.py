"""Facts stated in a record: sample size, dose, phase and masking.

Abstracts state their N in a handful of ways ("A total of 227 participants",
"Sixty patients were randomized", "(n = 30) or placebo (n = 23)"); the patterns
below are tried from the most to the least specific.  Doses are only taken near
a ketamine-family name so a comparator's dose is not reported as ours.
"""

from __future__ import annotations

import re

from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label, label_from
from litwatch.classify.regex_index import FoldedPattern, GatedPattern
from litwatch.classify.study import StudyText
from litwatch.classify.taxonomy import lower
from litwatch.records import Record, Trial

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
          "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
          "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_WORD = "|".join(sorted([*_UNITS, *_TENS, "hundred", "thousand", "and"], key=len, reverse=True))
_NUMBER = rf"(?:\d{{1,3}}(?:[, ]\d{{3}})+|\d+|(?:(?:{_WORD})[- ]?)+)"
_PEOPLE = (r"(?:(?:\w+[- ])?(?:patients|participants|subjects|adults|individuals|volunteers|"
           r"veterans|women|men|children|adolescents|outpatients|inpatients|cases|people|persons))")
# Matched on lower-cased text without re.IGNORECASE (several times faster).
_SIZE_PATTERNS = [GatedPattern(p) for p in (
    rf"\ba total of (?P<n>{_NUMBER}) (?:\w+ ){{0,3}}?{_PEOPLE}",
    rf"(?:^|[.;:,]\s+|\bof )(?P<n>{_NUMBER}) (?:\w+ ){{0,3}}?{_PEOPLE} (?:\w+ )?(?:were|was) "
    r"(?:randomi[sz]ed|randomly|enrolled|included|recruited|treated|analy[sz]ed|assigned)",
    rf"\b(?:randomi[sz]ed|enrolled|included|recruited) (?P<n>{_NUMBER}) (?:\w+ ){{0,3}}?{_PEOPLE}",
    rf"\b(?=[\da-z])(?P<n>{_NUMBER}) (?:\w+ ){{0,3}}?{_PEOPLE} "
    r"(?:with|who|from|undergoing|aged|in)\b",
)]
_TOTAL_N = re.compile(r"\(\s*N\s*=\s*(?P<n>\d[\d,]*)\s*\)")   # capital N: the whole sample
_SUBGROUP_N = re.compile(r"\bn\s*=\s*(\d[\d,]*)")
_DOSE = re.compile(
    r"\d+(?:\.\d+)?(?:\s*(?:-|–|to|or|and|,)\s*\d+(?:\.\d+)?)*\s*"
    r"(?:mg|µg|μg|mcg|ug)(?:\s*/\s*kg)?(?:\s*/\s*(?:h|hr|hour|min))?"
    r"(?:\s*(?:or|and)\s*\d+(?:\.\d+)?\s*(?:mg|µg|μg|mcg)(?:\s*/\s*kg)?)?"
    r"(?:\s*(?:over|for|during|infused over)\s*\d+\s*(?:-\s*\d+\s*)?(?:min(?:utes)?|h(?:ours?)?))?",
    re.IGNORECASE)
_DOSE_GAP = 80
_NOT_SIZE_ROLES = frozenset(("background", "conclusions"))
# Case-blind scans of a whole abstract, gated on the literals they need ("phase").
_PHASE_TEXT = FoldedPattern(r"\bphase\s*(I{1,3}V?|IV|[1-4])(?:\s*/\s*(I{1,3}|[1-4]))?\b")
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
_MASKING_TEXT = FoldedPattern(
    r"\b(double|single|triple|quadruple)[- ]blind(?:ed)?\b|\bopen[- ]label\b")


def words_to_int(text: str) -> int | None:
    """'Sixty' -> 60, 'two hundred and twelve' -> 212, '1,024' -> 1024."""
    text = text.strip().lower()
    digits = text.replace(",", "").replace(" ", "")
    if digits.isdigit():
        return int(digits)
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        elif word != "and":
            return None
    value = total + current
    return value or None


def sample_size(record: Record, study: StudyText) -> tuple[int | None, list[Label]]:
    if isinstance(record, Trial):
        if record.enrollment is None:
            return None, []
        kind = record.enrollment_type or "NOT_STATED"
        return record.enrollment, [Label("sample_size_type", kind, "design_module",
                                         f"enrollment {record.enrollment} {kind}".strip())]
    # The study's own N is stated where it says what it did and found, not in its
    # background ("a meta-analysis of 9 trials (N = 368)") or its conclusions.
    told = [s for s in study.body(study.own) if s.role not in _NOT_SIZE_ROLES]
    n, phrase = sample_size_from_text(" ".join(s.text for s in told))
    if n is None:
        return None, []
    where = next((s for s in told if phrase in s.text), None)
    if where is None:
        return n, [Label("sample_size_type", "abstract", "abstract", phrase)]
    return n, [label_from("sample_size_type", "abstract", where)]


def sample_size_from_text(text: str) -> tuple[int | None, str]:
    low = lower(text)
    patterns = [(p.regex, low) for p in _SIZE_PATTERNS if p.possible(low)]
    for pattern, haystack in [*patterns, (_TOTAL_N, text)]:
        for m in pattern.finditer(haystack):
            n = words_to_int(m.group("n"))
            if n and n < 10_000_000:
                return n, text[m.start():m.end()].strip(" .;:,")
    return _subgroup_total(text)


def _subgroup_total(text: str) -> tuple[int | None, str]:
    """'(n = 30) or placebo (n = 23)': the arms of the first sentence that lists them."""
    for sentence in re.split(r"(?<=[.;])\s+", text):
        values = [int(v.replace(",", "")) for v in _SUBGROUP_N.findall(sentence)]
        if values:
            phrase = ", ".join(f"n = {v}" for v in values)
            return (sum(values) if 2 <= len(values) <= 4 else values[0]), phrase
    return None, ""


def dose(record: Record, study: StudyText) -> list[Label]:
    """The first dose stated next to the study drug: a trial's interventions and arms,
    a paper's own sentences (body first, then title)."""
    if isinstance(record, Trial):
        sentences = [s for s in study.own if s.field in ("intervention", "arm_group")]
    else:
        sentences = study.body(study.own) + [s for s in study.own if s.field == "title"]
    for s in sentences:
        drugs = study.drugs[s.index]
        if not drugs or "g" not in s.text:
            continue                       # no drug name, or no mg/µg at all
        for m in _DOSE.finditer(s.text):
            if any(min(abs(m.start() - d.end), abs(d.start - m.end())) <= _DOSE_GAP
                   for d in drugs):
                return [label_from("dose", " ".join(m.group(0).split()), s)]
    return []


def phase(record: Record, view: RecordView) -> list[Label]:
    if isinstance(record, Trial):
        phases = [p for p in record.phases if p.upper() != "NA"]
        if not phases:
            return []
        value = "/".join(phases)
        return [Label("phase", value, "design_module", ", ".join(record.phases))]
    for pubtype in view.publication_types:
        m = re.match(r"Clinical Trial, Phase (I{1,3}V?|IV)$", pubtype)
        if m:
            return [Label("phase", "PHASE" + _ROMAN[m.group(1)], "publication_type", pubtype)]
    m = _PHASE_TEXT.search(view.text)
    if not m:
        return []
    parts = [_ROMAN.get(p.upper(), p) for p in m.groups() if p]
    return [Label("phase", "/".join(f"PHASE{p}" for p in parts), "abstract", m.group(0))]


def masking(record: Record, view: RecordView) -> list[Label]:
    if isinstance(record, Trial):
        if not record.masking:
            return []
        return [Label("masking", record.masking, "design_module", f"masking={record.masking}")]
    m = _MASKING_TEXT.search(view.text)
    if not m:
        return []
    value = f"{m.group(1).lower()}-blind" if m.group(1) else "open-label"
    field = "title" if m.start() < len(view.title) else view.body_field
    return [Label("masking", value, field, m.group(0))]

