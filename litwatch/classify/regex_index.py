"""Speed: which texts an alternation of phrases cannot match, known without `re`.

Python's `re` tries every alternative of a pattern at every word start, so a
taxonomy costs a few hundred nanoseconds per character whatever the text.  From the
parsed phrases, `required_literals` finds strings one of which every match contains;
a text with none of them cannot match and is not scanned (a sentence that names no
drug costs the drug scan one short literal search).
"""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parse
from functools import lru_cache


def required_literals(pattern: str) -> frozenset[str] | None:
    """Lower-case strings one of which every match of `pattern` contains, or None."""
    try:
        found = _required(list(_sre_parse.parse(pattern)))
    except Exception:  # noqa: BLE001 -- an unparsable pattern is simply not indexed
        return None
    return frozenset(found) if found and min(map(len, found)) >= 2 else None


def _required(items: list) -> set[str] | None:  # type: ignore[type-arg]
    runs: list[str] = []
    options: list[set[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is _sre.LITERAL:
            run.append(chr(arg).lower())
            continue
        if run:
            runs.append("".join(run))
            run = []
        sub = _required_of(op, arg)
        if sub:
            options.append(sub)
    if run:
        runs.append("".join(run))
    candidates = [{r} for r in runs] + options
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)))


def _required_of(op, arg) -> set[str] | None:  # type: ignore[no-untyped-def]
    if op is _sre.SUBPATTERN:
        return _required(list(arg[-1]))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
        return _required(list(arg[2]))
    if op is _sre.BRANCH:
        out: set[str] = set()
        for branch in arg[1]:
            sub = _required(list(branch))
            if not sub:
                return None
            out |= sub
        return out
    return None


# --------------------------------------------------------------- first characters
_RANGE = 64                 # a class range wider than this counts as "any character"


