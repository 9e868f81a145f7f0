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
IGNORECASE scan.  The few case-sensitive phrases ("(?-i:IV)": the route, not the
numeral) run in a small second scanner over the original text and lose to any
overlapping match of the main one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

SKIP = "_skip"
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


def lower(text: str) -> str:
    """Lower case with offsets kept (str.lower() can lengthen a few characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _alternation(groups: list[tuple[str, list[str]]]) -> str:
    return "|".join(f"(?P<{name}>{'|'.join(f'(?:{p})' for p in phrases)})"
                    for name, phrases in groups if phrases)


class PhraseScanner:
    """One compiled alternation over every key of a taxonomy (plus a case-sensitive one)."""

    def __init__(self, groups: list[tuple[str, bool, list[str]]]):
        self._names: dict[str, tuple[str, bool]] = {}
        folded: list[tuple[str, list[str]]] = []
        exact: list[tuple[str, list[str]]] = []
        for i, (key, strong, phrases) in enumerate(groups):
            name = f"g{i}"
            self._names[name] = (key, strong)
            folded.append((name, [p for p in phrases if _CASE_SENSITIVE not in p]))
            exact.append((name, [p for p in phrases if _CASE_SENSITIVE in p]))
        for _, phrases in folded:
            for p in phrases:
                if _UPPER_LITERAL.search(p.replace(r"\S", "").replace(r"\W", "")
                                         .replace(r"\D", "").replace(r"\B", "")):
                    raise ValueError(f"taxonomy phrase must be lower case: {p!r}")
        self._folded = _compile(folded, 0)
        self._exact = _compile(exact, re.IGNORECASE)

    def scan(self, text: str) -> list[Hit]:
        """Every non-skipped phrase in `text`, left to right."""
        return list(_scan_cached(self, text))

    def first(self, text: str) -> Hit | None:
        hits = _scan_cached(self, text)
        return hits[0] if hits else None

    def _scan(self, text: str) -> tuple[Hit, ...]:
        taken: list[tuple[int, int]] = []
        hits: list[Hit] = []
        for m in self._folded.finditer(lower(text)):
            taken.append(m.span())
            self._keep(m, text, hits)
        if self._exact is not _NEVER:
            for m in self._exact.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    self._keep(m, text, hits)
            hits.sort(key=lambda h: h.start)
        return tuple(hits)

    def _keep(self, m: re.Match[str], text: str, hits: list[Hit]) -> None:
        key, strong = self._names[m.lastgroup]
        if key != SKIP:
            hits.append(Hit(key, strong, m.start(), m.end(), text[m.start():m.end()]))


@lru_cache(maxsize=512)
def _scan_cached(scanner: PhraseScanner, text: str) -> tuple[Hit, ...]:
    # The same abstract is scanned for drugs by the drug, route and dose rules.
    return scanner._scan(text)


def _compile(groups: list[tuple[str, list[str]]], flags: int) -> re.Pattern[str]:
    body = _alternation(groups)
    return re.compile(f"{_LEFT}(?:{body}){_RIGHT}", flags) if body else _NEVER


@dataclass(frozen=True, slots=True)
class Found:
    """A phrase found in a text, with the text's own spelling (not the lower-cased copy)."""

    begin: int
    finish: int
    text: str

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish

    def span(self) -> tuple[int, int]:
        return self.begin, self.finish

    def group(self, _: int = 0) -> str:
        return self.text


class AnyPhrase:
    """Any of a list of lower-case phrases, searched in lower-cased text."""

    def __init__(self, phrases: list[str]):
        self.regex = _compile([("p", list(phrases))], 0)

    def search(self, text: str) -> Found | None:
        m = self.regex.search(lower(text))
        return Found(m.start(), m.end(), text[m.start():m.end()]) if m else None

    def finditer(self, text: str) -> list[Found]:
        return [Found(m.start(), m.end(), text[m.start():m.end()])
                for m in self.regex.finditer(lower(text))]

    def count(self, text: str) -> int:
        return sum(1 for _ in self.regex.finditer(lower(text)))


def compile_any(phrases: list[str]) -> AnyPhrase:
    """A matcher for any of `phrases` on word boundaries (match text is lower case)."""
    return AnyPhrase(phrases)


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


def build_scanner(data: dict[str, Any], exclude: tuple[str, ...] = ()) -> PhraseScanner:
    """Skip phrases first, then every key's strong phrases, then the weak ones."""
    sections = keyed_sections(data, exclude)
    groups: list[tuple[str, bool, list[str]]] = [
        (SKIP, False, list(data.get("skip", {}).get("phrases", [])))]
    groups += [(key, True, list(sec.get("phrases", []))) for key, sec in sections.items()]
    groups += [(key, False, list(sec.get("weak", []))) for key, sec in sections.items()]
    return PhraseScanner(groups)
