"""The harms a claim lists: "the most common side effects of esketamine nasal spray are
sedation, dissociation, nausea and a temporary rise in blood pressure", "can cause
nausea, vomiting, headache and temporary changes in blood pressure".

Such a list is read three ways: its words are harms, not conditions treated (the
"headache" above is no indication); a "temporary" inside it qualifies one item, so
the claim is that the harms happen, not that they pass; and each item is a detail a
careful reader checks, so a list the records report only in part is partly supported.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The class nouns a list of harms hangs from.
_HARM_NOUNS = r"(?:side[- ]effects?|adverse (?:events?|effects?|reactions?))"
# "side effects such as / include / are ...": the items follow the cue.
_SIDE_EFFECTS = re.compile(
    rf"\b{_HARM_NOUNS}\b[^.;]{{0,60}}?"
    r"\b(?:such as|like|including|includes?|included|are|were|e\.g\.|:)\s+(?P<items>[^.;]+)",
    re.IGNORECASE)
# "carries four identified risks: dissociation, sedation, ..." (not "the risks are low")
_RISKS = re.compile(r"\b(?:risks|harms|dangers)\b[^.;:]{0,30}?(?:such as|like|including|"
                    r"includes?|:)\s+(?P<items>[^.;]+)", re.IGNORECASE)
# "reported dissociation, sedation, ... and dizziness as common adverse effects"
_AS_HARMS = re.compile(r"\b(?:reported|lists?|listed|names?|named|found)\s+(?P<items>[^.;]+?)\s+"
                       r"as (?:the )?(?:most )?(?:common|frequent|usual|typical)?\s*"
                       + _HARM_NOUNS,
                       re.IGNORECASE)
# "dissociation, sleepiness and raised blood pressure are common temporary side effects
# of esketamine": the items come first, the class noun after "are common".
_ARE_HARMS = re.compile(r"^(?P<items>[^.;]+?)\s+(?:are|were)\s+(?:the\s+)?(?:most\s+)?"
                        r"(?:common|frequent|usual|typical)\s+(?:[\w-]+\s+){0,2}?"
                        + _HARM_NOUNS, re.IGNORECASE)
# "can cause nausea ...": what a drug may cause is a harm ("caused a rapid reduction"
# is a finding, so only the possibility verbs count).
_CAN_CAUSE = re.compile(r"\b(?:can|may|might|could)\s+(?:also\s+)?cause\s+(?P<items>[^.;]+)",
                        re.IGNORECASE)
# Each cue, and whether the reader's list is its whole match (the class noun after
# the items) or the items alone.
_CUES = ((_SIDE_EFFECTS, False), (_RISKS, False), (_AS_HARMS, False), (_ARE_HARMS, True),
         (_CAN_CAUSE, False))
# A list that opens with one of these is a statement about the harms as a class
# ("side effects are usually mild and transient"), not a list of them.
_NOT_AN_ITEM = re.compile(
    r"(?:usually|generally|often|typically|mostly|rare|rarely|uncommon|few|mild|minimal|"
    r"well|not|no|transient\w*|temporar\w*|short[- ]lived|brief|manageable|tolerable|"
    r"similar|fewer|less|lower|more|greater|higher|worse|unknown|limited|possible)\b",
    re.IGNORECASE)
_BENEFIT = re.compile(r"\b(?:relie\w*|improv\w*|remission|respon\w*|reduc\w*|decreas\w*|"
                      r"benefit\w*)\b", re.IGNORECASE)
# Where a list stops: a relative clause or a qualifier after the last item.
_TAIL = re.compile(r"\s*\b(?:which|that|but|although|though|while|when|within|after|"
                   r"are|is|were|was|can|may|might|could|occur\w*|happen\w*|with|for|"
                   r"usually|often|generally|typically|mostly|rarely|seldom|tend\w*|"
                   r"clear\w*|resolv\w*|pass(?:es|ed)?|fad\w*|subsid\w*|wear\w*|go(?:es)? away|"
                   r"disappear\w*|quickly|soon|"
                   r"lasting|in (?:some|most|many|up to|about)|in clinical|in trials|"
                   r"especially|particularly)\b.*$", re.IGNORECASE)
_INNER_CUE = re.compile(r".*\b(?:such as|like|including|e\.g\.)\s+", re.IGNORECASE)
_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as well as)\s+", re.IGNORECASE)
# Words of an item that name no particular harm ("a temporary rise in").
_FILLER = frozenset(
    "a an the some other temporary transient temporarily changes change in of rise rises "
    "increase increased increases raised elevated elevation feeling feelings mild severe "
    "problems problem issues symptoms effects brain function brain-function such short "
    "term long use its their".split())


@lru_cache(maxsize=512)     # read three or four times per claim by intake
def _found(text: str) -> tuple[str, tuple[int, int]] | None:
    """The listed items, and the span a reader takes as the list: the items, and for
    "a, b and c are common temporary side effects" the words up to the class noun (its
    "temporary" qualifies the harms, it does not say the claim is about their passing)."""
    for rx, whole in _CUES:
        for m in rx.finditer(text):
            items = _INNER_CUE.sub("", m.group("items"))
            # ("side effects are reduced by ...": a benefit; "reduced touch sensation" an item)
            if items and not _NOT_AN_ITEM.match(items) and not _BENEFIT.match(items):
                items = _TAIL.sub("", items)
                if whole:
                    return items, m.span()
                at = text.find(items)
                return items, (at, at + len(items))
    return None


def _items_text(text: str) -> str:
    found = _found(text)
    return found[0] if found else ""


def lists_harms(text: str) -> bool:
    """Does the claim list the harms a drug causes?"""
    return bool(_items_text(text))


def harm_list_span(text: str) -> tuple[int, int] | None:
    """Where the listed harms are in `text` (their words name no indication)."""
    found = _found(text)
    return found[1] if found and found[1][0] >= 0 else None


def _stem(word: str) -> str:
    return word[:max(5, len(word) - 4)]


def listed_harms(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each listed harm, as its words and their stems: ("blood pressure", ("blood",
    "press")).  Fewer than two items is no list to check item by item."""
    out: dict[tuple[str, ...], str] = {}
    for item in _SPLIT.split(_items_text(text)):
        words = [w for w in re.findall(r"[a-z][a-z-]+", item.lower()) if w not in _FILLER]
        if words:
            out.setdefault(tuple(_stem(w) for w in words), " ".join(words))
    return tuple((name, stems) for stems, name in out.items()) if len(out) >= 2 else ()