@lru_cache(maxsize=2048)         # a phrase's copies in a trie share their rests
def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with; None when any (or unknown)."""
    try:
        parsed = _sre_parse.parse(pattern)
        found, nullable = _first(list(parsed))
    except Exception:  # noqa: BLE001 -- unknown is always a safe answer
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None                 # case-blind: its first characters are not the literals
    return None if found is None or nullable else frozenset(found)


def _first(items: list) -> tuple[set[str] | None, bool]:  # type: ignore[type-arg]
    """(first characters, can the sequence match the empty string)."""
    out: set[str] = set()
    for op, av in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue                                  # zero width: look at what follows
        if op is _sre.LITERAL:
            out.add(chr(av))
            return out, False
        if op is _sre.IN:
            chars = _class_chars(av)
            return (None if chars is None else out | chars), False
        if op is _sre.SUBPATTERN:
            if av[1] & re.IGNORECASE:
                return None, False
            sub, nullable = _first(list(av[-1]))
        elif op is _sre.BRANCH:
            sub, nullable = set(), False
            for branch in av[1]:
                found, empty = _first(list(branch))
                if found is None:
                    return None, False
                sub |= found
                nullable = nullable or empty
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            sub, nullable = _first(list(av[2]))
            nullable = nullable or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        out |= sub
        if not nullable:
            return out, False
    return out, True


def _class_chars(items: list) -> set[str] | None:  # type: ignore[type-arg]
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] <= _RANGE:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:
            return None
    return chars


# --------------------------------------------------------------- sentence-local
_SAFE_CATEGORIES = frozenset((_sre.CATEGORY_WORD, _sre.CATEGORY_SPACE, _sre.CATEGORY_DIGIT))
_SAFE_AT = frozenset((_sre.AT_BOUNDARY, _sre.AT_NON_BOUNDARY))
_GREEK = range(0x370, 0x400)     # str.lower() writes a final sigma differently in context


def sentence_local(pattern: str) -> bool:
    """Can a match of `pattern` (lookarounds included) never take in a NUL, and does it
    have no anchors but word boundaries?  Then in sentences joined by a separator
    holding a NUL it sees one sentence and the separator's edges: what it finds in a
    sentence does not depend on the other sentences (no Greek letters either: their
    lower case depends on where the text is cut)."""
    try:
        return _local(list(_sre_parse.parse(pattern)))
    except Exception:  # noqa: BLE001 -- not analysable: not local
        return False


def joinable(pattern: str, separator: str) -> bool:
    """sentence_local, and no match starts with a character of the separator."""
    starts = first_chars(pattern)
    return starts is not None and not starts & set(separator) and sentence_local(pattern)


def _local(items: list) -> bool:  # type: ignore[type-arg]
    for op, av in items:
        if op is _sre.LITERAL:
            ok = av != 0 and av not in _GREEK
        elif op is _sre.IN:
            ok = all(_local_class_item(o, a) for o, a in av)
        elif op is _sre.AT:
            ok = av in _SAFE_AT
        elif op is _sre.SUBPATTERN:
            ok = not av[1] & re.IGNORECASE and _local(list(av[-1]))
        elif op is _sre.BRANCH:
            ok = all(_local(list(branch)) for branch in av[1])
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            ok = _local(list(av[2]))
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            ok = _local(list(av[1]))
        else:
            ok = False          # ., [^...], backreferences, anchors ...
        if not ok:
            return False
    return True


def _local_class_item(op, av) -> bool:  # type: ignore[no-untyped-def]
    if op is _sre.LITERAL:
        return av != 0 and av not in _GREEK
    if op is _sre.RANGE:
        return av[0] != 0 and av[1] < _GREEK.start
    return op is _sre.CATEGORY and av in _SAFE_CATEGORIES


class LiteralGate:
    """Does a text hold one of these literals?  One `in` per literal: str's substring
    search skips through the text in C, two to three times faster than a literal
    alternation in `re`, which starts its matcher wherever a literal's first
    character occurs."""

    __slots__ = ("literals",)

    def __init__(self, literals: frozenset[str] | set[str]):
        # A literal holding another is found whenever the shorter one is: drop it.
        # Short literals first: they are the likelier to occur, and the first found ends
        # the search.
        kept = {lit for lit in literals if not any(o != lit and o in lit for o in literals)}
        self.literals = tuple(sorted(kept, key=lambda lit: (len(lit), lit)))

    def found(self, text: str) -> bool:
        for literal in self.literals:
            if literal in text:
                return True
        return False


class GatedPattern:
    """A compiled pattern that first looks (in C) for the literals its matches need."""

    def __init__(self, pattern: str, flags: int = 0):
        # Without flags, written as a trie of its alternatives (the same pattern).
        from litwatch.classify.phrase_trie import trie_pattern  # (it imports this module)
        self.regex = re.compile(pattern if flags else trie_pattern(pattern), flags)
        found = required_literals(pattern)
        self._gate = LiteralGate(found) if found else None

    def possible(self, low: str) -> bool:
        """False when `low` (lower-cased) lacks every literal a match needs."""
        return self._gate is None or self._gate.found(low)


# The only characters outside ASCII that `re.IGNORECASE` matches to an ASCII letter
# and that str.lower() does not turn into that letter (Kelvin sign K does become k).
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f")     # İ ı ſ


class FoldedPattern:
    """A re.IGNORECASE pattern that first looks for the literals its matches need, in
    the text lower-cased: an IGNORECASE scan tries every position, the literal check
    skips through the text in C.  Matches are the pattern's own, on the original text."""

    def __init__(self, pattern: str, flags: int = 0):
        self.regex = re.compile(pattern, flags | re.IGNORECASE)
        found = required_literals(pattern)
        ascii_only = found is not None and all(lit.isascii() for lit in found)
        self._gate = LiteralGate(found) if found and ascii_only else None

    def possible(self, text: str) -> bool:
        if self._gate is None or self._gate.found(text.lower()):
            return True
        return any(c in text for c in _FOLDS_TO_ASCII)

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text) if self.possible(text) else None

    def findall(self, text: str) -> list:  # type: ignore[type-arg]
        return self.regex.findall(text) if self.possible(text) else []
