"""Time frames: what a claim says about onset and duration, what a finding reports.

A claim's window is either an onset ("within hours": the effect is there by 24 h)
or a duration ("long-lasting": it is still there after a month), and a stated
number ("24 hours after one infusion") is *precise*: the cited study must report
that time point, not just a rapid effect.  Findings report time points through the
sentence layer's typed numbers (never threshold numbers) plus a few word forms
("within an hour", "within hours") that carry no digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from litwatch.classify.sentences import Number

HOUR, DAY, WEEK, MONTH = 1.0, 24.0, 168.0, 720.0
_UNIT_HOURS = {"minutes": 1 / 60, "hours": HOUR, "days": DAY, "weeks": WEEK, "months": MONTH,
               "years": 12 * MONTH}
_WORDS = {"one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
          "six": 6, "seven": 7, "eight": 8, "ten": 10, "twelve": 12, "twenty-four": 24,
          "forty": 40, "couple": 2, "few": 3, "several": 3}
_NUM = r"(\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|ten|twelve|twenty-four|forty)"


@dataclass(frozen=True)
class Window:
    label: str                       # the claim's own words, for the reader
    onset_hours: float | None = None   # the effect is there by this time
    lasts_hours: float | None = None   # the effect is still there after this time
    at_most: bool = False              # "fades after two weeks": lasts no longer than that
    precise: bool = False              # a stated number the evidence must report
    sessions: int | None = None        # "after one or two treatments"
    not_before: float | None = None    # "relief only after about two weeks": none sooner


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# (pattern, onset hours) tried in order: the most specific wording first.
_ONSET = [
    (_rx(r"\b(?:in|within) (?:a (?:matter|few) of |a few |several )?minutes\b|\bnear[- ]instant\w*"
         r"|\binstant\w*|\bimmediate(?:ly)?\b|\balmost immediately\b|\bwithin the hour\b"
         r"|\bright away\b|\bstraight away\b|\bstraightaway\b|\bat once\b"), HOUR),
    (_rx(r"\b(?:within|in) hours (?:or|to) days\b"), WEEK),
    (_rx(r"\b(?:within|in) (?:a few |several |just )?hours\b|\bas little as (?:a few )?hours\b"
         r"|\ba few hours\b|\bhours rather than\b"), DAY),
    (_rx(r"\bwithin (?:a|one) day\b|\bovernight\b|\bnext day\b|\bone day after\b"), DAY),
    (_rx(r"\b(?:within|in) (?:a few )?days\b"), WEEK),
    (_rx(r"\brapid\w*|\bfast[- ]acting\b|\bfast action\b|\bquick\w*|\bswift\w*"), 3 * DAY),
]
# ("after 16 weeks of esketamine treatment": how long it was given, not a time point)
_PRECISE = _rx(_NUM + r"[- ](minutes?|hours?|days?|weeks?)\b"
               r"(?:\s+(?:after|post|later|following|of(?!\s+(?:[\w-]+\s+)?(?:treatment|"
               r"therapy|dosing|(?:es|ar)?ketamine|use|induction|maintenance)\b)))")
_DURABLE = [
    (_rx(r"\bevery few months\b|\bfor (?:many )?months\b|\bprolonged (?:periods of )?remission\b"),
     2 * MONTH),
    (_rx(r"\bfor (?:several |many |a few |multiple )?weeks\b"), 2 * WEEK),
    # "long-term physical pain" is chronic pain, not a lasting effect.
    # ("longer-lasting than a single infusion" compares; it states no duration)
    (_rx(r"\blong[- ]lasting\b|(?<!longer-)(?<!longer )\blasting\b|\bprolonged\b|"
         r"\bsustained\b|\bdurable\b"
         r"|\blong[- ]term\b(?! (?:physical |chronic )?(?:pain|trauma|conditions?|illness))"
         r"|\bpermanent\w*|\bcure\b|\bfor years\b|\bpersist\w*|\bremain\b"
         # "the benefit lasts a remarkably long time", "effects last for months"
         r"|\blasts? (?:for )?(?:a |an )?(?:\w+ )?long (?:time|while)\b|\blong after\b"), MONTH),
]
_SESSIONS = _rx(r"\bafter (?:just |only )?(?:a |one or )?(one|a single|1|couple|two|2|few|several)"
                r"(?: of)? (?:\w+ )?(?:treatments?|sessions?|infusions?|doses?)\b")


def _value(word: str) -> float:
    return float(word) if word[0].isdigit() else float(_WORDS.get(word.lower(), 1))


def _unit(word: str) -> str:
    word = word.lower()
    return word if word.endswith("s") else word + "s"


# "in as little as 40 minutes", "within two hours": an onset bound, not a time point.
_BOUND = _rx(r"\b(?:within|in|as little as|as soon as|after just|after only)\s+(?:as little as\s+)?"
             + _NUM + r"[- ](minutes?|hours?|days?|weeks?)\b")
# "the benefits fade after one to two weeks": the effect lasts that long (the upper
# bound of a range is the claim).
_FADES = _rx(r"\b(?:fades?|fading|faded|wears? off|wore off|wanes?|waning|waned|disappears?|"
             r"subsides?) (?:\w+ )?(?:after|within|in|over) (?:about |around |roughly )?"
             r"(?:(?:\d+|one|two|three|four|a|a few) (?:to|or|-) )?"
             r"(a|an|one|two|three|four|six|\d+) (days?|weeks?|months?)\b")
# "the effects last at most several hours", "only lasts a few days", "rarely lasts more
# than a few days": a ceiling on how long the effect lasts, so one that lasts longer
# contradicts it.
_AT_MOST = _rx(r"\b(?:lasts?\s+(?:for\s+)?(?:at most|only|no (?:more|longer) than|just|merely)"
               r"|(?:rarely|seldom) lasts?\s+(?:for\s+)?(?:more|longer) than)\s+"
               r"(?:a\s+)?(few|several|couple of|a|an|one|two|three|four|six|\d+)\s+"
               r"(hours?|days?|weeks?|months?)\b")
# "for about a week", "lasts two weeks": a stated duration.
_LASTS = _rx(r"\b(?:for|lasts?|lasting)\s+(?:about\s+|around\s+|up to\s+|at least\s+)?"
             + r"(a|an|one|two|three|four|six|\d+)\s+(days?|weeks?|months?)\b")
# "the improvement lasts one to two weeks", "relief lasts from about 2 weeks to 3
# months": a range, whose upper bound is the claim.
_LASTS_RANGE = _rx(r"\blasts?\s+(?:from\s+)?(?:about\s+|around\s+)?"
                   r"(?:a|an|one|two|three|four|six|\d+)(?:\s+(?:days?|weeks?|months?))?\s*"
                   r"(?:to|or|-)\s*(a|an|one|two|three|four|six|\d+)\s+(days?|weeks?|months?)\b")


# "relief only after about two weeks", "it takes several weeks to work", "not until
# the third week": an effect said to come late, so one seen sooner contradicts it.
_LATE = _rx(r"\b(?:only after|not until|no sooner than|takes?|taking|took)\s+(?:about\s+|around\s+|"
            r"roughly\s+|at least\s+|up to\s+)?" + _NUM + r"\s+(days?|weeks?|months?)\b")


def claim_window(text: str) -> Window | None:
    """The onset or duration a claim asserts, None when it states no time frame."""
    late = _LATE.search(text)
    if late:
        return Window(late.group(0), not_before=_value(late.group(1))
                      * _UNIT_HOURS[_unit(late.group(2))])
    ceiling = _ceiling(text)            # bounds how long, not how soon
    if ceiling:
        return ceiling
    precise = _PRECISE.search(text)
    if precise:
        hours = _value(precise.group(1)) * _UNIT_HOURS[_unit(precise.group(2))]
        return Window(precise.group(0).strip(), onset_hours=hours, precise=True)
    bound = _BOUND.search(text)
    if bound:
        return Window(bound.group(0), onset_hours=_value(bound.group(1))
                      * _UNIT_HOURS[_unit(bound.group(2))])
    lasts = _LASTS.search(text)
    if lasts:
        return _lasting(lasts)
    for pattern, hours in _DURABLE:
        m = pattern.search(text)
        if m:
            return Window(m.group(0), lasts_hours=hours)
    for pattern, hours in _ONSET:
        m = pattern.search(text)
        if m:
            return Window(m.group(0), onset_hours=hours)
    m = _SESSIONS.search(text)
    if m:
        return Window(m.group(0), sessions=int(_value(m.group(1))))
    return None


def duration_window(text: str) -> Window | None:
    """Only the duration a claim states ("works within a day, and the improvement lasts
    one to two weeks" has an onset and this)."""
    ceiling = _ceiling(text)
    if ceiling:
        return ceiling
    lasts = _LASTS_RANGE.search(text) or _LASTS.search(text)
    if lasts and not lasts.group(0).lower().startswith("for"):
        # "for two weeks" after an onset is often how long the drug was given
        return _lasting(lasts)
    return None


def _ceiling(text: str) -> Window | None:
    """"Fades after two weeks", "lasts at most a few days": how long, at most."""
    m = _FADES.search(text) or _AT_MOST.search(text)
    return replace(_lasting(m), at_most=True) if m else None


def _lasting(m: re.Match[str]) -> Window:
    """A duration matched as (amount, unit) groups, in hours."""
    return Window(m.group(0), lasts_hours=_value(m.group(1)) * _UNIT_HOURS[_unit(m.group(2))])


def onset_window(text: str) -> Window | None:
    """Only the onset part of a claim ("fast-acting and long-lasting" has both)."""
    for pattern, hours in _ONSET:
        m = pattern.search(text)
        if m:
            return Window(m.group(0), onset_hours=hours)
    return None


# Word forms of time points in findings (no digit for the sentence layer to type).
_REPORTED = [
    (_rx(r"\bwithin (?:an|the first|one) hour\b|\bduring the (?:\w+ )?infusion\b"), HOUR),
    (_rx(r"\bwithin minutes\b"), 0.5),
    (_rx(r"\bwithin (?:a few )?hours\b|\bover hours\b"), DAY),
    (_rx(r"\bwithin (?:one|a) day\b|\b(?:the )?(?:first|next) day\b"), DAY),
    (_rx(r"\b(?:in )?the first (?:few )?days\b|\bwithin (?:a few )?days\b"), 3 * DAY),
]


def reported_onsets(text: str, numbers: tuple[Number, ...]) -> list[float]:
    """Time points (hours) a finding reports, earliest first; thresholds never count."""
    out = [n.value * _UNIT_HOURS[n.unit] for n in numbers
           if n.kind == "time_point" and not n.threshold and n.unit in _UNIT_HOURS]
    out += [hours for pattern, hours in _REPORTED if pattern.search(text)]
    return sorted(out)


def reported_durations(numbers: tuple[Number, ...]) -> list[float]:
    """How long (hours) a finding says something lasted or was followed."""
    return [n.value * _UNIT_HOURS[n.unit] for n in numbers
            if n.kind in ("duration", "time_point") and not n.threshold
            and n.unit in _UNIT_HOURS]


def describe_hours(hours: float) -> str:
    for unit, size in (("months", MONTH), ("weeks", WEEK), ("days", DAY), ("hours", HOUR)):
        if hours >= size:
            return f"{hours / size:g} {unit}"
    return f"{hours * 60:g} minutes"