def names_harm(text: str, stems: tuple[str, ...]) -> bool:
    if all(re.search(rf"\b{re.escape(s)}", text, re.IGNORECASE) for s in stems):
        return True
    # A harm in lay words is reported in clinical ones ("a fast heart rate": tachycardia).
    return any(lay <= set(stems) and clinical.search(text) for lay, clinical in _CLINICAL)


_TACHYCARDIA = re.compile(r"\btachycard|\bpalpitat", re.I)
_RESPIRATORY = re.compile(r"\brespiratory depression|\bhypoventil|\bbradypn", re.I)
# (the lay words, stemmed as listed_harms stems an item; what a record calls that harm)
_CLINICAL = [(frozenset(_stem(w) for w in words.split()), clinical) for words, clinical in (
    ("heart fast", _TACHYCARDIA), ("heart rapid", _TACHYCARDIA), ("heart racing", _TACHYCARDIA),
    ("high blood pressure", re.compile(r"\bhypertens", re.I)),
    ("sleepiness", re.compile(r"\bsedat|\bdrows|\bsomnolen", re.I)),
    ("sick", re.compile(r"\bnause|\bemes|\bvomit", re.I)),
    ("slow breathing", _RESPIRATORY), ("shallow breathing", _RESPIRATORY),
)]
