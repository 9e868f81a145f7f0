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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from litwatch.search.index_query import prefixes_of, tokens
from litwatch.search.query import ParsedQuery, Term
from litwatch.search.ranked import MARK_CLOSE, MARK_OPEN, Ranked
from litwatch.search.snippet_scan import quick_scan, scan_plan

SNIPPET_WORDS = 24
ELLIPSIS = "…"
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    found = tokens(word)
    return found[0] if len(found) == 1 else word.lower()


@dataclass(frozen=True)
class Pattern:
    stems: tuple[str, ...]
    prefixes: tuple[str, ...]          # for a prefix term: what its last word may start with

    def length(self) -> int:
        return len(self.stems) + (1 if self.prefixes else 0)

    def matches(self, stems: Sequence[str], at: int) -> bool:
        """Do the words whose stems are stems[at:] begin with this pattern?"""
        if at + self.length() > len(stems):
            return False
        if any(stems[at + k] != s for k, s in enumerate(self.stems)):
            return False
        return not self.prefixes or stems[at + len(self.stems)].startswith(self.prefixes)


def _pattern(term: Term) -> Pattern | None:
    words = [_stem(w) for w in term.words]
    if term.prefix:
        found = prefixes_of(term.words[-1])
        return Pattern(tuple(words[:-1]), tuple(found)) if found else None
    return Pattern(tuple(words), ()) if words else None


def patterns(parsed: ParsedQuery) -> list[Pattern]:
    """The terms to mark: every term the query requires or offers (not the excluded)."""
    found = (_pattern(t) for clause in parsed.clauses for t in clause)
    return list(dict.fromkeys(p for p in found if p is not None))


# A hit: (first word's index, words, first char, end char, pattern number).
Hit = tuple[int, int, int, int, int]


@lru_cache(maxsize=1)
def _text_analyzer():  # type: ignore[no-untyped-def]
    """The index's analyser without its long-word filter, so that a text's stems line
    up one to one with its words (_WORD): one call in Rust stems a whole abstract."""
    import tantivy
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("english")).build())


@lru_cache(maxsize=65_536)
def _word_stem(word: str) -> str:
    """One word's stem by the text analyser (as a whole-text scan stems it)."""
    found = _text_analyzer().analyze(word)
    return found[0] if len(found) == 1 else word.lower()


@dataclass
class Scan:
    """A text's matches left to right, its word count, and where words first..last
    lie (character offsets of the first's start and the last's end)."""
    hits: list[Hit]
    count: int
    span: Callable[[int, int], tuple[int, int]]


def _scan(text: str, pats: list[Pattern]) -> Scan:
    return quick_scan(text, pats, _word_stem) or exact_scan(text, pats)


def _spans_of(text: str, words: list[re.Match[str]] | None
              ) -> Callable[[int, int], tuple[int, int]]:
    def span(first: int, last: int) -> tuple[int, int]:
        window = (words[first:last + 1] if words is not None
                  else list(islice(_WORD.finditer(text), first, last + 1)))
        return window[0].start(), window[-1].end()
    return span


def exact_scan(text: str, pats: list[Pattern]) -> Scan:
    """Every match, stemming the whole text: right for any text (snippet_scan's
    faster scan covers all but texts with combining marks)."""
    stems = _text_analyzer().analyze(text)
    heads = {p.stems[0] for p in pats if p.stems}
    starts = tuple(x for p in pats if not p.stems for x in p.prefixes)
    if not starts and heads.isdisjoint(stems):        # the usual miss, without a loop
        return Scan([], len(stems), _spans_of(text, None))
    candidates: Sequence[int] = [i for i, stem in enumerate(stems)
                                 if stem in heads or (starts and stem.startswith(starts))]
    if not candidates:
        return Scan([], len(stems), _spans_of(text, None))
    words = list(_WORD.finditer(text))
    if len(words) != len(stems):          # never seen; word by word is always right
        stems = [_stem(w.group()) for w in words]
        candidates = range(len(stems))
    hits: list[Hit] = []
    plan = scan_plan(tuple(pats))
    for at in candidates:
        if hits and at < hits[-1][0] + hits[-1][1]:
            continue                          # inside the phrase matched just before
        for number, pat in plan.by_head.get(stems[at], plan.loose):
            if pat.matches(stems, at):
                n = pat.length()
                hits.append((at, n, words[at].start(), words[at + n - 1].end(), number))
                break
    return Scan(hits, len(words), _spans_of(text, words))


def _marked(text: str, hits: list[Hit], start: int, end: int) -> str:
    """text[start:end] with every hit inside wrapped in marks."""
    out, cursor = [], start
    for _, _, a, b, _ in hits:
        if a < start or b > end:
            continue
        out += [text[cursor:a], MARK_OPEN, text[a:b], MARK_CLOSE]
        cursor = b
    out.append(text[cursor:end])
    return "".join(out)


def highlight(text: str, pats: list[Pattern]) -> str:
    """The whole text with every match marked."""
    hits = _scan(text, pats).hits
    return _marked(text, hits, 0, len(text)) if hits else text


def snippet(text: str, pats: list[Pattern], size: int = SNIPPET_WORDS) -> str:
    scan = _scan(text, pats)
    if not scan.count:
        return ""
    first = _best_window([(h[0], h[1], h[4]) for h in scan.hits], scan.count, size)
    last = min(first + size, scan.count) - 1
    start, end = scan.span(first, last)
    return ((ELLIPSIS if first > 0 else "")
            + _marked(text, scan.hits, start, end)
            + (ELLIPSIS if last < scan.count - 1 else ""))


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


def mark_ranked(parsed: ParsedQuery, ranked: Sequence[Ranked],
                texts: Mapping[int, tuple[str, str]]) -> None:
    """Set the marked title and snippet of each ranked hit from its (title, abstract);
    hits without text (deleted meanwhile) are left unmarked."""
    found = [r for r in ranked if r.record_id in texts]
    marks = mark_page(parsed, [texts[r.record_id] for r in found])
    for r, (title, snippet_text) in zip(found, marks, strict=True):
        r.title_marked, r.snippet = title, snippet_text
