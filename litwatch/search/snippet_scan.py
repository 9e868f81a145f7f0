"""Finding a query's matches in a text without stemming the whole text.

snippets.exact_scan stems every word of a text (one Rust call) and lists every
word's offsets; for a page of 20 long abstracts that cost more than the ranked
search itself.  This scan gives the same matches from a few passes in C:

- the text is copied to bytes, one per character: an ASCII letter or digit as
  itself, any other letter or digit as OTHER, everything else a space, so that
  bytes.split counts the words between two offsets;
- bytes.find finds the words that could match: a Snowball English stem, less its
  last letter, begins its word (the stemmer only rewrites a word's ending: "studies"
  -> "studi", "hoping" -> "hope"; three exceptions, _IRREGULAR), so an ASCII word
  that begins otherwise cannot have a query term's stem.  A word with a non-ASCII
  letter (which the analyser folds: "analgésie" -> "analgesi") is always a candidate.
  Only candidates are stemmed, each on its own, by the analyser.

A text with a character that Python and the analyser's tokenizer may not agree is
part of a word (combining marks, circled letters) returns None: the exact scan
handles it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litwatch.search.snippets import Hit, Pattern, Scan

OTHER = 1                    # the byte standing for a non-ASCII letter or digit
# Each byte: itself if an ASCII letter or digit, else a space (_KEEP_OTHER: OTHER too,
# for a text whose non-ASCII characters have been made OTHER or a space).
_SPACES = bytes(c if c < 128 and chr(c).isalnum() else 32 for c in range(256))
_KEEP_OTHER = bytes(OTHER if c == OTHER else b for c, b in enumerate(_SPACES))
_WORD = re.compile(rb"[^ ]+")             # the spaced text has only words and spaces


@lru_cache(maxsize=64)
def _run(words: int) -> re.Pattern[bytes]:
    """A word and `words` more."""
    return re.compile(rb"[^ ]+(?: +[^ ]+){%d}" % words)


def _ambiguous(char: str) -> bool:
    """Python's isalnum and the tokenizer's (Rust's is_alphanumeric) may differ: marks
    and symbols of Unicode's Other_Alphabetic (circled and squared letters)."""
    kind = unicodedata.category(char)
    return kind[0] == "M" or (kind == "So" and "LETTER" in unicodedata.name(char, ""))


def spaced(text: str) -> bytes | None:
    """The text as bytes, one per character: ASCII letters and digits as themselves,
    other letters and digits OTHER, the rest spaces; None when a character may be read
    as a word character by one side and not the other."""
    if text.isascii():
        return text.encode("ascii").translate(_SPACES)
    odd = {c for c in set(text) if not c.isascii()}
    if any(_ambiguous(c) for c in odd):
        return None
    # str.replace per distinct character: str.translate looks up every character.
    text = text.replace(chr(OTHER), " ")
    for char in odd:
        text = text.replace(char, chr(OTHER) if char.isalnum() else " ")
    return text.encode("ascii").translate(_KEEP_OTHER)


# Snowball English's exceptional forms whose stem does not begin its word less one
# letter ("dying" -> "die"); every other stem, less its last letter, does (it rewrites
# only a word's ending: "studies" -> "studi", "happy" -> "happi", "hoping" -> "hope").
_IRREGULAR = ("die", "lie", "tie")


def _lead(stem: str) -> str:
    """What every word with this stem (or a stem starting with it) begins with."""
    if len(stem) > 1 and any(w.startswith(stem) for w in _IRREGULAR):
        return stem[:1]
    return stem[:max(1, len(stem) - 1)]


@dataclass(frozen=True)
class ScanPlan:
    """What a scan needs of a query's patterns, made once per query."""
    leads: tuple[bytes, ...]            # " " + a candidate word's lowercase beginning
    # Only the patterns whose first stem is the word's (and the prefixes alone) can
    # match at a word, tried in pattern order: the first that matches wins.
    by_head: dict[str, list[tuple[int, Pattern]]]
    loose: list[tuple[int, Pattern]]    # prefixes alone: tried at every other candidate
    # Stems whose first pattern to try is that one word: its number (no more to try).
    single: dict[str, int]
    # The loose patterns when each is one prefix word ((number, prefixes) in order),
    # else None: then a word they are tried at needs no look at the words after it.
    loose_words: list[tuple[int, tuple[str, ...]]] | None


@lru_cache(maxsize=256)
def scan_plan(pats: tuple[Pattern, ...]) -> ScanPlan:
    """The plan of a query's patterns (cached: a page marks many texts for one query)."""
    heads = {_lead(p.stems[0]) for p in pats if p.stems}
    heads |= {_lead(x) for p in pats if not p.stems for x in p.prefixes}
    ordered = sorted(h.encode("ascii", "replace") for h in heads)
    # A lead starting with another is found by the other's finds.
    leads = tuple(b" " + h for n, h in enumerate(ordered)
                  if not any(h.startswith(shorter) for shorter in ordered[:n]))
    by_head = {head: [(n, p) for n, p in enumerate(pats) if not p.stems or p.stems[0] == head]
               for head in {p.stems[0] for p in pats if p.stems}}
    single = {head: tried[0][0] for head, tried in by_head.items()
              if tried[0][1].stems == (head,) and not tried[0][1].prefixes}
    loose = [(n, p) for n, p in enumerate(pats) if not p.stems]
    loose_words = ([(n, p.prefixes) for n, p in loose]
                   if all(p.length() == 1 for _, p in loose) else None)
    return ScanPlan(leads, by_head, loose, single, loose_words)


def _candidates(lower: bytes, leads: tuple[bytes, ...]) -> list[int]:
    """Offsets of the words that begin with one of `leads`, ascending; `lower` is the
    spaced text, lowercased, after one space (so that each find is a word's start)."""
    found: list[int] = []
    for lead in leads:
        at = lower.find(lead)
        while at >= 0:
            found.append(at)
            at = lower.find(lead, at + len(lead))
    at = lower.find(OTHER)
    while at >= 0:                    # a word with a letter the analyser may fold
        start = lower.rfind(b" ", 0, at)
        found.append(start)
        at = lower.find(b" ", at)
        at = -1 if at < 0 else lower.find(OTHER, at)
    if len(leads) > 1 or OTHER in lower:
        found = sorted(set(found))
    return found


@dataclass
class _Words:
    """Finds words of the spaced text by index, starting from known (index, offset)s."""
    text: bytes
    known: list[tuple[int, int]]          # (word index, start offset), ascending

    def start_of(self, index: int) -> int:
        """Offset of word `index`: back from the first known word at or after it."""
        k = bisect_left(self.known, (index, -1))
        if k == len(self.known):
            return next(islice(_WORD.finditer(self.text), index, None)).start()
        i, at = self.known[k]
        if i == index:
            return at
        parts = self.text[:at].rsplit(None, i - index)
        # parts[0] ends where word index-1 ends, unless the text began with word `index`.
        found = _WORD.search(self.text, len(parts[0]) if len(parts) > i - index else 0)
        assert found is not None
        return found.start()

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets of the start of word `first` and the end of word `last`."""
        start = self.start_of(first)
        run = _run(last - first).match(self.text, start)
        assert run is not None
        return start, run.end()


def quick_scan(text: str, pats: Sequence[Pattern], stem: Callable[[str], str]) -> Scan | None:
    """The matches of `pats` in `text`, as the exact scan finds them; None for a text
    the exact scan must read (spaced).  `stem` stems one word (cached)."""
    from litwatch.search.snippets import Scan
    flat = spaced(text)
    if flat is None:
        return None
    plan = scan_plan(tuple(pats))
    hits: list[Hit] = []
    known: list[tuple[int, int]] = []
    index, at = 0, 0                   # word index of the word starting at offset `at`
    for start in _candidates(b" " + flat.lower(), plan.leads):
        index += len(flat[at:start].split())
        at = start
        known.append((index, at))
        if hits and index < hits[-1][0] + hits[-1][1]:
            continue                          # inside the phrase matched just before
        end = flat.find(b" ", start)
        end = len(flat) if end < 0 else end
        word_stem = stem(text[start:end])
        number = plan.single.get(word_stem)
        if number is None and plan.loose_words is not None and word_stem not in plan.by_head:
            number = next((n for n, starts in plan.loose_words
                           if word_stem.startswith(starts)), -1)
        if number is not None:
            if number >= 0:
                hits.append((index, 1, start, end, number))
            continue
        hit = _match_at(text, flat, (start, end), index, plan.by_head.get(word_stem, plan.loose),
                        stem)
        if hit is not None:
            hits.append(hit)
    return Scan(hits, len(flat.split()), _Words(flat, known).span)


def _match_at(text: str, flat: bytes, word: tuple[int, int], index: int,
              tried: list[tuple[int, Pattern]], stem: Callable[[str], str]) -> Hit | None:
    """The first of `tried` (pattern number, pattern) matching at the word at `word`
    (its start and end offsets)."""
    longest = max((p.length() for _, p in tried), default=1)
    following = [m.span() for m in islice(_WORD.finditer(flat, word[1]), longest - 1)]
    spans = [word, *following]
    stems = [stem(text[a:b]) for a, b in spans]
    for number, pat in tried:
        if pat.matches(stems, 0):
            n = pat.length()
            return (index, n, word[0], spans[n - 1][1], number)
    return None
