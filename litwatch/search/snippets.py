"""Marked titles and abstract snippets for a page of hits, made in Python.

FTS5's snippet() and highlight() re-run the MATCH for the page and cost 2-45 ms at
100,000 records (a prefix query the most), more than the whole ranked search, and
ts_headline re-parses every document; so the page's marks are made here, from
the text the page loads anyway, with the index's own analyser: a word is marked
when its stem is a query term's (or starts like a prefix term's), a phrase when
its words follow each other.  The snippet is FTS5's: the window of at most 24
words holding the most distinct query terms (then the most matches), the matches
centred in it, "…" where the text was cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from litwatch.search.index_query import prefixes_of, tokens
from litwatch.search.query import ParsedQuery, Term
from litwatch.search.ranked import MARK_CLOSE, MARK_OPEN

SNIPPET_WORDS = 24
ELLIPSIS = "…"
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    found = tokens(word)
    return found[0] if len(found) == 1 else word.lower()


@dataclass(frozen=True)
class _Pattern:
    stems: tuple[str, ...]
    prefixes: tuple[str, ...]          # for a prefix term: what its last word may start with

    def length(self) -> int:
        return len(self.stems) + (1 if self.prefixes else 0)

    def matches(self, stems: Sequence[str], at: int) -> bool:
        if at + self.length() > len(stems):
            return False
        if any(stems[at + k] != s for k, s in enumerate(self.stems)):
            return False
        if self.prefixes:
            last = stems[at + len(self.stems)]
            return any(last.startswith(p) for p in self.prefixes)
        return True


def _pattern(term: Term) -> _Pattern | None:
    words = [_stem(w) for w in term.words]
    if term.prefix:
        found = prefixes_of(term.words[-1])
        return _Pattern(tuple(words[:-1]), tuple(found)) if found else None
    return _Pattern(tuple(words), ()) if words else None


def patterns(parsed: ParsedQuery) -> list[_Pattern]:
    """The terms to mark: every term the query requires or offers (not the excluded)."""
    found = (_pattern(t) for clause in parsed.clauses for t in clause)
    return list(dict.fromkeys(p for p in found if p is not None))


def _hits(words: list[re.Match[str]], pats: list[_Pattern]) -> list[tuple[int, int, int]]:
    """(first word, word count, pattern number) of every match, left to right."""
    stems = [_stem(w.group()) for w in words]
    # Only words that can begin a match are tried against the patterns.
    heads = {p.stems[0] for p in pats if p.stems}
    starts = tuple(x for p in pats if not p.stems for x in p.prefixes)
    out = []
    for at, stem in enumerate(stems):
        if stem not in heads and not (starts and stem.startswith(starts)):
            continue
        for number, pat in enumerate(pats):
            if pat.matches(stems, at):
                out.append((at, pat.length(), number))
                break
    return out


def _marked(text: str, words: list[re.Match[str]], hits: list[tuple[int, int, int]],
            first: int = 0, last: int | None = None) -> str:
    """text[words[first].start : words[last].end] with every hit wrapped in marks."""
    last = len(words) - 1 if last is None else last
    start, end = words[first].start(), words[last].end()
    out, cursor = [], start
    for at, length, _ in hits:
        if at < first or at + length - 1 > last:
            continue
        a, b = words[at].start(), words[at + length - 1].end()
        out += [text[cursor:a], MARK_OPEN, text[a:b], MARK_CLOSE]
        cursor = b
    out.append(text[cursor:end])
    return "".join(out)


def highlight(text: str, pats: list[_Pattern]) -> str:
    """The whole text with every match marked."""
    words = list(_WORD.finditer(text))
    if not words or not pats:
        return text
    hits = _hits(words, pats)
    marked = _marked(text, words, hits)
    return text[:words[0].start()] + marked + text[words[-1].end():]


def snippet(text: str, pats: list[_Pattern], size: int = SNIPPET_WORDS) -> str:
    words = list(_WORD.finditer(text))
    if not words:
        return ""
    hits = _hits(words, pats)
    first = _best_window(hits, len(words), size)
    last = min(first + size, len(words)) - 1
    return ((ELLIPSIS if first > 0 else "") + _marked(text, words, hits, first, last)
            + (ELLIPSIS if last < len(words) - 1 else ""))


def _best_window(hits: list[tuple[int, int, int]], count: int, size: int) -> int:
    """Where the window starts: the hits' best cluster, centred; the text's start if none.
    Windows begin at a hit; the one with the most distinct terms, then the most hits,
    and the first of equals, wins (a sliding window over the hits, in one pass)."""
    best, best_score = (0, 0), (0, 0)
    inside: dict[int, int] = {}            # pattern number -> hits in the window
    end = 0                                 # hits[i:end] are in the window of hits[i]
    for i, (at, _, _) in enumerate(hits):
        while end < len(hits) and hits[end][0] + hits[end][1] <= at + size:
            inside[hits[end][2]] = inside.get(hits[end][2], 0) + 1
            end += 1
        if end > i:
            score = (len(inside), end - i)
            if score > best_score:
                best_score, best = score, (at, hits[end - 1][0] + hits[end - 1][1])
        number = hits[i][2]
        if end > i:
            inside[number] -= 1
            if not inside[number]:
                del inside[number]
    if best_score == (0, 0):
        return 0
    first, last = best
    start = first - (size - (last - first)) // 2
    return max(0, min(start, count - size))


def mark_page(parsed: ParsedQuery, rows: Sequence[tuple[str, str]]
              ) -> list[tuple[str, str]]:
    """(title marked, snippet) for each (title, abstract)."""
    pats = patterns(parsed)
    return [(highlight(title, pats), snippet(abstract, pats)) for title, abstract in rows]
