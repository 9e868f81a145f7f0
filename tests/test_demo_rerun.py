"""`make demo` twice in a row: the second run starts from an empty demo store again,
whatever the first left in data/demo/ (the search index is a directory)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[1] / "scripts" / "demo.py"


def _demo_module(data: Path, monkeypatch: pytest.MonkeyPatch):
    spec = importlib.util.spec_from_file_location("litwatch_demo_script", DEMO)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, value in (("DATA", data), ("CONFIG", data / "config.toml"),
                        ("DB", data / "litwatch.db"), ("MARKER", data / ".demo-database")):
        monkeypatch.setattr(module, name, value)
    return module


def test_a_second_demo_run_clears_the_first_runs_store_and_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo = _demo_module(tmp_path, monkeypatch)
    demo.fresh_database()
    (tmp_path / "litwatch.db").write_bytes(b"first run")
    (tmp_path / "litwatch.db-wal").write_bytes(b"wal")
    (tmp_path / "litwatch.db-search").mkdir()
    (tmp_path / "litwatch.db-search" / "meta.json").write_text("{}")
    demo.fresh_database()
    assert not list(tmp_path.glob("litwatch.db*"))
    assert (tmp_path / "config.toml").exists() and (tmp_path / ".demo-database").exists()


def test_the_demo_never_deletes_a_database_it_did_not_make(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo = _demo_module(tmp_path, monkeypatch)
    (tmp_path / "litwatch.db").write_bytes(b"real data")
    with pytest.raises(SystemExit, match="was not made by the demo"):
        demo.fresh_database()
    assert (tmp_path / "litwatch.db").read_bytes() == b"real data"
