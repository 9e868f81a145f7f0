"""`litwatch digest` without sending: windows, --out, and usage errors naming the option."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from litwatch.cli import main
from litwatch.store.engine import open_engine
from testkit.digest_sample import sample_week
from tests.conftest import CONFIG


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    text = CONFIG.read_text(encoding="utf-8")
    text = text.replace('url = "sqlite:///data/litwatch.db"', f'url = "sqlite:///{tmp_path}/cli.db"')
    text = text.replace('archive_dir = "data/digests"', f'archive_dir = "{tmp_path}/digests"')
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.delenv("LITWATCH_DATABASE_URL", raising=False)
    monkeypatch.delenv("LITWATCH_TODAY", raising=False)
    engine = open_engine(f"sqlite:///{tmp_path}/cli.db")
    sample_week(engine, "2026-W46", count=12)
    engine.dispose()
    return path


def test_default_week_is_the_last_complete_one(config: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITWATCH_TODAY", "2026-11-18")
    out_file = tmp_path / "out" / "demo.html"
    assert main(["--config", str(config), "digest", "--out", str(out_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2026-W46: 17 items")
    assert f"wrote {tmp_path}/digests/litwatch-2026-W46.html" in out
    assert f"wrote {out_file}" in out
    doc = lxml.html.fromstring(out_file.read_text(encoding="utf-8"))
    assert doc.get_element_by_id("digest-title").text_content().endswith("2026-W46")


def test_since_until_window(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--config", str(config), "digest", "--since", "2026-11-01", "--until", "2026-11-30"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("2026-11-01..2026-11-30: ")
    assert "litwatch-2026-11-01..2026-11-30.html" in out


@pytest.mark.parametrize("args, option", [
    (["--week", "2026-46"], "--week"),
    (["--week", "2026-W60"], "--week"),
    (["--since", "yesterday"], "--since"),
    (["--since", "2026-11-10", "--until", "2026-13-01"], "--until"),
    (["--since", "2026-11-10", "--until", "2026-11-01"], "--until"),
    (["--until", "2026-11-01"], "--until"),
    (["--week", "2026-W46", "--since", "2026-11-01"], "--week"),
    (["--force"], "--force"),
])
def test_bad_options_exit_2_naming_the_option(config: Path, args: list[str], option: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(config), "digest", *args]) == 2
    assert option in capsys.readouterr().err
