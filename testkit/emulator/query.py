"""PubMed search terms: tokenizer, parser and matcher, good enough for our queries.

Supported: AND / OR / NOT (any case), parentheses, quoted phrases, adjacent words
(implicit AND), field tags, trailing wildcards, history references (#1) and date
ranges ("2026/11/01"[EDAT] : "3000"[EDAT], 2026/11/01:2026/11/20[mdat]).
Like PubMed, Boolean operators are applied left to right with no precedence:
`a OR b AND c` is `(a OR b) AND c`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from testkit.emulator.dates import OPEN_END, day_of
from testkit.emulator.pubmed_index import PaperVersion


class QueryError(ValueError):
    """The term cannot be parsed (NCBI answers with an <ERROR> element)."""


_TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|"(?P<quoted>[^"]*)"?|\[(?P<tag>[^\]]*)\]?'
                    r'|(?P<colon>:)|#(?P<ref>\d+)(?![^\s()\[\]":])|(?P<word>[^\s()\[\]":]+))')
_OPERATORS = {"AND", "OR", "NOT"}
_TEXT_TAGS = {"tiab": "Title/Abstract", "ti": "Title", "tw": "Text Word", "all": "All Fields"}
_LIST_TAGS = {"mh": "MeSH Terms", "majr": "MeSH Major Topic", "pt": "Publication Type",
              "ta": "Journal", "la": "Language"}
_DATE_TAGS = {"dp": "Date - Publication", "pdat": "Date - Publication", "edat": "Date - Entry",
              "crdt": "Date - Create", "mdat": "Date - Modification"}
_ALIASES = {"title/abstract": "tiab", "title": "ti", "text word": "tw", "all fields": "all",
            "mesh terms": "mh", "mesh": "mh", "mesh major topic": "majr",
            "publication type": "pt", "journal": "ta", "language": "la"}


def phrase_pattern(text: str) -> re.Pattern[str] | None:
    """Words on word boundaries, any punctuation between them, `*` = trailing wildcard."""
    words = [w for w in re.split(r"[^\w*]+|_", text.lower()) if w.strip("*")]
    if not words:
        return None
    parts = [re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "") for w in words]
    return re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)")


def literal_hint(text: str) -> str:
    """The longest plain word of a phrase: a fast `in` test before the regex."""
    words = [w.rstrip("*") for w in re.split(r"[^\w*]+|_", text.lower())]
    return max(words, key=len, default="")


class Node:
    cost = 2          # AND evaluates cheap children (dates) first

    def match(self, pmid: str, edat: int, v: PaperVersion) -> bool:
        raise NotImplementedError

    def render(self) -> str:
        raise NotImplementedError


@dataclass
class Text(Node):
    text: str
    tag: str          # tiab, ti, tw, all

    def __post_init__(self) -> None:
        self.pattern = phrase_pattern(self.text)
        self.hint = literal_hint(self.text)

    def match(self, pmid: str, edat: int, v: PaperVersion) -> bool:
        if self.pattern is None:
            return False
        fields = (v.ti,) if self.tag == "ti" else (v.ti, v.ab) if self.tag == "tiab" \
            else (v.ti, v.ab, v.other)
        return any(self.hint in f and self.pattern.search(f) for f in fields)

    def render(self) -> str:
        return f'"{self.text}"[{_TEXT_TAGS[self.tag]}]'


@dataclass
class Heading(Node):
    text: str
    tag: str          # mh, majr, pt, ta, la: exact heading or a prefix phrase of it
    cost = 1

    def match(self, pmid: str, edat: int, v: PaperVersion) -> bool:
        want = " ".join(self.text.lower().split())
        if want.endswith("*"):
            return any(h.startswith(want[:-1]) for h in getattr(v, self.tag))
        return any(h == want or (h.startswith(want) and not h[len(want)].isalnum())
                   for h in getattr(v, self.tag))

    def render(self) -> str:
        return f'"{self.text}"[{_LIST_TAGS[self.tag]}]'


@dataclass
class DateRange(Node):
    tag: str          # dp/pdat, edat/crdt, mdat
    low: int
    high: int
    cost = 0

    def match(self, pmid: str, edat: int, v: PaperVersion) -> bool:
        day = edat if self.tag in ("edat", "crdt") else v.mdat if self.tag == "mdat" else v.pdat
        return self.low <= day <= self.high

    def render(self) -> str:
        high = "3000" if self.high == OPEN_END else _slashed(self.high)
        return f"{_slashed(self.low)}:{high}[{_DATE_TAGS[self.tag]}]"


@dataclass
class IdSet(Node):
    key: str
    ids: frozenset[str]
    cost = 0

    def match(self, pmid: str, edat: int, v: PaperVersion) -> bool:
        return pmid in self.ids

    def render(self) -> str:
        return f"#{self.key}"


@dataclass
class Every(Node):
    cost = 0

    def match(self, pmid: str, edat: int, v: PaperVersion) -> bool:
        return True

    def render(self) -> str:
        return "all[sb]"


@dataclass
class Bool(Node):
    op: str
    left: Node
    right: Node

    def __post_init__(self) -> None:
        self.cost = max(self.left.cost, self.right.cost)
        if self.op == "AND" and self.right.cost < self.left.cost:
            self.first, self.second = self.right, self.left   # cheap side first
        else:
            self.first, self.second = self.left, self.right

    def match(self, pmid: str, edat: int, v: PaperVersion) -> bool:
        if self.op == "AND":
            return self.first.match(pmid, edat, v) and self.second.match(pmid, edat, v)
        if self.op == "OR":
            return self.left.match(pmid, edat, v) or self.right.match(pmid, edat, v)
        return self.left.match(pmid, edat, v) and not self.right.match(pmid, edat, v)

    def render(self) -> str:
        return f"({self.left.render()} {self.op} {self.right.render()})"


def _slashed(day: int) -> str:
    return f"{day // 10000:04d}/{day // 100 % 100:02d}/{day % 100:02d}"


History = Callable[[str], "frozenset[str] | None"]


def parse_term(term: str, history: History | None = None) -> Node:
    """Parse a PubMed term; `history` resolves #N references (None: unknown key)."""
    tokens = _tokenize(term)
    parser = _Parser(tokens, history or (lambda key: None))
    node = parser.expression()
    if parser.pos < len(tokens):
        raise QueryError("Unmatched parenthesis in query: unexpected ')'")
    return node


