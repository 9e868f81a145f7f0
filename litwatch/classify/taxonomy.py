"""Load the taxonomy TOML files once and compile their phrases into scanners.

A taxonomy maps keys (vocab values) to phrase lists.  All phrases of one taxonomy
are compiled into ONE regular expression with a named group per (key, strength),
so a text is scanned once per family whatever the number of keys.  At any position
the first alternative that matches wins, which is why the TOML files order specific
phrases before generic ones and list [skip] phrases ("respiratory depression")
first: a skipped span is consumed and can no longer match a key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

SKIP = "_skip"

# Lookarounds instead of \b: phrases may start or end with punctuation ("i.v.").
_LEFT = r"(?<![\w])"
_RIGHT = r"(?![\w])"


@dataclass(frozen=True, slots=True)
class Hit:
    key: str
    strong: bool
    start: int
    end: int
    text: str


class PhraseScanner:
    """One compiled alternation over every key of a taxonomy."""

    def __init__(self, groups: list[tuple[str, bool, list[str]]]):
        self._names: dict[str, tuple[str, bool]] = {}
        parts = []
        for i, (key, strong, phrases) in enumerate(groups):
            if not phrases:
                continue
            name = f"g{i}"
            self._names[name] = (key, strong)
            parts.append(f"(?P<{name}>{'|'.join(f'(?:{p})' for p in phrases)})")
        pattern = _LEFT + "(?:" + "|".join(parts) + ")" + _RIGHT if parts else r"(?!x)x"
        self.regex = re.compile(pattern, re.IGNORECASE)

    def scan(self, text: str) -> list[Hit]:
        """Every non-skipped phrase in `text`, left to right."""
        hits = []
        for m in self.regex.finditer(text):
            key, strong = self._names[m.lastgroup]
            if key != SKIP:
                hits.append(Hit(key, strong, m.start(), m.end(), m.group(0)))
        return hits

    def first(self, text: str) -> Hit | None:
        for hit in self.scan(text):
            return hit
        return None


def compile_any(phrases: list[str]) -> re.Pattern[str]:
    """A single pattern matching any of `phrases` on word boundaries."""
    if not phrases:
        return re.compile(r"(?!x)x")
    return re.compile(_LEFT + "(?:" + "|".join(f"(?:{p})" for p in phrases) + ")" + _RIGHT,
                      re.IGNORECASE)


@cache
def load(name: str) -> dict[str, Any]:
    """Parse litwatch/taxonomy/<name>.toml (cached: files are read once per process)."""
    text = resources.files("litwatch.taxonomy").joinpath(f"{name}.toml").read_text("utf-8")
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


def mesh_index(data: dict[str, Any], exclude: tuple[str, ...] = (),
               field: str = "mesh") -> dict[str, str]:
    """Lower-cased MeSH term -> key."""
    index: dict[str, str] = {}
    for key, sec in keyed_sections(data, exclude).items():
        for term in sec.get(field, []):
            index.setdefault(term.lower(), key)
    return index
