"""A parsed query and the search filters as one tantivy query.

Ranking follows the FTS5 backend: each term is looked for in the title (boosted
ten times, as bm25(record_fts, 10.0, 1.0) weighs it) and in the full text; a
clause's alternatives are SHOULD, the clauses MUST, excluded terms MUST NOT.
Words are cut and stemmed by the index's own analyser, so "depressed" finds
"depression" as FTS5's porter tokenizer does.  A prefix (`analges*`) matches the
terms that start with the stem of what was typed, as FTS5 does, or with the word
as typed.  Filters are MUST clauses of score zero, so they select without
changing the order.  No user text reaches tantivy's query parser.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

import tantivy

from litwatch.search.filters import LABEL_OPTIONS, SearchFilters
from litwatch.search.index_schema import analyzer, date_key, folder
from litwatch.search.query import ParsedQuery, Term

Occur = tantivy.Occur
TITLE_BOOST = 10.0
# A prefix is expanded to at most this many terms (most frequent first), each scored
# by BM25; beyond, the rest of the prefix's terms match with a constant score.
MAX_EXPANSIONS = 64
_ALNUM = re.compile(r"^[^\W_]+$")


@lru_cache(maxsize=1)
def _analyzers() -> tuple[tantivy.TextAnalyzer, tantivy.TextAnalyzer]:
    return analyzer(), folder()


def tokens(text: str) -> list[str]:
    return _analyzers()[0].analyze(text)


def prefixes_of(word: str) -> list[str]:
    """The stems a prefix word stands for: its stem (FTS5's reading) and as typed."""
    stemmed, folded = tokens(word), _analyzers()[1].analyze(word)
    return list(dict.fromkeys(t for t in stemmed[-1:] + folded[-1:] if _ALNUM.match(t)))


class QueryBuilder:
    """Builds queries against one index's schema (and its term dictionary, for prefixes)."""

    def __init__(self, schema: tantivy.Schema, searcher: tantivy.Searcher):
        self.schema = schema
        self.searcher = searcher

    # ------------------------------------------------------------------ text

    def _prefix(self, field: str, word: str) -> tantivy.Query | None:
        alternatives: list[tantivy.Query] = []
        for prefix in prefixes_of(word):
            terms = self.searcher.terms_with_prefix(field, prefix, limit=MAX_EXPANSIONS + 1)
            if len(terms) > MAX_EXPANSIONS:
                alternatives.append(tantivy.Query.regex_query(self.schema, field,
                                                              re.escape(prefix) + ".*"))
            alternatives += [tantivy.Query.term_query(self.schema, field, term)
                             for term, _ in terms]
        return _any(alternatives)

    def _in_field(self, field: str, term: Term) -> tantivy.Query | None:
        words = [t for w in term.words for t in tokens(w)]
        if term.prefix:
            head = words[:-1] if words else []
            if not head:
                return self._prefix(field, term.words[-1])
            stems = prefixes_of(term.words[-1])
            if not stems:
                return None
            return tantivy.Query.phrase_prefix_query(self.schema, field, [*head, stems[0]])
        if not words:
            return None
        if len(words) == 1:
            return tantivy.Query.term_query(self.schema, field, words[0])
        phrase: list[str | tuple[int, str]] = [*words]   # the stub's list is invariant
        return tantivy.Query.phrase_query(self.schema, field, phrase)

    def term(self, term: Term) -> tantivy.Query | None:
        """One term anywhere: in the title (boosted) or in the full text."""
        title = self._in_field("title", term)
        body = self._in_field("abstract", term)
        parts = []
        if title is not None:
            parts.append(tantivy.Query.boost_query(title, TITLE_BOOST))
        if body is not None:
            parts.append(body)
        return _any(parts)

    def text(self, parsed: ParsedQuery) -> tantivy.Query:
        must: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for clause in parsed.clauses:
            alternatives = [q for q in map(self.term, clause) if q is not None]
            # A clause none of whose words can match (all cut by the analyser) matches
            # nothing, as FTS5 answers a phrase of no tokens.
            must.append((Occur.Must, _any(alternatives) or tantivy.Query.empty_query()))
        for term in parsed.excluded:
            query = self.term(term)
            if query is not None:
                must.append((Occur.MustNot, query))
        # One required clause is that clause (same matches and scores): a union of term
        # queries at the top is where tantivy prunes by block-max WAND.
        if len(must) == 1 and must[0][0] == Occur.Must:
            return must[0][1]
        return tantivy.Query.boolean_query(must)

    # ------------------------------------------------------------------ filters

    def filters(self, filters: SearchFilters) -> list[tantivy.Query]:
        """One query per filter that is set, each selecting without scoring."""
        out: list[tantivy.Query] = []
        for option in (*LABEL_OPTIONS, "source", "phase", "status"):
            values = getattr(filters, option)
            if values:
                out.append(tantivy.Query.term_set_query(self.schema, option, list(values)))
        if filters.since or filters.until:
            low = date_key(filters.since) if filters.since else 1
            high = date_key(filters.until + timedelta(days=1)) if filters.until else None
            out.append(tantivy.Query.range_query(
                self.schema, "date_key", tantivy.FieldType.Unsigned, low, high,
                include_lower=True, include_upper=high is None))
        return [tantivy.Query.const_score_query(q, 0.0) for q in out]

    def combined(self, parsed: ParsedQuery | None, filters: SearchFilters) -> tantivy.Query:
        parts = [(Occur.Must, q) for q in self.filters(filters)]
        if parsed is not None:
            parts.append((Occur.Must, self.text(parsed)))
        if not parts:
            return tantivy.Query.all_query()
        return parts[0][1] if len(parts) == 1 else tantivy.Query.boolean_query(parts)


def _any(queries: list[tantivy.Query]) -> tantivy.Query | None:
    if not queries:
        return None
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(Occur.Should, q) for q in queries])