def _tokenize(term: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    while pos < len(term):
        m = _TOKEN.match(term, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        kind = m.lastgroup
        if kind is None:
            continue
        value = m.group(kind)
        if kind == "word" and value.upper() in _OPERATORS:
            kind, value = "op", value.upper()
        tokens.append((kind, value))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], history: History):
        self.tokens, self.pos, self.history = tokens, 0, history

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def expression(self) -> Node:
        if self.peek() == ("op", "NOT"):
            self.pos += 1
            node: Node = Bool("NOT", Every(), self.unit())
        else:
            node = self.unit()
        while self.peek()[0] not in ("end",) and self.peek() != ("paren", ")"):
            op = "AND"
            if self.peek()[0] == "op":
                op = self.peek()[1]
                self.pos += 1
            node = Bool(op, node, self.unit())
        return node

    def unit(self) -> Node:
        kind, value = self.peek()
        if kind == "paren" and value == "(":
            self.pos += 1
            node = self.expression()
            if self.peek() != ("paren", ")"):
                raise QueryError("Unmatched parenthesis in query: missing ')'")
            self.pos += 1
            return node
        if kind == "ref":
            self.pos += 1
            ids = self.history(value)
            if ids is None:
                raise QueryError(f"Unable to obtain query #{value}")
            return IdSet(value, ids)
        if kind in ("word", "quoted"):
            return self.leaf()
        raise QueryError(f"Syntax error in query near '{value or 'end of query'}'")

    def words(self) -> tuple[str, str | None, bool]:
        """A quoted phrase or a run of adjacent words, its field tag, and whether quoted."""
        kind, value = self.peek()
        self.pos += 1
        if kind == "word":
            while self.peek()[0] == "word":
                value += " " + self.peek()[1]
                self.pos += 1
        tag = None
        if self.peek()[0] == "tag":
            tag = self.peek()[1].split(":")[0].strip().lower()   # [mh:noexp] -> mh
            tag = _ALIASES.get(tag, tag)
            self.pos += 1
        return value, tag, kind == "quoted"

    def leaf(self) -> Node:
        text, tag, quoted = self.words()
        if self.peek()[0] == "colon":       # a range: A[tag] : B[tag]  or  A:B[tag]
            self.pos += 1
            if self.peek()[0] not in ("word", "quoted"):
                raise QueryError("Syntax error in query: incomplete range")
            upper, tag2, quoted2 = self.words()
            if (tag2 or tag) in _DATE_TAGS:
                return _date_leaf(tag2 or tag or "", text, upper)
            # "ketamine: a review": a colon in plain text is just punctuation.
            return Bool("AND", _leaf(tag or "all", text, quoted),
                        _leaf(tag2 or "all", upper, quoted2))
        return _leaf(tag or "all", text, quoted)


def _leaf(tag: str, text: str, quoted: bool) -> Node:
    if tag in _DATE_TAGS:
        return _date_leaf(tag, text, text)
    if tag in _LIST_TAGS:
        return Heading(text, tag)           # MeSH headings are phrases, quoted or not
    tag = tag if tag in _TEXT_TAGS else "all"
    words = text.split()
    if quoted or len(words) < 2:
        return Text(text, tag)
    node: Node = Text(words[0], tag)        # unquoted adjacent words: each must occur
    for word in words[1:]:
        node = Bool("AND", node, Text(word, tag))
    return node


def _date_leaf(tag: str, low_text: str, high_text: str) -> Node:
    if tag not in _DATE_TAGS:
        raise QueryError(f"Unsupported range field [{tag}]")
    low, high = day_of(low_text), day_of(high_text, high=True)
    if low is None or high is None:
        raise QueryError(f"Invalid date in query: {low_text}:{high_text}")
    return DateRange(tag, low, high)
