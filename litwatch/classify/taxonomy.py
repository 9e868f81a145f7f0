"""Load the taxonomy TOML files once and compile their phrases into scanners.

A taxonomy maps keys (vocab values) to phrase lists.  All phrases of one taxonomy
are compiled into ONE regular expression with a named group per (key, strength),
so a text is scanned once per family whatever the number of keys.  At any position
the first alternative that matches wins, which is why the TOML files order specific
phrases before generic ones and list [skip] phrases ("respiratory depression")
first: a skipped span is consumed and can no longer match a key.

Speed (issue 3 asks for >= 2,000 records/s): phrases are written in lower case and
matched against a lower-cased copy of the text without re.IGNORECASE, and every
match must start at a word start; together about ten times faster than an
IGNORECASE scan.  The alternation is written as a trie of the phrases' leading
literals (litwatch/classify/phrase_trie.py: the same pattern, about three times
faster for a few hundred phrases).  The few case-sensitive phrases ("(?-i:IV)": the
route, not the numeral) run in a small second scanner over the original text, only
when the text holds their case-sensitive part, and lose to any overlapping match of
the main one.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from litwatch.classify.phrase_trie import case_sensitive_gate, trie_alternation
from litwatch.classify.regex_index import LiteralGate, joinable, required_literals

SKIP = "_skip"
# Joins texts for one scan (PhraseScanner.scan_joined); no phrase matches across a NUL.
JOIN = "\n\x00\n"
_CASE_SENSITIVE = "(?-i:"
# A match starts at a word start (or an opening parenthesis) and ends at a word end.
_LEFT = r"(?<!\w)(?=[\w(])"
_RIGHT = r"(?!\w)"
_NEVER = re.compile(r"(?!x)x")
_UPPER_LITERAL = re.compile(r"(?<!\\)(?<!\(\?-i:)[A-Z]")


@dataclass(frozen=True, slots=True)
class Hit:
    key: str
    strong: bool
    start: int
    end: int
    text: str
    tier: str = "phrases"    # the TOML list the phrase came from (phrases, weak, forms ...)


@lru_cache(maxsize=8192)
def lower(text: str) -> str:
    """Lower case with offsets kept (str.lower() can lengthen a few characters).

    Cached: every scanner lower-cases the same sentence."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _alternation(groups: list[tuple[str, list[str]]]) -> str:
    """One flat alternation, each phrase followed by an empty group naming its key.

    The empty group goes after the phrase, not around the key's phrases: an
    alternative that starts with a literal is then rejected by `re` in one comparison
    at each position, which makes a two-hundred-phrase scan about 40% faster.
    """
    return "|".join(f"(?:{p})(?P<{name}x{j}>)" for name, phrases in groups
                    for j, p in enumerate(phrases))


# A scanner whose phrases all contain one of at most this many literal strings first
# checks the text for them and skips the regex when none is there: most sentences
# name no drug, so the drug scan mostly costs nothing (litwatch/classify/regex_index.py).
_GATE_LITERALS = 16


def phrase_gate(phrases: list[str]) -> LiteralGate | None:
    """The literals one of which every phrase needs (regex_index.LiteralGate)."""
    literals: set[str] = set()
    for p in phrases:
        found = required_literals(p)
        if found is None:
            return None
        literals |= found
    if not literals:
        return None
    gate = LiteralGate(literals)        # counted after dropping literals holding others
    return gate if len(gate.literals) <= _GATE_LITERALS else None


def gate_passes(gate: LiteralGate | re.Pattern[str] | None, text: str) -> bool:
    if gate is None:
        return True
    if isinstance(gate, LiteralGate):
        return gate.found(text)
    return gate.search(text) is not None


