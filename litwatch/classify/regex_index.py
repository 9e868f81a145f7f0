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


class GatedPattern:
    """A compiled pattern that first looks (in C) for the literals its matches need."""

    def __init__(self, pattern: str, flags: int = 0):
        self.regex = re.compile(pattern, flags)
        found = required_literals(pattern)
        self._gate = re.compile("|".join(map(re.escape, sorted(found, key=len, reverse=True)))) \
            if found else None

    def possible(self, low: str) -> bool:
        """False when `low` (lower-cased) lacks every literal a match needs."""
        return self._gate is None or self._gate.search(low) is not None
