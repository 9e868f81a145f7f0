"""The scheduler wiring, the jobs and `litwatch run`, driven with explicit times (no sleeping)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import types
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from litwatch.cli import main, schedule_cmd
from litwatch.config.loader import ConfigError, Settings
from litwatch.schedule.jobs import JobResult, digest_job, run_locked, run_once
from litwatch.schedule.scheduler import build_scheduler, log_event, make_trigger
from tests.conftest import CONFIG, REPO

LONDON = ZoneInfo("Europe/London")


class Recorder:
    """A job registry of fakes that record their calls and whether they held the lock."""

    def __init__(self, lock: Path, fail: str | None = None, crash: str | None = None):
        self.lock, self.fail, self.crash, self.calls = lock, fail, crash, []

    def job(self, name: str):
        def run(settings: Settings, engine) -> JobResult:
            self.calls.append((name, str(os.getpid()) in self.lock.read_text()))
            if name == self.crash:
                raise RuntimeError(f"{name} exploded")
            return JobResult(name, name != self.fail, f"{name} detail")
        return run

    def registry(self) -> dict:
        return {"sync": self.job("sync"), "digest": self.job("digest")}


@pytest.fixture
def local_settings(settings: Settings, tmp_path: Path) -> Settings:
    return replace(settings, schedule=replace(settings.schedule,
                                              lock_file=tmp_path / "run.lock"))


def with_schedule(settings: Settings, **changes) -> Settings:
    return replace(settings, schedule=replace(settings.schedule, **changes))


def test_jobs_from_config_with_coalescing_grace_and_one_instance(local_settings, engine):
    scheduler = build_scheduler(local_settings, engine, Recorder(Path("x")).registry(),
                                BackgroundScheduler())
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"sync", "digest"}
    for job in jobs.values():
        assert isinstance(job.trigger, CronTrigger)
        assert job.trigger.timezone == LONDON
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)
    assert not scheduler.running


def test_sync_fires_daily_at_six_london_time_across_the_dst_change(local_settings, engine):
    trigger = build_scheduler(local_settings, engine, scheduler=BackgroundScheduler()
                              ).get_job("sync").trigger
    before_dst = trigger.get_next_fire_time(None, datetime(2025, 3, 29, 12, 0, tzinfo=LONDON))
    assert before_dst == datetime(2025, 3, 30, 6, 0, tzinfo=LONDON)
    assert before_dst.utcoffset().total_seconds() == 3600           # BST began at 01:00 UTC
    winter = trigger.get_next_fire_time(None, datetime(2025, 1, 10, 6, 0, 1, tzinfo=LONDON))
    assert winter.astimezone(UTC) == datetime(2025, 1, 11, 6, 0, tzinfo=UTC)


def test_digest_fires_on_monday_mornings(local_settings, engine):
    trigger = build_scheduler(local_settings, engine, scheduler=BackgroundScheduler()
                              ).get_job("digest").trigger
    sunday = datetime(2025, 3, 30, 23, 0, tzinfo=LONDON)
    monday = trigger.get_next_fire_time(None, sunday)
    assert monday == datetime(2025, 3, 31, 7, 0, tzinfo=LONDON)
    after = trigger.get_next_fire_time(monday, datetime(2025, 3, 31, 7, 0, 1, tzinfo=LONDON))
    assert after == datetime(2025, 4, 7, 7, 0, tzinfo=LONDON)


def test_other_time_zones_and_expressions(local_settings, engine):
    settings = with_schedule(local_settings, timezone="America/New_York",
                             sync="*/30 9-17 * * mon-fri")
    trigger = build_scheduler(settings, engine, scheduler=BackgroundScheduler()
                              ).get_job("sync").trigger
    friday_evening = datetime(2025, 6, 6, 17, 45, tzinfo=ZoneInfo("America/New_York"))
    assert trigger.get_next_fire_time(None, friday_evening) == datetime(
        2025, 6, 9, 9, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.mark.parametrize("expression", ["0 6 * *", "61 6 * * *", "every day", ""])
def test_bad_crontab_names_the_key(expression):
    with pytest.raises(ConfigError, match="schedule.sync"):
        make_trigger(expression, "UTC", "schedule.sync")


def test_the_scheduled_call_takes_the_lock_and_runs_the_job(local_settings, engine):
    recorder = Recorder(local_settings.schedule.lock_file)
    job = build_scheduler(local_settings, engine, recorder.registry(),
                          BackgroundScheduler()).get_job("digest")
    result = job.func(*job.args, **job.kwargs)
    assert result == JobResult("digest", True, "digest detail")
    assert recorder.calls == [("digest", True)]


def test_a_scheduled_job_finding_the_lock_busy_fails_and_says_why(local_settings, engine,
                                                                   caplog):
    from litwatch.schedule.runlock import run_lock
    recorder = Recorder(local_settings.schedule.lock_file)
    with run_lock(local_settings.schedule.lock_file, "litwatch run"):
        result = run_locked("sync", local_settings, engine, recorder.registry())
    assert not result.ok and "litwatch run" in result.detail and recorder.calls == []
    assert "job sync not run" in caplog.text


def test_listener_logs_every_run(caplog):
    caplog.set_level(logging.INFO, logger="litwatch")
    when = datetime(2025, 3, 31, 7, 0, tzinfo=LONDON)
    log_event(JobExecutionEvent(EVENT_JOB_EXECUTED, "sync", "default", when,
                                retval=JobResult("sync", True)))
    log_event(JobExecutionEvent(EVENT_JOB_EXECUTED, "digest", "default", when,
                                retval=JobResult("digest", False, "smtp down")))
    log_event(JobExecutionEvent(EVENT_JOB_ERROR, "sync", "default", when,
                                exception=RuntimeError("boom")))
    messages = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert ("INFO", "scheduled run of sync succeeded") in messages
    assert ("ERROR", "scheduled run of digest failed") in messages
    assert ("ERROR", "job sync raised boom") in messages


def test_run_once_runs_sync_then_digest_under_the_lock(local_settings, engine):
    recorder = Recorder(local_settings.schedule.lock_file)
    results = run_once(local_settings, engine, recorder.registry())
    assert [r.ok for r in results] == [True, True]
    assert recorder.calls == [("sync", True), ("digest", True)]


def test_a_crashing_job_is_a_failed_result_and_the_next_job_still_runs(local_settings,
                                                                       engine):
    recorder = Recorder(local_settings.schedule.lock_file, crash="sync")
    results = run_once(local_settings, engine, recorder.registry())
    assert results[0] == JobResult("sync", False, "RuntimeError: sync exploded")
    assert results[1].ok and len(recorder.calls) == 2


@pytest.fixture
def fake_digest(monkeypatch):
    """litwatch.digest.service replaced by a fake with a settable due week and outcome."""
    calls = []
    module = types.ModuleType("litwatch.digest.service")
    module.due = None
    module.status = "sent"

    def digest_due(settings, engine, now):
        return module.due

    def run_weekly_digest(settings, engine, now=None, week=None, send=True, force=False):
        calls.append((week, send))
        return types.SimpleNamespace(status=module.status, week=week, archive_path=None,
                                     error="smtp down" if module.status == "failed" else None)

    module.digest_due, module.run_weekly_digest, module.calls = digest_due, run_weekly_digest, calls
    monkeypatch.setitem(sys.modules, "litwatch.digest.service", module)
    return module


def test_digest_job_when_nothing_is_due(local_settings, engine, fake_digest):
    assert digest_job(local_settings, engine) == JobResult("digest", True, "no digest due")
    assert fake_digest.calls == []


@pytest.mark.parametrize("status,ok", [("sent", True), ("skipped", True), ("failed", False)])
def test_digest_job_sends_the_due_week(local_settings, engine, fake_digest, status, ok):
    fake_digest.due, fake_digest.status = "2025-W13", status
    result = digest_job(local_settings, engine, now=datetime(2025, 3, 31, 7, tzinfo=UTC))
    assert result.ok is ok and "2025-W13" in result.detail
    assert fake_digest.calls == [("2025-W13", True)]


@pytest.fixture
def run_cli(local_settings, monkeypatch, capsys, tmp_path):
    """`litwatch run` in-process with a fake job registry and a private lock file."""
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("LITWATCH_DATABASE_URL", local_settings.database_url)

    def run(recorder_kwargs: dict, *args: str) -> tuple[int, str, str, Recorder]:
        recorder = Recorder(tmp_path / "data" / "litwatch.lock", **recorder_kwargs)
        monkeypatch.setattr(schedule_cmd, "job_registry", recorder.registry)
        status = main(["--config", str(config), *args])
        out, err = capsys.readouterr()
        return status, out, err, recorder
    return run


def test_litwatch_run_exits_0_when_everything_succeeded(run_cli):
    status, out, _, recorder = run_cli({}, "run")
    assert status == 0 and "sync: ok" in out and "digest: ok" in out
    assert recorder.calls == [("sync", True), ("digest", True)]


@pytest.mark.parametrize("kwargs", [{"fail": "sync"}, {"fail": "digest"}, {"crash": "digest"}])
def test_litwatch_run_exits_1_when_a_step_failed(run_cli, kwargs):
    status, out, _, _ = run_cli(kwargs, "run")
    assert status == 1 and "FAILED" in out


def test_schedule_list_prints_the_next_runs(run_cli):
    status, out, _, _ = run_cli({}, "schedule", "--list")
    assert status == 0
    assert out.splitlines()[0].startswith("sync") and "digest" in out


def test_schedule_stops_cleanly_on_sigterm(tmp_path):
    config = tmp_path / "config.toml"
    # Crontabs that cannot fire while the test runs: no job touches the network.
    text = CONFIG.read_text(encoding="utf-8").replace('sync = "0 6 * * *"', 'sync = "0 0 1 1 *"')
    config.write_text(text.replace('digest = "0 7 * * mon"', 'digest = "0 0 1 1 *"'),
                      encoding="utf-8")
    # PYTHONFAULTHANDLER: a hang is aborted with every thread's stack on stderr, so a
    # failure says where the process was stuck (one was: the signal landed on another
    # thread; see the test below).
    env = dict(os.environ, LITWATCH_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}",
               PYTHONFAULTHANDLER="1")
    with subprocess.Popen([sys.executable, "-m", "litwatch", "--config", str(config),
                           "schedule"], env=env, cwd=REPO, stderr=subprocess.PIPE,
                          text=True) as proc:
        def abort() -> None:
            proc.send_signal(signal.SIGABRT)
            threading.Timer(10, proc.kill).start()
        watchdog = threading.Timer(90, abort)     # a bug must fail the test, not hang it
        watchdog.start()
        lines = []
        while not any("scheduler started" in line for line in lines):
            line = proc.stderr.readline()
            assert line, f"scheduler exited early: {lines}"
            lines.append(line)
        proc.send_signal(signal.SIGTERM)
        rest = proc.stderr.read()
        watchdog.cancel()
        assert proc.wait(timeout=30) == 0, rest[-4000:]
    assert "job sync scheduled" in "".join(lines)
    assert "received SIGTERM" in rest and "scheduler stopped" in rest


def test_a_stop_signal_delivered_to_another_thread_still_stops_the_scheduler():
    # The kernel may hand a process-directed SIGTERM to any thread; Python runs the
    # handler only when the main thread next runs bytecode.  A main loop that waited
    # on a lock until the next job (a day away) never saw it: seen once in CI.
    script = (
        "import signal, threading, time\n"
        "from litwatch.schedule.scheduler import build_scheduler, run_scheduler\n"
        "from litwatch.config.loader import load_settings\n"
        "import sys\n"
        "settings = load_settings(sys.argv[1])\n"
        "def kick():\n"
        "    time.sleep(1.0)\n"
        "    signal.pthread_kill(threading.get_ident(), signal.SIGTERM)\n"
        "    time.sleep(60)\n"
        "threading.Thread(target=kick, daemon=True).start()\n"
        "run_scheduler(build_scheduler(settings, None))\n"
        "print('stopped')\n")
    done = subprocess.run([sys.executable, "-c", script, str(CONFIG)], cwd=REPO,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "stopped" in done.stdout, done.stderr[-2000:]
