"""search_records over each backend: ranking, snippets, filters, listing by date."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from litwatch.search import FilterError, QueryError, build_filters, search_records
from litwatch.search.query import parse_query
from litwatch.search.ranked import MARK_CLOSE, MARK_OPEN
from tests import test_search_data
from tests.test_search_query import HOSTILE

# The shared fixtures: a hand-built store on each backend.
store_url, store_engine = test_search_data.store_url, test_search_data.store_engine


def ids(hits):
    return [h.source_id for h in hits]


def test_title_match_ranks_above_abstract_match(store_engine):
    hits = search_records(store_engine, "depression")
    assert ids(hits).index("90000001") < ids(hits).index("90000002")
    assert hits[0].score is not None and hits[0].score > 0


def test_snippets_and_title_highlights_mark_the_matches(store_engine):
    (hit,) = search_records(store_engine, "rodents")
    assert f"{MARK_OPEN}rodents{MARK_CLOSE}".lower() in hit.title_marked.lower()
    (hit,) = search_records(store_engine, "circuits")
    assert MARK_OPEN in hit.snippet and "circuits" in hit.snippet


def test_hits_carry_labels_and_urls(store_engine):
    (hit,) = search_records(store_engine, '"nasal spray" treatment-resistant')
    assert hit.labels["route"] == ["intranasal"] and hit.labels["drug"] == ["esketamine"]
    assert hit.url == "https://pubmed.ncbi.nlm.nih.gov/90000001/"


def test_operators_phrases_prefix_and_exclusion(store_engine):
    assert set(ids(search_records(store_engine, "rodents OR adolescents"))) == {
        "90000002", "NCT90000001"}
    assert ids(search_records(store_engine, '"infusion clinics"')) == ["pubmed:90000005"]
    assert "90000002" in ids(search_records(store_engine, "glutam*"))
    excluded = ids(search_records(store_engine, "ketamine -rodents"))
    assert "90000002" not in excluded and "90000003" in excluded


def test_accented_words_are_found(store_engine):
    assert "90000004" in ids(search_records(store_engine, "dépression"))
    if store_engine.dialect.name == "sqlite":
        # The FTS5 tokenizer folds accents both ways (PostgreSQL's 'english' does not).
        assert "90000004" in ids(search_records(store_engine, "depression"))
        assert "90000004" in ids(search_records(store_engine, "ketamine etude"))


@pytest.mark.parametrize("option,value,expected", [
    ("indication", ["trd"], {"90000001"}),
    ("indication", ["mdd,bipolar_depression"], {"90000004", "NCT90000001", "NCT90000002"}),
    ("route", ["intranasal"], {"90000001", "NCT90000001"}),
    ("design", ["RCT"], {"90000001", "NCT90000001", "NCT90000002"}),
    ("drug", ["arketamine"], {"NCT90000002"}),
    ("source", ["ctgov"], {"NCT90000001", "NCT90000002"}),
    ("source", ["feeds"], {"pubmed:90000005"}),
    ("phase", ["2"], {"NCT90000002"}),
    ("phase", ["phase 3"], {"NCT90000001"}),
    ("status", ["not yet recruiting"], {"NCT90000002"}),
])
def test_each_filter_without_a_query_lists_by_date(store_engine, option, value, expected):
    hits = search_records(store_engine, None, build_filters(**{option: value}), limit=None)
    assert set(ids(hits)) == expected
    dates = [h.entry_date for h in hits]
    assert dates == sorted(dates, reverse=True)


def test_filters_combine_with_a_query(store_engine):
    filters = build_filters(drug=["esketamine"], source=["pubmed"])
    assert ids(search_records(store_engine, "depression", filters)) == ["90000001"]
    filters = build_filters(since=__import__("datetime").date(2024, 1, 1),
                            until=__import__("datetime").date(2024, 12, 31))
    assert set(ids(search_records(store_engine, None, filters))) == {
        "90000001", "90000004"}


def test_limit(store_engine):
    assert len(search_records(store_engine, "ketamine", limit=2)) == 2


@pytest.mark.parametrize("option", ["indication", "route", "design", "drug", "source",
                                    "phase", "status"])
def test_unknown_filter_values_name_the_option_and_the_valid_keys(option):
    with pytest.raises(FilterError) as err:
        build_filters(**{option: ["depresion"]})
    assert f"--{option}" in str(err.value) and "valid:" in str(err.value)


def test_indication_error_lists_the_keys():
    with pytest.raises(FilterError, match="trd, mdd"):
        build_filters(indication=["depresion"])


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_search_or_refuse_cleanly(store_engine, query):
    try:
        parse_query(query)
    except QueryError:
        with pytest.raises(QueryError):
            search_records(store_engine, query)
        return
    search_records(store_engine, query, build_filters(drug=["ketamine"]))
    with store_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM record")).scalar() == 7
