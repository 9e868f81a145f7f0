"""`litwatch search` through the console entry point: formats, filters, exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests import test_search_data
from tests.test_search_query import HOSTILE

store_url, cli = test_search_data.store_url, test_search_data.cli
litwatch = test_search_data.litwatch


def test_table_fits_the_terminal_and_shows_matches(store_url):
    # On a terminal (piped output is tab-separated lines: tests/test_search_output.py).
    from tests.test_search_output import on_terminal
    status, lines = on_terminal(store_url, 100, "search", "depression")
    assert status == 0
    assert "90000001" in "\n".join(lines) and "treatment-resistant" in "\n".join(lines)
    assert max(len(line) for line in lines) <= 100


def test_json_is_clean_for_pipes(store_url):
    done = litwatch(store_url, "search", "esketamine", "--format", "json")
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)                       # nothing but JSON on stdout
    assert {h["id"] for h in hits} == {"90000001", "NCT90000001"}
    snippet = hits[0]["snippet"] or hits[1]["snippet"]
    assert hits[0]["source"] and snippet and "**" not in snippet     # plain text for programs


def test_csv_has_a_header_and_one_row_per_hit(cli):
    status, out, _ = cli("search", "oral OR rodents", "--format", "csv", "--source", "pubmed")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0
    assert {r["id"] for r in rows} == {"90000002", "90000003"}
    assert next(r for r in rows if r["id"] == "90000003")["retracted"] == "yes"


@pytest.mark.parametrize("args,expected", [
    (["--indication", "trd"], {"90000001"}),
    (["--route", "intranasal", "--source", "ctgov"], {"NCT90000001"}),
    (["--design", "rct", "--drug", "arketamine"], {"NCT90000002"}),
    (["--phase", "3"], {"NCT90000001"}),
    (["--status", "active_not_recruiting"], {"NCT90000001"}),
    (["--since", "2025-01-01"], {"NCT90000002", "pubmed:90000005"}),
    (["--until", "2022-12-31"], {"90000003"}),
    (["--indication", "mdd", "--indication", "trd", "--limit", "2"], None),
])
def test_filters_without_a_query_list_by_date(cli, args, expected):
    status, out, _ = cli("search", *args, "--format", "json")
    hits = json.loads(out)
    assert status == 0
    if expected is None:
        assert len(hits) == 2
    else:
        assert {h["id"] for h in hits} == expected
    assert [h["entry_date"] for h in hits] == sorted((h["entry_date"] for h in hits),
                                                     reverse=True)


def test_query_with_filters(cli):
    status, out, _ = cli("search", "depression", "--drug", "esketamine", "--format", "json")
    assert status == 0 and {h["id"] for h in json.loads(out)} == {"90000001", "NCT90000001"}


def test_nothing_matched_exits_1_with_a_message_on_stderr(cli):
    status, out, err = cli("search", "zebrafish", "--format", "json")
    assert (status, out) == (1, "") and "no records matched" in err


@pytest.mark.parametrize("args,message", [
    (["x", "--indication", "depresion"], "--indication: unknown value 'depresion'"),
    (["x", "--route", "nasal"], "intranasal"),
    (["x", "--phase", "7"], "--phase"),
    (["x", "--status", "open"], "RECRUITING"),
    (["x", "--since", "yesterday"], "--since"),
    (["x", "--limit", "0"], "--limit"),
    ([], "give a QUERY"),
    (["((("], "no words to search for"),
    (["*"], "no words to search for"),
    (["NOT placebo"], "only excludes"),
])
def test_usage_errors_exit_2_and_say_why(cli, args, message):
    status, out, err = cli("search", *args)
    assert status == 2 and out == "" and message in err


def test_unknown_indication_lists_the_valid_keys(cli):
    _, _, err = cli("search", "x", "--indication", "depresion")
    assert "trd" in err and "bipolar_depression" in err


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_crash(cli, query):
    status, _, err = cli("search", query, "--format", "json")
    assert status in (0, 1, 2)
    assert "Traceback" not in err and "fts5" not in err.lower()
    assert "syntax error" not in err.lower()


def test_hostile_query_through_a_real_process(store_url):
    done = litwatch(store_url, "search", "'; DROP TABLE record; --")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert litwatch(store_url, "search", "ketamine", "--format", "csv").returncode == 0
