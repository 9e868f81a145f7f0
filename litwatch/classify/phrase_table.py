"""Cue phrases as data, matched over a sentence's tokens in one pass (PhraseTable).

Python's `re` tries every alternative at every position, so a hundred cue
alternations per sentence would cost more than the whole ingest budget. Cue phrases
are indexed by a selective word instead; the few phrases a sentence's words start are
then checked item by item.  Each phrase's items after its indexed one are compiled
once into a chain of steps (`_Step`), so the check per phrase is a loop over tuples
with no slicing or type tests: it runs some ten times per sentence.
"""

from __future__ import annotations

from itertools import compress
from typing import Union, cast

# a gap of up to N tokens (-1: exactly one), or (exact words, stems)
Item = int | tuple[frozenset[str], tuple[str, ...]]
# One compiled item and the steps after it (None: the phrase is complete):
# (_WORD, words, stems, next), (_ONE, None, None, next) or (_GAP, N, words, next), where
# a gap's words are those of a plain-word item right after it (None otherwise): a
# sentence without any of them in reach is rejected with one set test.
_Step = tuple[int, object, object, Union["_Step", None]]
_WORD, _ONE, _GAP = 0, 1, 2
# tag, latest start (-1: anywhere), the words before the indexed one (or None), the rest
Phrase = tuple[str, int, frozenset[str] | None, _Step | None]
# Function words start many phrases and fill every sentence; a phrase that starts with
# one ("was|were randomized") is indexed by its second word and checked one step back.
_COMMON = frozenset("the a an and in to of was were is are be been has have had we our this "
                    "these that it its not no did does do with for by on as at , ;".split())


class _Index:
    """Phrases by their indexed item; the phrases a token may start are found once per
    distinct token and cached (bounded)."""

    def __init__(self) -> None:
        self.exact: dict[str, list[Phrase]] = {}
        self.stems: list[tuple[str, Phrase]] = []
        self.prefixes: tuple[str, ...] = ()      # every stem, for one startswith call
        self.cache: dict[str, tuple[Phrase, ...]] = {}

    def add(self, key: Item, phrase: Phrase) -> None:
        if isinstance(key, int):
            raise ValueError(f"cue phrase must not start with a gap: {phrase}")
        for word in key[0]:
            self.exact.setdefault(word, []).append(phrase)
        self.stems.extend((stem, phrase) for stem in key[1])
        self.prefixes = tuple(stem for stem, _ in self.stems)

    def entry(self, tok: str) -> tuple[Phrase, ...]:
        found = self.cache.get(tok)
        if found is None:
            # Most new tokens (numbers, rare words) start no stem: one C call says so.
            stems = (phrase for stem, phrase in self.stems if tok.startswith(stem)) \
                if tok.startswith(self.prefixes) else ()
            found = (*self.exact.get(tok, ()), *stems)
            if len(self.cache) < 200_000:     # bounded: the vocabulary of a long ingest
                self.cache[tok] = found
        return found


def _key_at(items: tuple[Item, ...]) -> int:
    """Index a phrase by its second item when the first is only function words."""
    first, second = items[0], items[1] if len(items) > 1 else 0
    if isinstance(first, int) or first[1] or not first[0] <= _COMMON:
        return 0
    if isinstance(second, int) or not second[0] or second[0] <= _COMMON:
        return 0
    return 1


