"""PostgreSQL: a search with a current index is one statement, and answers as before.

litwatch.search.pg_page loads the page and checks the index's freshness in one
statement outside a transaction; the answer must be the usual path's (catch up,
rank, load rows, load labels), and a store written after the index was built
must send the search down the usual path, which catches the index up first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from sqlalchemy import Engine, event, text

from litwatch.search import build_filters, search_records, service
from litwatch.search.index import catch_up, forget
from litwatch.store.engine import open_engine
from tests.conftest import drop_pg_database, fresh_pg_database
from tests.test_search_data import fill

QUERIES = ["depression", "esketamine", '"nasal spray" treatment-resistant', "glutam*",
           "ketamine -rodents", "rodents OR adolescents", "zebrafish", None]
FILTERS: list[dict[str, Any]] = [{}, {"drug": ["esketamine"]}, {"source": ["ctgov"]},
                                 {"design": ["rct"]}, {"phase": ["3"]}]


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    url = fresh_pg_database()
    engine = open_engine(url)
    fill(engine)
    catch_up(engine)
    yield engine
    engine.dispose()
    forget()
    drop_pg_database(url)


def usual(engine: Engine, *args: Any, **kwargs: Any) -> list:
    """search_records without the one-statement path."""
    with patch.object(service, "_in_one_statement", return_value=None):
        return search_records(engine, *args, **kwargs)


def statements(engine: Engine) -> list[str]:
    sent: list[str] = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: sent.append(sql))
    return sent


def test_the_same_hits_as_the_usual_path(pg_engine: Engine) -> None:
    for query in QUERIES:
        for options in FILTERS:
            if query is None and not options:
                continue
            filters = build_filters(**options)
            for limit in (1, 20):
                assert search_records(pg_engine, query, filters, limit) == usual(
                    pg_engine, query, filters, limit), (query, options, limit)


def test_one_statement_outside_a_transaction(pg_engine: Engine) -> None:
    sent = statements(pg_engine)
    hits = search_records(pg_engine, "esketamine")
    assert {h.source_id for h in hits} == {"90000001", "NCT90000001"}
    assert len(sent) == 1 and "json_agg" in sent[0]
    assert all(h.labels and h.url for h in hits)


def test_a_store_written_after_the_index_is_searched_as_usual(pg_engine: Engine) -> None:
    with pg_engine.begin() as conn:
        conn.execute(text("UPDATE record SET title = 'Zorblax ketamine', change_seq = "
                          "(SELECT max(change_seq) + 1 FROM record) WHERE source_id = "
                          "'90000002'"))
    assert service._in_one_statement(pg_engine, "zorblax", build_filters(), 20, True) is None
    (hit,) = search_records(pg_engine, "zorblax")           # caught up, then ranked
    assert hit.source_id == "90000002" and hit.title == "Zorblax ketamine"
    sent = statements(pg_engine)
    assert search_records(pg_engine, "zorblax") == [hit] and len(sent) == 1


def test_no_hits_is_still_checked(pg_engine: Engine) -> None:
    with pg_engine.begin() as conn:
        conn.execute(text("UPDATE record SET title = 'Quuxine', change_seq = "
                          "(SELECT max(change_seq) + 1 FROM record) WHERE source_id = "
                          "'90000003'"))
    # The index has not seen "quuxine": its empty page must not be the answer.
    assert [h.source_id for h in search_records(pg_engine, "quuxine")] == ["90000003"]


def test_large_pages_and_unlimited_take_the_usual_path(pg_engine: Engine) -> None:
    assert service._in_one_statement(pg_engine, "ketamine", build_filters(), None, True) is None
    assert service._in_one_statement(pg_engine, "ketamine", build_filters(), 501, True) is None
    assert service._in_one_statement(pg_engine, "ketamine", build_filters(), 20, True)
