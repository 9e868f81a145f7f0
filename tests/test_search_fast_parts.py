"""The fast search path's stdlib parts agree with the SQLAlchemy path they stand in for.

litwatch.search.freshness reads the URL, the schema head and the index state as the
usual path would (store.migrations, index_state.index_dir); these tests say so if
either side changes.  And a fast search really loads no SQLAlchemy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from litwatch.search import freshness
from litwatch.search.index_state import IndexState, index_dir, read_state, write_state
from litwatch.store.migrations import HEAD
from tests.conftest import CONFIG, REPO

# Plain file URLs the fast path reads, and URLs it leaves to SQLAlchemy.
FILE_URLS = ["sqlite:///data/litwatch.db", "sqlite:////abs/dir/store.db",
             "sqlite:///./x/../y.db", "sqlite+pysqlite:///rel.db"]
OTHER_URLS = ["sqlite:///a%20b.db", "sqlite:///x.db?mode=ro", "sqlite://", "sqlite:///:memory:",
              "sqlite:///file:x.db", "postgresql://u@h/db", "sqlite+aiosqlite:///x.db"]


def test_schema_revision_is_the_migrations_head() -> None:
    assert freshness.SCHEMA_REVISION == HEAD


@pytest.mark.parametrize("url", FILE_URLS)
def test_sqlite_database_reads_a_file_url_as_sqlalchemy_does(url: str) -> None:
    assert freshness.sqlite_database(url) == make_url(url).database


@pytest.mark.parametrize("url", OTHER_URLS)
def test_sqlite_database_declines_every_other_url(url: str) -> None:
    assert freshness.sqlite_database(url) is None


@pytest.mark.parametrize("base", [None, "/tmp/some-index-root"])
@pytest.mark.parametrize("url", FILE_URLS)
def test_index_folder_is_index_state_s(url: str, base: str | None,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    if base is None:
        monkeypatch.delenv("LITWATCH_INDEX_DIR", raising=False)
    else:
        monkeypatch.setenv("LITWATCH_INDEX_DIR", base)
    database = freshness.sqlite_database(url)
    assert database is not None
    assert freshness.index_folder(database) == index_dir(url)
    monkeypatch.setenv("LITWATCH_SEARCH_INDEX", "off")
    assert freshness.index_folder(database) is None and index_dir(url) is None


def test_index_position_is_the_state_of_this_index_version(tmp_path: Path) -> None:
    from litwatch.search.index_schema import INDEX_VERSION
    assert freshness.index_position(tmp_path) is None
    write_state(tmp_path, IndexState(INDEX_VERSION, 7, 42, "1|pubmed|1|2026"))
    assert freshness.index_position(tmp_path) == read_state(tmp_path)
    write_state(tmp_path, IndexState(INDEX_VERSION + 1, 7, 42, ""))
    assert freshness.index_position(tmp_path) is None          # another version: rebuilt
    (tmp_path / "state.json").write_text("{not json", encoding="utf-8")
    assert freshness.index_position(tmp_path) is None


def test_a_fast_search_process_loads_no_sqlalchemy(corpus_db: Path, tmp_path: Path) -> None:
    probe = ("import json, sys\nfrom litwatch.cli import main\nmain(sys.argv[1:])\n"
             "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('sqlalchemy', 'sqlmodel', 'pydantic', 'alembic'))), file=sys.stderr)")
    target = tmp_path / "corpus.db"
    shutil.copyfile(corpus_db, target)
    env = dict(os.environ, LITWATCH_DATABASE_URL=f"sqlite:///{target}")

    def run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", probe, "--config", str(CONFIG), "search",
                               "esketamine"], cwd=REPO, capture_output=True, text=True,
                              timeout=60, env=env, check=True)
        return json.loads(done.stderr.strip().splitlines()[-1])
    assert run()                    # the first search builds the index: the usual path
    assert run() == []
