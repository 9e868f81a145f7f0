"""Split text into sentences and tokens, and find cue phrases among the tokens.

Sentences: every "punctuation + space + non-lowercase" is a candidate boundary; a cheap
look at the token before it vetoes the abbreviations biomedical text is full of ("e.g.",
"i.v.", "vs.", "et al.", "Fig. 2", "Dr.") and list markers ("1.", "II."). Decimals
("0.5 mg/kg", "P < .001") are never candidates because no space follows their dot.
Registry text is Markdown: lines (paragraphs, bullets) are split first.

Cues: Python's `re` tries every alternative at every position, so a hundred cue
alternations per sentence would cost more than the whole ingest budget. Cue phrases
are data instead (PhraseTable), indexed by a selective word and matched in one pass
over the tokens.
"""

from __future__ import annotations

import re
from itertools import compress
from typing import cast

# End punctuation, optional closing quotes/brackets, whitespace, then anything but a
# lowercase letter: "vs. placebo" and "e.g. ketamine" are never candidates at all.
# Most lines end their sentences with a plain ". ", which str.find locates far faster
# than `re` scans; the pattern is for lines with "?", "!" or a closer after the dot.
_BOUNDARY = re.compile(r"[.!?]+[\"')\]’”]*\s+(?=[^\sa-z])")
_RARE_ENDS = ("?", "!", ".)", '."', ".]", ".'", ".”", ".’", ".\t", ".\u00a0")
_LINE = re.compile(r"\s*\n\s*")
_BULLET = re.compile(r"^(?:[*\-•+]\s+)+")
_ROMAN = frozenset("I II III IV V VI VII VIII IX X XI XII".split())
# Tokens (lowercased, final dot removed) after which a dot does not end a sentence.
_ABBREVIATIONS = frozenset("""
    al approx ca cf co dr eq fig figs inc jr ltd mr mrs ms no nos prof ref refs sr st
    vol vs pp eds ed resp
""".split())


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, stripped, empty pieces dropped."""
    out: list[str] = []
    for line in _LINE.split(text) if "\n" in text else (text.strip(),):
        if line[:1] in ("*", "-", "•", "+"):
            line = _BULLET.sub("", line)
        if line:
            out.extend(_split_line(line))
    return out


def _split_line(line: str) -> list[str]:
    for rare in _RARE_ENDS:
        if rare in line:
            ends = [(m.start(), m.end()) for m in _BOUNDARY.finditer(line)]
            break
    else:
        ends = _dot_ends(line)
    pieces: list[str] = []
    start = 0
    for dot, after in ends:
        if not _is_abbreviation(line, start, dot):
            pieces.append(line[start:after].strip())
            start = after
    tail = line[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def _dot_ends(line: str) -> list[tuple[int, int]]:
    """(dot, next sentence start) for each ". " followed by anything but a lowercase letter."""
    ends: list[tuple[int, int]] = []
    at = line.find(". ")
    while at >= 0:
        nxt = at + 2
        while line[nxt:nxt + 1] == " ":
            nxt += 1
        if nxt < len(line) and not ("a" <= line[nxt] <= "z"):
            while at and line[at - 1] == ".":
                at -= 1                           # "trials.... Next": the run starts here
            ends.append((at, nxt))
        at = line.find(". ", nxt)
    return ends


def _is_abbreviation(line: str, sentence_start: int, dot: int) -> bool:
    """True when the dot at `dot` belongs to the token before it, not to the sentence."""
    token_start = max(line.rfind(" ", sentence_start, dot) + 1, sentence_start)
    token = line[token_start:dot].lstrip("([\"'")
    if not token:
        return True                       # " . ": flattened MathML ("V . O 2"), not prose
    if token.lower() in _ABBREVIATIONS and not (token.isupper() and len(token) > 1):
        return True                       # but "ED." / "ST." in capitals are acronyms
    if "." in token[:-1] and all(p.isalpha() and len(p) <= 3 for p in token.split(".")):
        return True                       # dotted forms: i.v, U.S, b.i.d, s.c
    if len(token) == 1 and token.islower():
        return True                       # "p.", "n.", "x."
    return _is_list_marker(line, sentence_start, token_start, token)


def _is_list_marker(line: str, sentence_start: int, token_start: int, token: str) -> bool:
    """"1." / "II." opening a sentence or following a colon: numbering, not an end."""
    if not (token.isdigit() and len(token) <= 2 or token in _ROMAN):
        return False
    before = line[sentence_start:token_start].rstrip()
    return not before or before[-1] in ":;"


# Clause punctuation and comparison signs become tokens of their own; apostrophes go
# ("cohen's" -> "cohens"); hyphens stay ("non-inferior", "well-tolerated"). A chain of
# str.replace is several times faster than str.translate with a multi-character table.
_TOKEN_REPLACEMENTS = (*((c, " ") for c in ".!?()[]{}\"/\\*#|"),
                       *((c, f" {c} ") for c in ",;<>=≤≥%"), (":", " ; "),
                       *((c, "") for c in "'’‘"))


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens, with ',' ';' and comparison signs as tokens."""
    text = text.lower()
    for old, new in _TOKEN_REPLACEMENTS:
        if old in text:
            text = text.replace(old, new)
    return text.split()


