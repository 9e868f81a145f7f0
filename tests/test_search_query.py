"""User text -> safe FTS5 expression: operators kept, everything else quoted or dropped."""

from __future__ import annotations

import sqlite3

import pytest

from litwatch.search.query import MAX_TERMS, QueryError, Term, parse_query, to_fts5

HOSTILE = ['"', 'NEAR(', "a OR", "(((", "title:foo", "*", "'; DROP TABLE record; --",
           "ketamine AND", "OR OR OR", 'abstract:"x" ^y', "NEAR(a b, 3)", "a AND (b OR",
           "\u0000ketamine", "кетамин депрессия", "氯胺酮", "🙂 ketamine", "-", "--ketamine x",
           '"unclosed phrase', 'a "" b', "x*y*", "{title abstract}: ketamine", "a + b",
           "col:NEAR", "NOT NOT ketamine", "\\\"\\"]


def test_words_become_quoted_and_lowercased():
    assert to_fts5(parse_query("Ketamine Depression")) == '(("ketamine") AND ("depression"))'


def test_or_groups_neighbours_and_binds_tighter_than_and():
    parsed = parse_query("ketamine depression OR anxiety")
    assert parsed.clauses == [[Term(("ketamine",))], [Term(("depression",)), Term(("anxiety",))]]
    assert to_fts5(parsed) == '(("ketamine") AND ("depression" OR "anxiety"))'


def test_phrases_prefixes_and_exclusions():
    parsed = parse_query('"nasal spray" depress* NOT rodent -mice')
    assert parsed.clauses == [[Term(("nasal", "spray"))], [Term(("depress",), prefix=True)]]
    assert parsed.excluded == [Term(("rodent",)), Term(("mice",))]
    assert to_fts5(parsed) == '(("nasal spray") AND ("depress"*)) NOT "rodent" NOT "mice"'


def test_hyphenated_and_column_like_words_are_phrases_not_syntax():
    assert parse_query("5-HT2A").clauses == [[Term(("5", "ht2a"))]]
    assert to_fts5(parse_query("title:foo")) == '(("title foo"))'
    assert to_fts5(parse_query("NEAR(")) == '(("near"))'


def test_dangling_operators_are_dropped():
    assert to_fts5(parse_query("a OR")) == '(("a"))'
    assert to_fts5(parse_query("OR a AND")) == '(("a"))'


@pytest.mark.parametrize("text", ["", "   ", "(((", "*", '"', "OR AND NOT", "-", "«»"])
def test_nothing_searchable_is_a_clear_error(text):
    with pytest.raises(QueryError, match="no words to search for"):
        parse_query(text)


def test_only_exclusions_is_a_clear_error():
    with pytest.raises(QueryError, match="only excludes"):
        parse_query("NOT ketamine -placebo")


def test_too_many_terms():
    with pytest.raises(QueryError, match="too many"):
        parse_query(" ".join(f"w{i}" for i in range(MAX_TERMS + 1)))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_reaches_fts5_as_syntax(text):
    """Every accepted query is valid FTS5; every rejected one is a QueryError."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(title, abstract, "
               "tokenize='porter unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO t VALUES ('ketamine', 'a b foo')")
    try:
        expr = to_fts5(parse_query(text))
    except QueryError:
        return
    db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expr,)).fetchone()
