"""The ASCII snippet scan finds exactly what the whole-text scan finds.

litwatch.search.snippet_scan stems only the words that could match, relying on a
property of the Snowball English stemmer (a stem less its last letter begins its
word, but for three listed forms).  These tests check that property on every word
of the bundled corpus and ../shared/realdata, and the two scans' matches, word
counts and snippet windows on every record text there, for queries of each kind.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from evaluation.evaluate import CORPUS, REALDATA, raw_records
from litwatch.search import snippets
from litwatch.search.query import parse_query
from litwatch.search.snippet_scan import _lead, quick_scan, spaced

QUERIES = ["ketamine", "depression", "esketamine nasal spray", '"suicidal ideation"',
           "ketamine depression", "midazolam OR placebo", "analges*", "PTSD -rodent",
           "random*", "stud*", '"treatment resistant" depress*', "dying patients", "hoping",
           "24 hours", "mg kg", "a", "the study", "patients studies", "relational"]


@lru_cache(maxsize=1)
def texts() -> list[str]:
    records = raw_records([d for d in (REALDATA, CORPUS) if d.exists()]).values()
    found = []
    for record in records:
        found += [t for t in (record.title, getattr(record, "abstract", None),
                              getattr(record, "brief_summary", None)) if t]
    return found


def test_every_corpus_word_begins_with_its_stems_lead():
    words = {w for t in texts() for w in re.findall(r"[A-Za-z0-9]+", t)}
    words |= {"dying", "lying", "tying", "skies", "early", "only", "ugly", "hoping"}
    assert len(words) > 5_000
    wrong = [w for w in words if not w.lower().startswith(_lead(snippets._word_stem(w)))]
    assert wrong == []


def test_texts_with_combining_marks_fall_back_to_the_exact_scan():
    assert all(spaced(t) is not None for t in ("≥50% response – day 1", "Sjögren", "TNF-α"))
    text = "Sjo\u0308gren syndrome"                 # o + a combining diaeresis
    pats = snippets.patterns(parse_query("syndrome"))
    assert spaced(text) is None and quick_scan(text, pats, snippets._word_stem) is None
    assert snippets.highlight(text, pats) == "Sjo\u0308gren \x02syndrome\x03"


@pytest.mark.parametrize("query", QUERIES)
def test_the_quick_scan_equals_the_exact_scan(query):
    pats = snippets.patterns(parse_query(query))
    compared = accented = 0
    for text in texts():
        fast = quick_scan(text, pats, snippets._word_stem)
        if fast is None:
            continue
        exact = snippets.exact_scan(text, pats)
        assert (fast.hits, fast.count) == (exact.hits, exact.count), text[:80]
        hit_words = [h[0] for h in exact.hits] or [0]
        for first in {0, hit_words[0], max(0, hit_words[-1] - 7), max(0, exact.count - 24)}:
            last = min(first + 24, exact.count) - 1
            if last >= first:
                assert fast.span(first, last) == exact.span(first, last), (text[:80], first)
        compared += 1
        accented += not text.isascii()
    assert compared > 100 and accented > 10