# a gap of up to N tokens (-1: exactly one), or (exact words, stems)
Item = int | tuple[frozenset[str], tuple[str, ...]]
# tag, latest start (-1: anywhere), the item before the indexed one (or None), the rest
Phrase = tuple[str, int, Item | None, tuple[Item, ...]]
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
            self._anywhere.add(items[k], (tag, -1, items[0] if k else None, items[k + 1:]))
            return
        latest = int(parts[1][1:]) if parts[1].startswith("~") else 0
        items = tuple(map(_item, parts[2 if latest else 1:]))
        self._opening.add(items[0], (tag, latest, None, items[1:]))
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
                if before is not None and not _back(before, tokens, i):
                    continue
                if not rest or _match(rest, tokens, i + 1, n) >= 0:
                    hits.append((tag, i - (before is not None)))
        opening = self._opening.cache
        for i in range(min(n, self._reach)):
            found = opening.get(tokens[i])
            for phrase in self._opening.entry(tokens[i]) if found is None else found:
                _try(phrase, tokens, i, n, hits)
        return hits


def _back(item: Item, tokens: list[str], i: int) -> bool:
    """The token before position i matches `item` (an exact-word item)."""
    return i > 0 and tokens[i - 1] in item[0]  # type: ignore[index]


def _try(phrase: Phrase, tokens: list[str], i: int, n: int,
         hits: list[tuple[str, int]]) -> None:
    """Record the phrase keyed at token i when its items around i match."""
    tag, latest, before, rest = phrase
    if 0 <= latest < i or before is not None and not _back(before, tokens, i):
        return
    if not rest or _match(rest, tokens, i + 1, n) >= 0:
        hits.append((tag, i - (before is not None)))


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


_NO_WORDS: frozenset[str] = frozenset()


def _match(items: tuple[Item, ...], tokens: list[str], i: int, n: int) -> int:
    """End index when items match tokens[i:], else -1 (gaps are lazy)."""
    for k, item in enumerate(items):
        if item == -1:
            if i >= n or tokens[i] == ";":
                return -1
            i += 1
            continue
        if isinstance(item, int):
            rest = items[k + 1:]
            words, stems = (rest[0] if rest and not isinstance(rest[0], int)
                            else (_NO_WORDS, ("",)))
            if not stems and words.isdisjoint(tokens[i:i + item + 1]):
                return -1                 # the word after the gap is nowhere in reach
            for j in range(i, min(i + item, n) + 1):
                if j > i and tokens[j - 1] == ";":
                    break
                end = _match(rest, tokens, j, n)
                if end >= 0:
                    return end
            return -1
        if i >= n or not (tokens[i] in item[0] or tokens[i].startswith(item[1])):
            return -1
        i += 1
    return i