class PhraseTable:
    """Cue phrases by tag, matched over tokens in a single pass.

    A phrase is items separated by spaces: `word`, `stem*` (a token starting with
    stem), `a|b*` (either), `_` (any token), `~N` (up to N tokens, never across ';').
    A phrase starting with `^` only matches at the first token (`^ ~3 x`: x among the
    first four). Phrases end with ';'. Phrases are indexed by a selective word, so a
    sentence costs one C-level dictionary lookup per token plus the few phrases its
    rarer words start.
    """

    def __init__(self, table: dict[str, str]) -> None:
        self._anywhere = _Index()
        self._opening = _Index()     # `^` phrases, only tried on the first tokens
        self._reach = 0
        for tag, phrases in table.items():
            for phrase in phrases.split(";"):
                if phrase.strip():
                    self._add(tag, phrase.split())

    def _add(self, tag: str, parts: list[str]) -> None:
        if parts[0] != "^":
            items = tuple(map(_item, parts))
            k = _key_at(items)
            before = cast(tuple[frozenset[str], tuple[str, ...]], items[0])[0] if k else None
            self._anywhere.add(items[k], (tag, -1, before, _compiled(items[k + 1:])))
            return
        latest = int(parts[1][1:]) if parts[1].startswith("~") else 0
        items = tuple(map(_item, parts[2 if latest else 1:]))
        self._opening.add(items[0], (tag, latest, None, _compiled(items[1:])))
        self._reach = max(self._reach, latest + 1)

    def scan(self, tokens: list[str]) -> list[tuple[str, int]]:
        """(tag, start token) of every phrase occurrence."""
        n, anywhere = len(tokens), self._anywhere
        hits: list[tuple[str, int]] = []
        # Most tokens start no phrase (their cached entry is the empty tuple); find the
        # others with C-level map/compress. Unseen tokens (None) are looked up first.
        cached = list(map(anywhere.cache.get, tokens))
        entries = cast(list[tuple[Phrase, ...]], cached) if None not in cached else [
            anywhere.entry(t) if e is None else e for e, t in zip(cached, tokens, strict=True)]
        for i in compress(range(n), entries):
            for tag, _, before, rest in entries[i]:     # _try, inlined: the hot loop
                if before is not None and (not i or tokens[i - 1] not in before):
                    continue
                if rest is None or _follows(rest, tokens, i + 1, n):
                    hits.append((tag, i - (before is not None)))
        opening = self._opening
        for i in range(min(n, self._reach)):
            found = opening.cache.get(tokens[i])
            for tag, latest, _, rest in opening.entry(tokens[i]) if found is None else found:
                if latest >= i and (rest is None or _follows(rest, tokens, i + 1, n)):
                    hits.append((tag, i))
        return hits


def _item(part: str) -> Item:
    if part.startswith("~"):
        return int(part[1:])
    if part == "_":
        return -1                      # exactly one token (not ';'): a gap of one
    alts = part.split("|")
    if not all(alts):                  # "a|" at a line end: an alternative list got broken
        raise ValueError(f"empty alternative in cue item {part!r}")
    return (frozenset(a for a in alts if not a.endswith("*")),
            tuple(a[:-1] for a in alts if a.endswith("*")))


def _compiled(items: tuple[Item, ...]) -> _Step | None:
    """The items as a chain of steps, built from the last one back."""
    step: _Step | None = None
    for k in range(len(items) - 1, -1, -1):
        item = items[k]
        if item == -1:
            step = (_ONE, None, None, step)
        elif isinstance(item, int):
            after = items[k + 1] if k + 1 < len(items) else None
            quick = after[0] if isinstance(after, tuple) and not after[1] else None
            step = (_GAP, item, quick, step)
        else:
            step = (_WORD, item[0], item[1], step)
    return step


def _follows(step: _Step | None, tokens: list[str], i: int, n: int) -> bool:
    """Do the steps match tokens[i:]?  Gaps are lazy: the shortest gap is tried first."""
    while step is not None:
        kind, a, b, after = step
        if kind == _WORD:
            if i >= n:
                return False
            tok = tokens[i]
            if tok not in a and not tok.startswith(b):  # type: ignore[operator,arg-type]
                return False
        elif kind == _ONE:
            if i >= n or tokens[i] == ";":
                return False
        else:
            if b is not None and b.isdisjoint(tokens[i:i + a + 1]):  # type: ignore
                return False              # the word after the gap is nowhere in reach
            for j in range(i, min(i + a, n) + 1):  # type: ignore[operator]
                if j > i and tokens[j - 1] == ";":
                    break
                if _follows(after, tokens, j, n):
                    return True
            return False
        i += 1
        step = after
    return True
