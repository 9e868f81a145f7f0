"""The run lock: one run at a time, the loser names the holder, a killed holder never blocks."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from litwatch.config.loader import Settings
from litwatch.schedule.jobs import JobResult, run_once
from litwatch.schedule.runlock import LockBusy, run_lock
from tests.conftest import CONFIG, REPO

# A contender: takes the lock, says WON and holds it until its stdin closes; or says LOST.
CONTENDER = """
import sys
from litwatch.schedule.runlock import LockBusy, run_lock
try:
    with run_lock(sys.argv[1], "contender " + sys.argv[2]):
        print("WON", flush=True)
        sys.stdin.read()
except LockBusy as exc:
    print("LOST", exc, flush=True)
    sys.exit(1)
"""


@pytest.fixture
def contender() -> Iterator[Callable[[Path, str], subprocess.Popen]]:
    """Start contender processes; they are reaped and their pipes closed afterwards."""
    started: list[subprocess.Popen] = []

    def start(lock: Path, name: str) -> subprocess.Popen:
        started.append(subprocess.Popen(
            [sys.executable, "-c", CONTENDER, str(lock), name], cwd=REPO,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
        return started[-1]

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        for pipe in (proc.stdin, proc.stdout):
            if pipe and not pipe.closed:
                pipe.close()


@pytest.fixture
def local_settings(settings: Settings, tmp_path: Path) -> Settings:
    """Settings whose lock file is private to the test."""
    return replace(settings, schedule=replace(settings.schedule,
                                              lock_file=tmp_path / "run.lock"))


def test_the_lock_file_names_its_holder_and_is_emptied_on_release(tmp_path):
    lock = tmp_path / "sub" / "litwatch.lock"
    with run_lock(lock, "litwatch run") as holder:
        written = json.loads(lock.read_text())
        assert written == {"pid": os.getpid(), "host": socket.gethostname(),
                           "started": holder.started, "command": "litwatch run"}
    assert lock.read_text() == ""


def test_a_second_taker_is_refused_with_the_holders_details(tmp_path):
    lock = tmp_path / "litwatch.lock"
    with run_lock(lock, "litwatch schedule (sync)"):
        with pytest.raises(LockBusy) as busy:
            with run_lock(lock, "litwatch run"):
                pass
    assert busy.value.holder.pid == os.getpid()
    assert f"pid {os.getpid()} on {socket.gethostname()}" in str(busy.value)
    assert "litwatch schedule (sync)" in str(busy.value)


def test_waiting_gives_up_after_the_wait(tmp_path):
    lock = tmp_path / "litwatch.lock"
    with run_lock(lock, "first"), pytest.raises(LockBusy):
        with run_lock(lock, "second", wait_seconds=0.05):
            pass


def test_two_processes_at_once_exactly_one_wins(tmp_path, contender):
    lock = tmp_path / "litwatch.lock"
    procs = [contender(lock, "a"), contender(lock, "b")]
    first_lines = [p.stdout.readline() for p in procs]
    winners = [p for p, line in zip(procs, first_lines, strict=True) if line.startswith("WON")]
    losers = [line for line in first_lines if line.startswith("LOST")]
    assert len(winners) == 1 and len(losers) == 1, first_lines
    assert f"pid {winners[0].pid} on {socket.gethostname()}" in losers[0]
    winners[0].stdin.close()
    assert sorted(p.wait(timeout=30) for p in procs) == [0, 1]


def test_litwatch_run_refuses_while_another_run_holds_the_lock(tmp_path, contender):
    lock_dir = tmp_path
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    holder = contender(lock_dir / "data" / "litwatch.lock", "cron")
    assert holder.stdout.readline().startswith("WON")
    env = dict(os.environ, LITWATCH_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}")
    done = subprocess.run([sys.executable, "-m", "litwatch", "--config", str(config), "run"],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0
    assert done.returncode == 1 and done.stdout == ""
    assert f"pid {holder.pid}" in done.stderr and "contender cron" in done.stderr


def test_a_lock_left_by_a_killed_process_does_not_block(local_settings, engine, caplog,
                                                         contender):
    lock = local_settings.schedule.lock_file
    victim = contender(lock, "victim")
    assert victim.stdout.readline().startswith("WON")
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert json.loads(lock.read_text())["pid"] == victim.pid      # stale details remain
    ok = {"sync": lambda s, e: JobResult("sync", True), "digest":
          lambda s, e: JobResult("digest", True)}
    with caplog.at_level(logging.WARNING, logger="litwatch.schedule.runlock"):
        results = run_once(local_settings, engine, ok)
    assert all(r.ok for r in results)
    assert f"pid {victim.pid}" in caplog.text and "did not release" in caplog.text
    assert lock.read_text() == ""


def test_sync_takes_the_run_lock(settings, tmp_path, monkeypatch, capsys) -> None:
    """`litwatch sync` refuses to start while another run holds the lock, like `run`."""
    from litwatch.cli import main
    from litwatch.schedule.runlock import run_lock

    # The repo's config, copied: its lock resolves beside the copy, never the checkout's
    # own data/litwatch.lock (which a real sync from this checkout may hold).
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("LITWATCH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LITWATCH_EUTILS_URL", "http://127.0.0.1:9/")
    with run_lock(tmp_path / "data" / "litwatch.lock", "a test holding the lock"):
        code = main(["--config", str(config), "sync", "--quiet", "--source", "pubmed"])
    err = capsys.readouterr().err
    assert code != 0
    assert "holds the lock" in err and "a test holding the lock" in err
    assert "Traceback" not in err
