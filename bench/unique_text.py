"""Make a benchmark copy's sentences its own: no sentence is seen twice verbatim.

The classifiers cache work by text (a sentence's lower-case copy, a scan of an
abstract, a mention's role) because one record's rules read the same sentence many
times.  A copy of a template that kept the template's sentences would hit those caches
from the previous copies, which no real backfill does (a real abstract's sentences
are its own): the first benchmarks measured 25% too fast that way.  Each sentence
gets a short letters-only tag before its closing punctuation, "(copy qkab)", which
names no drug, route, number or cue.
"""

from __future__ import annotations

from litwatch.classify.sentence_split import split_sentences

_LETTERS = "bcdfghjklmnpqrstvwxz"
_CLOSERS = ".!?;:"


def copy_tag(i: int) -> str:
    """`i` in letters, never a word a taxonomy knows."""
    out = ""
    while True:
        i, r = divmod(i, len(_LETTERS))
        out += _LETTERS[r]
        if not i:
            return f"(copy q{out})"


def unique_sentences(text: str, i: int) -> str:
    """`text` with every sentence tagged for copy `i`."""
    if not text:
        return text
    tag = copy_tag(i)
    out = []
    for sentence in split_sentences(text):
        end = len(sentence.rstrip(_CLOSERS))
        out.append(f"{sentence[:end]} {tag}{sentence[end:]}")
    return " ".join(out)
