"""Turn whatever the user typed into a safe, backend-neutral search expression.

FTS5 has its own query language (column filters, NEAR, `^`, bare operators) and
raises on anything it cannot parse, so user text is never handed to it as is.
We read a small language instead: words, "quoted phrases", a trailing `*` for a
prefix, upper-case OR between alternatives, NOT or a leading `-` to exclude, and
AND (or nothing) between required clauses.  Parentheses and every other symbol
are separators.  Each backend renders the parsed form with every word quoted
(FTS5) or bound as a parameter (PostgreSQL), so no user text reaches a parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from litwatch.errors import QueryError

MAX_TERMS = 32

# Words as the FTS5 unicode61 tokenizer sees them: runs of letters and digits.
_WORD = re.compile(r"[^\W_]+")
# A closed "phrase" (optionally followed by * for a prefix), or a bare chunk.
_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"(?P<pstar>\*?)|(?P<chunk>[^\s"()]+)')


@dataclass(frozen=True)
class Term:
    """One word or phrase to match; `prefix` makes its last word match as a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class ParsedQuery:
    """Required clauses (each an OR of terms) and terms that must not match."""

    clauses: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    def terms(self) -> list[Term]:
        return [t for clause in self.clauses for t in clause] + list(self.excluded)


def _term(words: list[str], star: bool) -> Term | None:
    if not words:
        return None
    return Term(tuple(w.lower() for w in words), prefix=star)


def _tokens(text: str) -> list[str | Term]:
    """Operators as strings, everything else as Terms; symbols-only chunks vanish."""
    out: list[str | Term] = []
    for m in _TOKEN.finditer(text):
        if m.group("chunk") is None:
            term = _term(_WORD.findall(m.group("phrase")), bool(m.group("pstar")))
            if term:
                out.append(term)
            continue
        chunk = m.group("chunk")
        if chunk in ("AND", "OR", "NOT"):
            out.append(chunk)
            continue
        if chunk.startswith("-") and _WORD.search(chunk):
            out.append("NOT")
        term = _term(_WORD.findall(chunk), chunk.endswith("*"))
        if term:
            out.append(term)
    return out


def parse_query(text: str) -> ParsedQuery:
    """Parse user text; raise QueryError when nothing searchable is left."""
    parsed = ParsedQuery()
    pending_or = negate = False
    for token in _tokens(text):
        if token == "OR":
            pending_or = bool(parsed.clauses) and not negate
        elif token == "NOT":
            negate, pending_or = True, False
        elif token == "AND":
            pending_or = False
        elif isinstance(token, Term):
            if negate:
                parsed.excluded.append(token)
            elif pending_or:
                parsed.clauses[-1].append(token)
            else:
                parsed.clauses.append([token])
            pending_or = negate = False
    _check(text, parsed)
    return parsed


def phrase_query(phrases: Iterable[str]) -> ParsedQuery | None:
    """Every phrase required, its words adjacent; a trailing * makes a prefix.

    For phrases from a file rather than a search box (the claims' terms): no
    operators are read.  None when no phrase holds a word to search for.
    """
    terms = (_term(_WORD.findall(p), p.rstrip().endswith("*")) for p in phrases)
    clauses = [[term] for term in terms if term]
    return ParsedQuery(clauses) if clauses else None


def _check(text: str, parsed: ParsedQuery) -> None:
    if len(parsed.terms()) > MAX_TERMS:
        raise QueryError(f"too many search terms ({len(parsed.terms())}; at most {MAX_TERMS})")
    if not parsed.clauses and parsed.excluded:
        raise QueryError(f"query {text!r} only excludes words; add at least one word to find")
    if not parsed.clauses:
        raise QueryError(f"query {text!r} has no words to search for (symbols and operators "
                         "alone are ignored); try e.g. 'ketamine depression' or "
                         "'\"nasal spray\" OR intranasal'")


def _fts5_term(term: Term) -> str:
    # Words hold only letters and digits, so quoting cannot be broken out of.
    return '"' + term.text.replace('"', '""') + '"' + ("*" if term.prefix else "")


def to_fts5(parsed: ParsedQuery) -> str:
    """Render for SQLite FTS5 MATCH (bound as a parameter, never spliced into SQL)."""
    groups = ["(" + " OR ".join(_fts5_term(t) for t in clause) + ")"
              for clause in parsed.clauses]
    expr = "(" + " AND ".join(groups) + ")"
    for term in parsed.excluded:
        expr += " NOT " + _fts5_term(term)
    return expr
