"""The numbers a results or conclusions sentence reports, typed and flagged.

Percentages, time points and durations, sample sizes, effect sizes, p-values, scale
scores and counts. A number that defines a criterion ("response, defined as a >=50%
reduction", "remission (MADRS <=10)", "failure of at least two antidepressants") is
flagged `threshold`: it is the yardstick, not a result, and a claim must not cite it.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass

from .sentence_split import tokenize


@dataclass(frozen=True, slots=True)
class Number:
    kind: str        # percent | time_point | duration | sample_size | effect_size | p_value
    value: float     # | score | count
    unit: str
    text: str
    threshold: bool  # defines a criterion ("at least 50%"), not a finding


_WORDS = {w: float(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_WORDS.update(thirty=30.0, forty=40.0, fifty=50.0, hundred=100.0)
_WORD_SET = frozenset(_WORDS)
_TIME_UNITS = {"h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "d": "days",
               "day": "days", "wk": "weeks", "wks": "weeks", "week": "weeks", "min": "minutes",
               "mins": "minutes", "minute": "minutes", "month": "months"}
# Names that stand before their number. Case matters for the short ones: "OR 2.1" is an
# odds ratio, "1 or 2 weeks" is not.
_ES_SHORT = {"OR": "OR", "aOR": "OR", "RR": "RR", "HR": "HR", "aHR": "HR", "IRR": "IRR",
             "SMD": "SMD", "d": "d", "g": "g"}
_ES_LONG = {"odds ratio": "OR", "hazard ratio": "HR", "risk ratio": "RR", "relative risk": "RR",
            "mean difference": "SMD", "rate ratio": "RR", "effect size": "d", "cohen's d": "d",
            "cohen’s d": "d", "cohens d": "d", "hedges' g": "g", "hedges’ g": "g", "hedges g": "g"}
# Words and signs between a name and its number: "odds ratio of 2.1", "MADRS total
# score ≤ 10", "P = .03".
_FILLERS = frozenset(("of", "was", "were", "score", "scores", "total", "a", "<", ">", "=", "≤",
                      "≥", "<=", ">=", ":", ",", "-", "−", "–"))
_TIME_NAMES = frozenset(("hour", "hours", "day", "days", "week", "weeks", "month", "months",
                         "minute", "minutes"))
_SCALES = frozenset("madrs ham-d hamd ham-d17 hdrs hrsd qids qids-sr bdi bdi-ii phq-9 cgi-s "
                    "nrs vas".split())
_NAMES = (_FILLERS | _TIME_NAMES | _SCALES | {w.lower() for w in _ES_SHORT}
          | {w.split()[-1] for w in _ES_LONG} | {"p", "p-value", "p-values", "n"})
_SUBJECTS = frozenset("participants patients subjects adults people persons individuals "
                      "volunteers women men children adolescents veterans outpatients "
                      "inpatients cases".split())
_COUNTED = frozenset(f"{w}{s}" for w in ("antidepressant", "treatment", "medication", "trial",
                                         "episode", "session", "infusion", "dose", "line",
                                         "course", "attempt", "agent") for s in ("", "s"))
_SPANS = frozenset(("infusion", "session", "period", "course", "treatment", "phase", "trial"))
# What follows a number: "%", "× 10-8", or up to three words, which _unit_after reads.
# Scanned together with the digits in one regex (its charset start lets `re` skip text
# fast); matched alone after spelled-out numbers.
_WORD = r"[A-Za-z][A-Za-z-]*"
_UNITS = (r"(?P<pct>\s?%(?!\s*(?:CI|confidence|credible)))|\s*[x×]\s*10\s*[-−–]\s*(?P<pexp>\d+)"
          rf"|(?P<sep>[-\s])(?P<w1>{_WORD})(?:\s+(?P<w2>{_WORD})(?:\s+(?P<w3>{_WORD}))?)?")
_AFTER = re.compile(_UNITS)
_NUMBER = re.compile(r"(?P<num>[0-9](?:[0-9,]*[0-9])?(?:\.[0-9]+)?|\.[0-9]+)(?:" + _UNITS + ")?")
# Criterion cues, located once per sentence; a number is a threshold when one sits in
# the text just before it ("defined as a ≥", "at least", "remission (MADRS ≤").
_CRITERION_WORDS = ("defin", "criteri", "threshold", "cutoff", "cut-off", "at least", "set at",
                    "considered", "≥", "≤", "⩾", "⩽", "<=", ">=", "response (", "remission (",
                    "responders (", "response(", "remission(")
_THRESHOLD_AFTER = re.compile(r"\s*(?i:or (?:more|greater|higher|above|less|lower|fewer|below|"
                              r"better)|and (?:above|over|below))\b")
_DURATION_WORDS = frozenset(("for", "over", "during", "lasting", "each", "per"))
_OPERATORS = "<>=≤≥:,-−–"
_SPACE_OPERATORS = " " + _OPERATORS
_WINDOW = 40


def numbers_in(sentence: str, tokens: list[str] | None = None) -> tuple[Number, ...]:
    """Every typed number in the sentence, in order, each flagged threshold or finding.
    Bare numbers (doses, ages, ranges) have no kind and are left out."""
    found: list[tuple[int, int, re.Match[str] | None]] = [
        (m.start(), m.end("num"), m) for m in _NUMBER.finditer(sentence)]
    words = _WORD_SET.intersection(tokens if tokens is not None else tokenize(sentence))
    if words:
        low = sentence.lower()
        found += [(at, end, _AFTER.match(sentence, end)) for at, end in _word_spans(low, words)]
        found.sort(key=lambda f: f[0])
    typed: list[_Typed] = []
    prev_end = 0
    for start, end, after in found:
        number = _typed(sentence, start, end, after, max(prev_end, start - _WINDOW))
        if number is not None:
            typed.append(number)
            prev_end = end
    if not typed:
        return ()
    low = sentence.lower()                 # criteria only where some number has a kind
    criteria = [at for w in _CRITERION_WORDS if w in low for at in _positions(low, w)]
    return tuple(Number(kind, value, unit, sentence[lo:hi].strip(),
                        any(window <= at < lo for at in criteria) or threshold)
                 for kind, value, unit, lo, hi, window, threshold in typed)


def _positions(low: str, word: str) -> list[int]:
    found: list[int] = []
    at = low.find(word)
    while at >= 0:
        found.append(at)
        at = low.find(word, at + 1)
    return found


def _word_spans(low: str, words: Set[str]) -> list[tuple[int, int]]:
    return [(at, at + len(w)) for w in words for at in _positions(low, w)
            if not low[at - 1:at].isalpha() and not low[at + len(w):at + len(w) + 1].isalpha()]


# kind, value, unit, span start, span end, window start, threshold seen in the number
_Typed = tuple[str, float, str, int, int, int, bool]


def _typed(sentence: str, start: int, end: int, after: re.Match[str] | None,
           window: int) -> _Typed | None:
    typed = _unit_after(sentence, start, after)
    if typed is not None:                        # the unit follows: "24 hours"
        kind, unit, hi = typed
        lo, op = start, ""
        if start and sentence[start - 1] in "-−–" and not sentence[start - 2:start - 1].isalnum():
            lo = start - 1                       # "-4 points"; not "18-64"
    else:                                        # the name comes first: "P < .001"
        named = _name_before(sentence, window, start)
        if named is None:
            return None
        kind, unit, lo, op = named
        hi = after.end() if after is not None and after["pexp"] else end
    value = _float(sentence[start:end])
    if kind == "p_value" and after is not None and after["pexp"]:
        value = float(f"{value}e-{after['pexp']}")       # "1.5 × 10-8", exactly 1.5e-8
    if sentence[lo] in "-−–" or op[-1:] in ("-", "−", "–"):
        value = -value
    threshold = (sentence[hi:hi + 5].lstrip()[:2] in ("or", "an")
                 and bool(_THRESHOLD_AFTER.match(sentence, hi))
                 or kind == "score" and op[:1] in ("<", ">", "≤", "≥"))
    return kind, value, unit, lo, hi, window, threshold


def _name_before(sentence: str, window: int, start: int) -> tuple[str, str, int, str] | None:
    """(kind, unit, where the name starts, operator) for "P <", "OR", "day", "N =", "MADRS ≤"."""
    pre = sentence[window:start]
    bare = pre.rstrip(_SPACE_OPERATORS)
    if bare[bare.rfind(" ") + 1:].lstrip("([").lower() not in _NAMES:
        return None                                      # most numbers: "in 61%", "to 24"
    words = pre.replace("(", " ").split()[-5:]
    op = ""
    while words and words[-1].lower() in _FILLERS:       # "MADRS total score of ≤ 12"
        word = words.pop()
        op = word + op if not word.strip(_OPERATORS) else op
    if words:
        core = words[-1].rstrip(_OPERATORS)
        op, words[-1] = words[-1][len(core):] + op, core       # "P<" -> "P", "<"
    if not words or not words[-1]:
        return None
    last, low = words[-1], words[-1].lower()
    two = " ".join(w.lower() for w in words[-2:])
    lo = window + pre.rfind(words[-2] if two in _ES_LONG else last)
    if low in ("p", "p-value", "p-values") and op[:1] in ("<", ">", "=", "≤", "≥"):
        return "p_value", "p", lo, op
    if last in _ES_SHORT and ("=" in op or len(last) > 1) or two in _ES_LONG:
        return "effect_size", _ES_SHORT.get(last) or _ES_LONG[two], lo, op
    if low in _TIME_NAMES and not op:
        return "time_point", _TIME_UNITS[low.rstrip("s")], lo, op
    if low == "n" and "=" in op:
        return "sample_size", "participants", lo, op
    if low in _SCALES:
        return "score", last, lo, op
    return None


def _unit_after(sentence: str, start: int,
                after: re.Match[str] | None) -> tuple[str, str, int] | None:
    """(kind, unit, end of the unit) for "24 hours", "40-minute infusion", "67 adults"."""
    if after is None or after["pexp"]:
        return None
    if after["pct"]:
        return "percent", "%", after.end("pct")
    words = [w.lower() for w in (after["w1"], after["w2"], after["w3"]) if w]
    if not words:
        return None
    unit = _TIME_UNITS.get(words[0]) or _TIME_UNITS.get(words[0].rstrip("s"))
    if unit:
        k = 2 if words[1:2] == ["long"] else 1        # "40-minute (long) infusion"
        if len(words) > k and words[k] in _SPANS:
            return "duration", unit, after.end(f"w{k + 1}")
        before = sentence[max(0, start - 30):start].lower().split()[-2:]
        kind = "time_point" if _DURATION_WORDS.isdisjoint(before) else "duration"
        return kind, unit, after.end("w1")
    if words[0] in ("point", "points"):
        return "score", "points", after.end("w1")
    for k, word in enumerate(words):
        if word == "of":
            break
        if word in _SUBJECTS or word in _COUNTED:
            kind, unit = ("sample_size", "participants") if word in _SUBJECTS else ("count", word)
            return kind, unit, after.end(f"w{k + 1}")
    return None


def _float(text: str) -> float:
    word = _WORDS.get(text.lower())
    return word if word is not None else float(text.replace(",", ""))
