"""The classifier's fast scanners find exactly what the plain patterns find.

The phrase tries (litwatch/classify/phrase_trie.py), the literal gates, the
case-blind gates and the joined scans that leave out gated sentences
(litwatch/classify/regex_index.py, taxonomy.py) are speed-ups only: every test
here compares them with the straightforward pattern on real taxonomy phrases and
real record text, plus the constructs that could tell them apart.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from evaluation.evaluate import CORPUS, raw_records
from litwatch.classify import phrase_trie, taxonomy
from litwatch.classify.regex_index import FoldedPattern, LiteralGate, sentence_local
from litwatch.classify.sentences import sentences_of
from litwatch.classify.taxonomy import JOIN, build_scanner, load, lower

_LEFT, _RIGHT = taxonomy._LEFT, taxonomy._RIGHT
_TAXONOMIES: dict[str, dict[str, tuple[str, ...]]] = {
    "indications": {"exclude": ("queries",)},
    "drugs": {"exclude": ("implies_route",)},
    "routes": {"exclude": ("anchors", "contrast"), "tiers": ("forms", "phrases", "implied")},
    "comparators": {},
}
# Edges the corpus may lack: sentence starts and ends, brackets, case, spacing.
_EDGES = [
    "Ketamine.", "(S)-ketamine", "s-ketamine and r-ketamine", "IV ketamine 0.5 mg/kg i.v.",
    "esketamine nasal spray (56 mg)", "depression depressions depressive", "mg/kg s.c. or i.p.",
    "treatment-resistant depression; TRD", "intranasal ketamine vs IV morphine", "",
    "Stage IV cancer", "ketamine’s enantiomers", "ketamine\n\x00\nketamine",
]


@cache
def _texts() -> list[str]:
    records = raw_records([CORPUS])
    return [s.text for r in records.values() for s in sentences_of(r)] + _EDGES


def _phrases(name: str) -> list[str]:
    data = load(name)
    kwargs = _TAXONOMIES[name]
    sections = taxonomy.keyed_sections(data, kwargs.get("exclude", ()))
    phrases = list(data.get("skip", {}).get("phrases", []))
    for tier in kwargs.get("tiers", ("phrases", "weak")):
        phrases += [p for sec in sections.values() for p in sec.get(tier, [])]
    return [p for p in phrases if "(?-i:" not in p]


def _matches(pattern: re.Pattern[str], names: dict[str, str], text: str
             ) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), names.get(m.lastgroup or "", m.lastgroup or ""))
            for m in pattern.finditer(text)]


def _both(phrases: list[str]) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """The plain alternation and the trie, each alternative ending in a named group."""
    named = [(p, f"p{i}") for i, p in enumerate(phrases)]
    plain = "|".join(f"(?:{p})(?P<{n}>)" for p, n in named)
    body, names = phrase_trie.trie_alternation(named)
    return (re.compile(f"{_LEFT}(?:{plain}){_RIGHT}"), re.compile(f"{_LEFT}(?:{body}){_RIGHT}"),
            names)


@pytest.mark.parametrize("name", sorted(_TAXONOMIES))
def test_trie_finds_what_the_plain_alternation_finds(name: str) -> None:
    plain, trie, names = _both(_phrases(name))
    for text in _texts():
        low = lower(text)
        assert _matches(trie, names, low) == _matches(plain, {}, low), text


def test_trie_keeps_the_first_alternative_that_matches() -> None:
    # Order decides: "depression" before "depression scale", "(?:a|ab)c" tries a first,
    # an optional group is tried with its content first, classes, escapes and bars.
    phrases = ["depression", "depression scale", "(?:major )?depress\\w*", "(?:a|ab)c",
               "ab", "[sz]ketamine", "i\\.v\\.", "iv|intravenous(?:ly)?", "(?<=mg )s\\.?c\\.?",
               "\\w+ pain", "(?:post|pre)[- ]?operative", "x{2}y", "(q)r?"]
    plain, trie, names = _both(phrases)
    texts = ["major depression scale", "depression scale", "abc ab ac", "zketamine sketamine",
             "i.v. iv intravenously", "10 mg sc 5 mg s.c.", "back pain", "post-operative",
             "xxy", "q qr"]
    for text in texts:
        assert _matches(trie, names, text) == _matches(plain, {}, text), text


def test_trie_groups_alternatives_by_first_character() -> None:
    body, _ = phrase_trie.trie_alternation([("depression", "a"), ("delirium", "b"),
                                            ("(?:pain|psychosis)", "c")])
    assert body.startswith("d(?:")           # one branch for both d- phrases
    assert "p(?:" in body


def test_scan_joined_equals_one_scan_of_every_sentence() -> None:
    """The drug scanner leaves gated-out sentences out of its join: the hits of every
    sentence must be those of a scan of all sentences joined (how it was done)."""
    scanner = build_scanner(load("drugs"), exclude=("implies_route",))
    assert scanner._separable
    records = raw_records([CORPUS])
    groups = [[s.text for s in sentences_of(r)] for r in records.values()]
    groups += [["No drug here.", "Ketamine at the start", "none", "ends with ketamine"],
               ["nothing", "at all"], ["esketamine"], []]
    for texts in groups:
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + len(JOIN)
        expected: list[list[tuple[str, int, int, str]]] = [[] for _ in texts]
        for h in scanner.scan(JOIN.join(texts)):
            i = max(k for k, s in enumerate(starts) if s <= h.start)
            expected[i].append((h.key, h.start - starts[i], h.end - starts[i], h.text))
        got = [[(h.key, h.start, h.end, h.text) for h in hits]
               for hits in scanner.scan_joined(texts)]
        assert got == expected


def test_literal_gate_drops_literals_that_hold_another() -> None:
    gate = LiteralGate({"ketamine", "racemic ketamine", "esketamin"})
    assert set(gate.literals) == {"ketamine", "esketamin"}
    assert gate.found("racemic ketamine was given")
    assert not gate.found("midazolam was given")


def test_folded_pattern_matches_as_ignorecase_does() -> None:
    pattern = r"\bNCT\s?(\d{8})\b"
    folded, plain = FoldedPattern(pattern), re.compile(pattern, re.IGNORECASE)
    texts = ["registered as NCT01234567.", "nct 01234567", "Nct01234567", "no registry",
             "ǸCT01234567", "\u0130NCT01234567", "N\u212aT01234567"]
    for text in texts:
        assert folded.findall(text) == plain.findall(text), text
    # Characters IGNORECASE folds onto ASCII letters that lower() keeps apart.
    sigma = FoldedPattern(r"mask")
    assert sigma.search("ma\u017fk") is not None and re.search("mask", "ma\u017fk", re.I)


@pytest.mark.parametrize(("pattern", "local"), [
    (r"\bketamine\b", True), (r"(?<=mg )s\.?c\.?", True), (r"\s*x", True),
    (r"a.b", False), (r"\Wx", False), (r"[^a]x", False), (r"x$", False), (r"^x", False),
    (r"[\x00-z]", False), ("σ", False), (r"(?i:x)", False),
])
def test_sentence_local(pattern: str, local: bool) -> None:
    assert sentence_local(pattern) is local


def _reference_scan(groups: list[tuple[str, str, list[str]]], text: str
                    ) -> list[tuple[str, int, int]]:
    """PhraseScanner._scan as it was: the plain alternations, no gate, no trie."""
    folded = [(f"g{i}", [p for p in ps if "(?-i:" not in p]) for i, (_, _, ps) in enumerate(groups)]
    exact = [(f"g{i}", [p for p in ps if "(?-i:" in p]) for i, (_, _, ps) in enumerate(groups)]
    hits, taken = [], []
    for m in taxonomy._compile(folded, 0).finditer(lower(text)):
        taken.append(m.span())
        hits.append((m.lastgroup or "", m.start(), m.end()))
    for m in taxonomy._compile(exact, re.IGNORECASE).finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            hits.append((m.lastgroup or "", m.start(), m.end()))
    hits.sort(key=lambda h: h[1])
    keyed = [(groups[int(g[1:].partition("x")[0])][0], s, e) for g, s, e in hits]
    return [k for k in keyed if k[0] != taxonomy.SKIP]


def test_route_scanner_with_case_sensitive_phrases_finds_what_it_did() -> None:
    data = load("routes")
    sections = taxonomy.keyed_sections(data, ("anchors", "contrast"))
    groups = [(taxonomy.SKIP, "skip", list(data.get("skip", {}).get("phrases", [])))]
    for tier in ("forms", "phrases", "implied"):
        groups += [(key, tier, list(sec.get(tier, []))) for key, sec in sections.items()]
    scanner = taxonomy.PhraseScanner(groups)
    for text in _texts() + ["Stage IV melanoma and IV ketamine", "IN ketamine, SC ketamine"]:
        got = [(h.key, h.start, h.end) for h in scanner.scan(text)]
        assert got == _reference_scan(groups, text), text


def test_trie_pattern_finds_what_the_hand_written_pattern_finds() -> None:
    from litwatch.classify import study
    patterns = [study._CITES_TEXT, r"\b(?:this|the present|our) (?:[\w-]+ ){0,4}?(?:study|"
                r"trial)\b|\bthe (?:study|trial)\b(?! (?:of|by)\b)|\bwe\b|\bwill\b",
                r"^(?:\w+ ){0,3}?(?:is|are) (?:a|an|the)\b|\bthere (?:is|are) no\b"]
    roles = load("topic")["incidental"].values()      # as mentions.rules() joins them
    patterns += ["|".join(f"(?:{p})" for p in r["patterns"]).replace("DRUG", "\x01")
                 for r in roles if r.get("patterns")]
    texts = [lower(t) for t in _texts()] + ["previous studies have shown it", "we will"]
    for pattern in patterns:
        plain, trie = re.compile(pattern), re.compile(phrase_trie.trie_pattern(pattern))
        for text in texts:
            assert [m.span() for m in trie.finditer(text)] == \
                [m.span() for m in plain.finditer(text)], (pattern[:40], text)
    assert phrase_trie.trie_pattern(r"(a)|b") == r"(a)|b"     # groups: left alone
