"""Small lies the CLI used to tell: `schedule --list`, week labels, future weeks, --force."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from litwatch.cli import main
from litwatch.digest import runs
from litwatch.digest.window import week_window
from litwatch.schedule.scheduler import describe_schedule, make_trigger, next_fire_times
from litwatch.store.engine import open_engine
from testkit.digest_sample import sample_week
from tests.conftest import CONFIG

LONDON = ZoneInfo("Europe/London")


def test_next_fire_times_cross_the_clock_change(settings) -> None:
    trigger = make_trigger("0 6 * * *", "Europe/London", "schedule.sync")
    times = next_fire_times(trigger, datetime(2026, 3, 27, 12, 0, tzinfo=LONDON))
    assert [t.isoformat() for t in times] == ["2026-03-28T06:00:00+00:00",
                                              "2026-03-29T06:00:00+01:00",
                                              "2026-03-30T06:00:00+01:00"]


def test_schedule_description_has_crontab_zone_and_three_times(settings) -> None:
    lines = describe_schedule(settings, datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    assert lines == ['sync: "0 6 * * *" (Europe/London, [schedule] sync)',
                     "  Thu 2026-11-19 06:00 GMT", "  Fri 2026-11-20 06:00 GMT",
                     "  Sat 2026-11-21 06:00 GMT",
                     'digest: "0 7 * * mon" (Europe/London, [schedule] digest)',
                     "  Mon 2026-11-23 07:00 GMT", "  Mon 2026-11-30 07:00 GMT",
                     "  Mon 2026-12-07 07:00 GMT"]


def test_schedule_list_prints_crontab_lines_not_scheduler_internals(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("LITWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert main(["--config", str(CONFIG), "schedule", "--list"]) == 0
    out = capsys.readouterr().out
    assert '"0 6 * * *"' in out and '"0 7 * * mon"' in out and "Europe/London" in out
    assert "cron[" not in out and "month=" not in out
    assert len([ln for ln in out.splitlines() if ln.startswith("  ")]) == 6


@pytest.fixture
def digest_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    text = CONFIG.read_text(encoding="utf-8")
    text = text.replace('url = "sqlite:///data/litwatch.db"', f'url = "sqlite:///{tmp_path}/d.db"')
    text = text.replace('archive_dir = "data/digests"', f'archive_dir = "{tmp_path}/digests"')
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.delenv("LITWATCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("LITWATCH_TODAY", "2026-11-18")           # Wednesday of W47
    engine = open_engine(f"sqlite:///{tmp_path}/d.db")
    sample_week(engine, "2026-W46", count=6)
    engine.dispose()
    return path


def digest(config: Path, capsys, *args: str) -> tuple[int, str, str]:
    status = main(["--config", str(config), "digest", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_lower_case_week_is_accepted(digest_config: Path, capsys) -> None:
    status, out, err = digest(digest_config, capsys, "--week", "2026-w46")
    assert status == 0, err
    assert out.startswith("2026-W46: ") and "litwatch-2026-W46.html" in out
    assert week_window(" 2026-w46 ", "Europe/London").label == "2026-W46"


@pytest.mark.parametrize("args,option", [
    (["--week", "2026-W48"], "--week"),
    (["--week", "2027-w01"], "--week"),
    (["--since", "2026-11-19"], "--since"),
])
def test_a_window_still_to_come_is_refused_in_one_line(digest_config: Path, capsys,
                                                        args: list[str], option: str) -> None:
    status, out, err = digest(digest_config, capsys, *args)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and option in err and "2026-11-18" in err


def test_the_current_week_renders_and_says_it_is_not_over(digest_config: Path, capsys) -> None:
    status, out, _ = digest(digest_config, capsys, "--week", "2026-W47")
    assert status == 0 and "not over yet" in out.splitlines()[0]


def test_already_sent_says_to_use_the_force_option(digest_config: Path, tmp_path: Path,
                                                   capsys) -> None:
    engine = open_engine(f"sqlite:///{tmp_path}/d.db")
    window = week_window("2026-W46", "Europe/London")
    runs.record_rendered(engine, window, str(tmp_path / "digests" / "x.html"), 6, 1000)
    runs.record_outcome(engine, window, "sent", message_id="<x@y>")
    engine.dispose()
    status, out, _ = digest(digest_config, capsys, "--week", "2026-W46", "--send")
    assert status == 0 and "skipped" in out
    assert "--force" in out and "use force" not in out
