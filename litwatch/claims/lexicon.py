"""lexicon.toml compiled once: concepts, populations, indication families, cue words.

Every list becomes one case-insensitive alternation anchored on word boundaries, so
a sentence is scanned once per list.  Claims intake and the reading of record
sentences share these patterns: a claim about "BDNF" is checked against sentences
that say "BDNF" in the same spelling rules.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Concept:
    key: str
    role: str                  # mechanism | outcome | harm | therapy | regulatory | practice
    regex: re.Pattern[str]
    search: tuple[str, ...]    # full-text terms for candidate records


def _compile(phrases: list[str]) -> re.Pattern[str]:
    if not phrases:
        return re.compile(r"(?!x)x")
    body = "|".join(f"(?:{p})" for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.IGNORECASE)


@cache
def _data() -> dict:
    text = resources.files("litwatch.claims").joinpath("lexicon.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def concepts() -> dict[str, Concept]:
    return {key: Concept(key, t["role"], _compile(t["phrases"]), tuple(t.get("search", ())))
            for key, t in _data()["concept"].items()}


@cache
def populations() -> dict[str, re.Pattern[str]]:
    return {key: _compile(t["phrases"]) for key, t in _data()["population"].items()}


@cache
def cue(name: str) -> re.Pattern[str]:
    """A cue list of lexicon.toml [cue] as one pattern (KeyError names a missing list)."""
    return _compile(_data()["cue"][name])


@cache
def generic(concept: str) -> re.Pattern[str] | None:
    """The generic words of a concept ("side effects", "safety"), None when it has none."""
    phrases = _data().get("generic", {}).get(concept)
    return _compile(phrases) if phrases else None


def specific_terms(concept: str, text: str) -> tuple[str, ...]:
    """The concept's words in `text` that are not its generic words ("blood pressure")."""
    general = generic(concept)
    hits = [m.group(0).lower() for m in concepts()[concept].regex.finditer(text)]
    return tuple(dict.fromkeys(h for h in hits if not (general and general.fullmatch(h))))


def has(name: str, text: str) -> bool:
    return cue(name).search(text) is not None


def family(indication: str) -> tuple[str, ...]:
    """Record indication labels that count for a claim about `indication`."""
    return tuple(_data()["family"].get(indication, [indication]))


def settings() -> frozenset[str]:
    """Indication labels that name a setting (anaesthesia, healthy volunteers)."""
    return frozenset(_data().get("settings", {}).get("labels", []))


def distinct(label: str) -> tuple[str, ...]:
    """Labels through which a record with `label` does not count on its own."""
    return tuple(_data().get("distinct", {}).get(label, []))


@cache
def outcome_pattern(indication: str) -> re.Pattern[str] | None:
    """Words a results sentence uses about this indication's outcome."""
    group = _data()["outcome_of"].get(indication)
    return _compile(_data()["outcome"][group]) if group else None


@cache
def other_outcomes(indication: str) -> re.Pattern[str] | None:
    """Outcome words of every other indication group (a clause about those only is
    about something else: "although depression improved" in a PTSD trial)."""
    own = _data()["outcome_of"].get(indication)
    phrases = [p for group, ps in _data()["outcome"].items() if group != own for p in ps]
    return _compile(phrases) if phrases else None


def concepts_in(text: str, roles: tuple[str, ...] = ()) -> list[str]:
    """Concept keys named in `text`, in order of first mention.  A mention inside a
    longer one is not a concept of its own: "traumatic memory" is not "memory"."""
    spans = sorted(((m.start(), -m.end(), key) for key, c in concepts().items()
                    if not roles or c.role in roles for m in c.regex.finditer(text)))
    taken: list[tuple[int, int]] = []
    keys: list[str] = []
    for start, neg_end, key in spans:
        end = -neg_end
        if any(s <= start and end <= e for s, e in taken):
            continue
        taken.append((start, end))
        if key not in keys:
            keys.append(key)
    return keys


def populations_in(text: str) -> list[str]:
    return [key for key, rx in populations().items() if rx.search(text)]

