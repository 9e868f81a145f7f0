"""Split text into sentences and tokens, and find cue phrases among the tokens.

Sentences: every "punctuation + space + non-lowercase" is a candidate boundary; a cheap
look at the token before it vetoes the abbreviations biomedical text is full of ("e.g.",
"i.v.", "vs.", "et al.", "Fig. 2", "Dr.") and list markers ("1.", "II."). Decimals
("0.5 mg/kg", "P < .001") are never candidates because no space follows their dot.
Registry text is Markdown: lines (paragraphs, bullets) are split first.

Cues: phrases as data, matched over the tokens in one pass (phrase_table.PhraseTable,
re-exported here).
"""

from __future__ import annotations

import re

from .phrase_table import PhraseTable

__all__ = ["PhraseTable", "split_sentences", "tokenize"]

# End punctuation, optional closing quotes/brackets, whitespace, then anything but a
# lowercase letter: "vs. placebo" and "e.g. ketamine" are never candidates at all.
# Most lines end their sentences with a plain ". ", which str.find locates far faster
# than `re` scans; the pattern is for lines with "?", "!" or a closer after the dot.
_BOUNDARY = re.compile(r"[.!?]+[\"')\]’”]*\s+(?=[^\sa-z])")
_RARE_ENDS = ("?", "!", ".)", '."', ".]", ".'", ".”", ".’", ".\t", ".\u00a0")
# Any of them, in one scan: alternatives all opening with a literal let `re` skip
# to "?", "!" and "." in C (ten `in` tests scan the line ten times).
_RARE_END = re.compile("|".join(re.escape(e) for e in _RARE_ENDS))
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
    if _RARE_END.search(line):
        ends = [(m.start(), m.end()) for m in _BOUNDARY.finditer(line)]
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