class PhraseScanner:
    """One compiled alternation over every key of a taxonomy (plus a case-sensitive one)."""

    def __init__(self, groups: list[tuple[str, str, list[str]]]):
        self._names: dict[str, tuple[str, str]] = {}
        folded: list[tuple[str, list[str]]] = []
        exact: list[tuple[str, list[str]]] = []
        for i, (key, tier, phrases) in enumerate(groups):
            name = f"g{i}"
            self._names[name] = (key, tier)
            folded.append((name, [p for p in phrases if _CASE_SENSITIVE not in p]))
            exact.append((name, [p for p in phrases if _CASE_SENSITIVE in p]))
        for _, phrases in folded:
            for p in phrases:
                if _UPPER_LITERAL.search(p.replace(r"\S", "").replace(r"\W", "")
                                         .replace(r"\D", "").replace(r"\B", "")):
                    raise ValueError(f"taxonomy phrase must be lower case: {p!r}")
        self._folded, folded_names = compile_trie(folded)
        self._exact = _compile(exact, re.IGNORECASE)
        self._markers = {group: self._names[phrase.partition("x")[0]]
                         for group, phrase in folded_names.items()}
        self._markers.update({f"{name}x{j}": self._names[name]
                              for name, phrases in exact for j in range(len(phrases))})
        keyed = [p for (name, ps) in folded if self._names[name][0] != SKIP for p in ps]
        self._gate = phrase_gate(keyed)
        self._exact_gate = case_sensitive_gate([p for _, ps in exact for p in ps])
        # Texts joined by JOIN can be scanned as the ones the gate lets through only:
        # what a sentence-local pattern finds in one does not depend on the others.
        # (Parsing a big pattern is slow: only asked of scanners with a gate.)
        self._separable = self._gate is not None and self._exact is _NEVER and joinable(
            self._folded.pattern, JOIN)

    def scan(self, text: str) -> list[Hit]:
        """Every non-skipped phrase in `text`, left to right."""
        return list(_scan_cached(self, text))

    def scan_joined(self, texts: list[str]) -> list[list[Hit]]:
        """The hits of each text, offsets in that text, from one scan of the texts
        joined by JOIN (a scan call costs more than a short sentence's characters).
        Texts the gate rules out are left out of the join when the scanner is
        separable; the texts kept see the same neighbours up to the separator's NUL
        (one in front when the first text is left out, one behind for the last)."""
        out: list[list[Hit]] = [[] for _ in texts]
        kept = list(range(len(texts)))
        if self._separable and self._gate is not None:
            kept = [i for i in kept if self._gate.found(lower(texts[i]))]
        if not kept:
            return out
        lead = JOIN if kept[0] != 0 else ""
        starts, pos = [], len(lead)
        for i in kept:
            starts.append(pos)
            pos += len(texts[i]) + len(JOIN)
        tail = JOIN if kept[-1] != len(texts) - 1 else ""
        joined = lead + JOIN.join(texts[i] for i in kept) + tail
        for h in _scan_cached(self, joined):
            k = bisect_right(starts, h.start) - 1
            at = starts[k]
            # Hits are immutable: one already at its text's offsets is kept as it is.
            out[kept[k]].append(Hit(h.key, h.strong, h.start - at, h.end - at, h.text, h.tier)
                                if at else h)
        return out

    def first(self, text: str) -> Hit | None:
        hits = _scan_cached(self, text)
        return hits[0] if hits else None

    def _scan(self, text: str) -> tuple[Hit, ...]:
        taken: list[tuple[int, int]] = []
        hits: list[Hit] = []
        low = lower(text)
        # Without a case-sensitive match, only the keyed folded phrases matter (a
        # skipped span only matters for the case-sensitive phrases it blocks).
        exact = self._exact is not _NEVER and gate_passes(self._exact_gate, text)
        if not exact and not gate_passes(self._gate, low):
            return ()
        if not exact:            # the common case, _keep inlined: no spans to keep
            markers = self._markers
            for m in self._folded.finditer(low):
                key, tier = markers[m.lastgroup]  # type: ignore[index]
                if key != SKIP:
                    start, end = m.span()
                    hits.append(Hit(key, tier == "phrases", start, end, text[start:end], tier))
            return tuple(hits)
        for m in self._folded.finditer(low):
            taken.append(m.span())
            self._keep(m, text, hits)
        if exact:
            for m in self._exact.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    self._keep(m, text, hits)
            hits.sort(key=lambda h: h.start)
        return tuple(hits)

    def _keep(self, m: re.Match[str], text: str, hits: list[Hit]) -> None:
        assert m.lastgroup is not None     # every alternative is a named group
        key, tier = self._markers[m.lastgroup]
        if key != SKIP:
            hits.append(Hit(key, tier == "phrases", m.start(), m.end(),
                            text[m.start():m.end()], tier))


@lru_cache(maxsize=4096)
def _scan_cached(scanner: PhraseScanner, text: str) -> tuple[Hit, ...]:
    # The same abstract is scanned for drugs by the drug, route and dose rules.
    return scanner._scan(text)


def _compile(groups: list[tuple[str, list[str]]], flags: int) -> re.Pattern[str]:
    body = _alternation(groups)
    return re.compile(f"{_LEFT}(?:{body}){_RIGHT}", flags) if body else _NEVER


def compile_trie(groups: list[tuple[str, list[str]]]
                  ) -> tuple[re.Pattern[str], dict[str, str]]:
    """The same alternation as `_compile` (no flags), written as a trie of its phrases'
    literals (phrase_trie.trie_alternation); and each match group's phrase name."""
    body, names = trie_alternation([(p, f"{name}x{j}") for name, phrases in groups
                                    for j, p in enumerate(phrases)])
    pattern = re.compile(f"{_LEFT}(?:{body}){_RIGHT}") if body else _NEVER
    return pattern, names


@cache
def load(name: str) -> dict[str, Any]:
    """Parse classify/taxonomies/<name>.toml (cached: files are read once per process)."""
    folder = resources.files("litwatch.classify").joinpath("taxonomies")
    text = folder.joinpath(f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def keyed_sections(data: dict[str, Any], exclude: tuple[str, ...] = ()) -> dict[str, dict]:
    """The per-key tables of a taxonomy, in file order (skip and extras excluded)."""
    return {k: v for k, v in data.items()
            if isinstance(v, dict) and k != "skip" and k not in exclude}


def build_scanner(data: dict[str, Any], exclude: tuple[str, ...] = (),
                  tiers: tuple[str, ...] = ("phrases", "weak")) -> PhraseScanner:
    """Skip phrases first, then every key's phrases tier by tier, in `tiers` order.

    A hit is `strong` when it comes from the "phrases" list; `tier` names the list,
    for taxonomies with more than two strengths (routes: forms, phrases, implied).
    """
    sections = keyed_sections(data, exclude)
    groups: list[tuple[str, str, list[str]]] = [
        (SKIP, "skip", list(data.get("skip", {}).get("phrases", [])))]
    for tier in tiers:
        groups += [(key, tier, list(sec.get(tier, []))) for key, sec in sections.items()]
    return PhraseScanner(groups)
