"""The fast search path (litwatch.search.fast) answers exactly as search_records does.

On the bundled corpus: the same hits, and `litwatch search` prints the same bytes
in every format, with and without filters, when the fast path answers and when it
is turned away.  It must turn away whenever the usual path would do something
first: a stale, missing or disabled index, a schema to migrate, triggers to repair.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from litwatch.cli import main
from litwatch.search import build_filters, search_records
from litwatch.search import fast as fast_module
from litwatch.search.fast import fast_search
from litwatch.search.index import catch_up, forget
from litwatch.store.engine import open_engine
from tests.conftest import CONFIG

QUERIES = ["ketamine", "esketamine", "esketamine nasal spray", '"treatment-resistant depression"',
           "depress*", "midazolam OR placebo", "ketamine -rodent", "analges*", "suicid* ideation",
           "dissociative", "zebrafishxyz"]
FILTERS = [{}, {"design": ["rct"]}, {"route": ["intranasal"], "drug": ["esketamine"]},
           {"source": ["ctgov"]}, {"indication": ["trd", "mdd"]}, {"phase": ["3"]}]
CLI_RUNS = [["esketamine"], ["ketamine", "--design", "rct", "--route", "intranasal"],
            ["depress*", "--limit", "50"], ["--source", "ctgov", "--limit", "7"],
            ['"nasal spray"', "--format", "json"], ["ketamine", "--format", "csv"],
            ["--design", "rct", "--format", "json", "--limit", "30"],
            ["suicid*", "--since", "2020-01-01", "--format", "json"], ["zebrafishxyz"]]


@pytest.fixture
def corpus_url(corpus_db: Path, tmp_path: Path) -> Iterator[str]:
    """A private copy of the corpus store with its search index built and current."""
    target = tmp_path / "corpus.db"
    shutil.copyfile(corpus_db, target)
    url = f"sqlite:///{target}"
    engine = open_engine(url)
    catch_up(engine)
    engine.dispose()
    yield url
    forget()


@pytest.fixture
def corpus(corpus_url: str) -> Iterator[Engine]:
    engine = open_engine(corpus_url)
    yield engine
    engine.dispose()


def _run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
             url: str) -> Callable[..., tuple[int, str, str]]:
    monkeypatch.setenv("LITWATCH_DATABASE_URL", url)

    def run(*args: str) -> tuple[int, str, str]:
        status = main(["--config", str(CONFIG), "search", *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err
    return run


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("options", FILTERS)
def test_the_same_hits_as_search_records(corpus: Engine, corpus_url: str, query: str,
                                         options: dict) -> None:
    filters = build_filters(**options)
    expected = search_records(corpus, query, filters, limit=20)
    assert fast_search(corpus_url, query, filters, 20) == expected


@pytest.mark.parametrize("options", FILTERS[1:])
def test_the_same_listing_without_a_query(corpus: Engine, corpus_url: str,
                                          options: dict) -> None:
    filters = build_filters(**options)
    for limit in (3, None):
        assert fast_search(corpus_url, None, filters, limit) == search_records(
            corpus, None, filters, limit=limit)


def test_hits_carry_labels_urls_marks_and_scores(corpus_url: str) -> None:
    hits = fast_search(corpus_url, "esketamine", build_filters(), 20)
    assert hits and all(h.url.startswith("https://") for h in hits)
    assert all(h.score and "\x02" in (h.title_marked or "") + (h.snippet or "") for h in hits)
    assert any(h.labels.get("drug") == ["esketamine"] for h in hits)


@pytest.mark.parametrize("args", CLI_RUNS)
def test_cli_output_is_byte_identical(corpus_url: str, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture, args: list[str]) -> None:
    run = _run_cli(monkeypatch, capsys, corpus_url)
    answered: list[bool] = []
    real = fast_module.fast_search

    def counting(*a: object, **k: object) -> object:
        hits = real(*a, **k)  # type: ignore[arg-type]
        answered.append(hits is not None)
        return hits
    monkeypatch.setattr(fast_module, "fast_search", counting)
    fast = run(*args)
    monkeypatch.setattr(fast_module, "fast_search", lambda *a, **k: None)
    assert run(*args) == fast
    assert answered == [True]                      # the fast path did answer
    assert fast[0] == (1 if args == ["zebrafishxyz"] else 0)


def test_a_stale_index_is_left_to_the_usual_path(corpus: Engine, corpus_url: str) -> None:
    filters = build_filters()
    assert fast_search(corpus_url, "ketamine", filters, 5) is not None
    with corpus.begin() as conn:                # a write stamps its row after the index
        conn.execute(text("UPDATE record SET title = 'Zorblax ketamine', change_seq = "
                          "(SELECT max(change_seq) + 1 FROM record) WHERE id = "
                          "(SELECT min(id) FROM record)"))
    assert fast_search(corpus_url, "zorblax", filters, 5) is None
    (hit,) = search_records(corpus, "zorblax", filters)          # catches the index up
    assert fast_search(corpus_url, "zorblax", filters, 5) == [hit]


def test_a_schema_to_migrate_or_triggers_to_repair_turn_it_away(corpus: Engine,
                                                                corpus_url: str) -> None:
    filters = build_filters()
    with corpus.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    assert fast_search(corpus_url, "ketamine", filters, 5) is None
    with corpus.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0003'"))
        conn.execute(text("DROP TRIGGER record_fts_au"))
    assert fast_search(corpus_url, "ketamine", filters, 5) is None


def test_no_index_or_index_off_or_another_backend(corpus_url: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    filters = build_filters()
    assert fast_search("postgresql+psycopg://u@127.0.0.1/x", "ketamine", filters, 5) is None
    assert fast_search("sqlite://", "ketamine", filters, 5) is None
    assert fast_search(f"sqlite:///{tmp_path / 'none.db'}", "ketamine", filters, 5) is None
    assert not (tmp_path / "none.db").exists()          # nothing is created
    monkeypatch.setenv("LITWATCH_SEARCH_INDEX", "off")
    assert fast_search(corpus_url, "ketamine", filters, 5) is None
    monkeypatch.setenv("LITWATCH_SEARCH_INDEX", "on")
    monkeypatch.setenv("LITWATCH_INDEX_DIR", str(tmp_path / "elsewhere"))
    assert fast_search(corpus_url, "ketamine", filters, 5) is None    # no index there


def test_a_damaged_index_is_left_to_the_usual_path(corpus_url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(folder: Path) -> object:
        raise ValueError("damaged segment")
    monkeypatch.setattr(fast_module, "open_reader", broken)
    assert fast_search(corpus_url, "ketamine", build_filters(), 5) is None
