"""`litwatch schedule`: APScheduler 3.x running the jobs on the crontabs in config.toml.

Wiring only: the jobs are plain functions in litwatch.schedule.jobs.  build_scheduler
returns an unstarted scheduler so tests can inspect its jobs and triggers;
run_scheduler starts it, blocks, and stops cleanly on SIGINT/SIGTERM (a running
job is allowed to finish).  Coalescing, one instance per job and a misfire grace
time mean a host that slept through 06:00 runs the sync once when it wakes, not
once per missed day.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Mapping
from datetime import datetime
from threading import TIMEOUT_MAX
from time import monotonic
from types import FrameType
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_SCHEDULER_STARTED,
    JobEvent,
    JobExecutionEvent,
    SchedulerEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from litwatch.config.loader import ConfigError, Settings
from litwatch.schedule.jobs import JOBS, RUN_ORDER, Job, JobResult, run_locked

log = logging.getLogger(__name__)
_EVENTS = EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES


def make_trigger(expression: str, timezone: str, key: str) -> CronTrigger:
    """A CronTrigger from crontab syntax; a bad expression names its config key."""
    try:
        return CronTrigger.from_crontab(expression, timezone=ZoneInfo(timezone))
    except ValueError as exc:
        raise ConfigError(f"{key}: invalid crontab expression {expression!r}: {exc}") from None


def next_fire_times(trigger: CronTrigger, now: datetime, count: int = 3) -> list[datetime]:
    """The trigger's next `count` fire times after `now` (fewer if it stops firing)."""
    times: list[datetime] = []
    fire = trigger.get_next_fire_time(None, now)
    while fire is not None and len(times) < count:
        times.append(fire)
        # With the previous fire time given, APScheduler looks from just after it.
        fire = trigger.get_next_fire_time(fire, fire)
    return times


def describe_schedule(settings: Settings, now: datetime, count: int = 3) -> list[str]:
    """What `schedule --list` prints: per job its crontab line, zone and next fire times.

    Built from the settings rather than a scheduler's jobs, because a CronTrigger
    no longer knows the crontab text it was made from.
    """
    sched = settings.schedule
    lines = []
    for name in RUN_ORDER:
        expression = getattr(sched, name)
        trigger = make_trigger(expression, sched.timezone, f"schedule.{name}")
        lines.append(f'{name}: "{expression}" ({sched.timezone}, [schedule] {name})')
        times = next_fire_times(trigger, now, count)
        lines += [f"  {t:%a %Y-%m-%d %H:%M %Z}" for t in times] or ["  never fires"]
    return lines


def log_event(event: JobEvent) -> None:
    """One log line per run, whatever happened to it."""
    if event.code == EVENT_JOB_MISSED:
        log.warning("job %s missed its run at %s (beyond the misfire grace time)",
                    event.job_id, getattr(event, "scheduled_run_time", "?"))
    elif event.code == EVENT_JOB_MAX_INSTANCES:
        log.warning("job %s still running; this run was skipped", event.job_id)
    elif isinstance(event, JobExecutionEvent) and event.exception is not None:
        log.error("job %s raised %s", event.job_id, event.exception)
    elif isinstance(event, JobExecutionEvent):
        result = event.retval
        ok = isinstance(result, JobResult) and result.ok
        log.log(logging.INFO if ok else logging.ERROR, "scheduled run of %s %s",
                event.job_id, "succeeded" if ok else "failed")


# How often the main thread wakes while it waits for the next job.
_WAKE_SECONDS = 1.0


class _WakingScheduler(BlockingScheduler):
    """BlockingScheduler whose main thread wakes every _WAKE_SECONDS while it waits.

    A SIGTERM the kernel delivers to another thread of the process (the stop watcher, a
    job's worker) runs its Python handler only when the main thread next runs bytecode;
    APScheduler's loop waits on a lock until the next job, which with the sync a day
    away means the stop was never seen (a CI run hung until it was killed)."""

    def _main_loop(self) -> None:
        wait_seconds: float | None = TIMEOUT_MAX
        while self.state != STATE_STOPPED:
            deadline = monotonic() + (TIMEOUT_MAX if wait_seconds is None else wait_seconds)
            while not self._event.wait(min(_WAKE_SECONDS, max(0.0, deadline - monotonic()))):
                if self.state == STATE_STOPPED or monotonic() >= deadline:
                    break
            self._event.clear()
            wait_seconds = self._process_jobs()


def build_scheduler(settings: Settings, engine: Engine, jobs: Mapping[str, Job] = JOBS,
                    scheduler: BaseScheduler | None = None) -> BaseScheduler:
    """The scheduler with one cron job per entry of RUN_ORDER, not started."""
    sched = settings.schedule
    scheduler = scheduler or _WakingScheduler(
        timezone=ZoneInfo(sched.timezone),
        executors={"default": ThreadPoolExecutor(max_workers=len(RUN_ORDER))})
    for name in RUN_ORDER:
        trigger = make_trigger(getattr(sched, name), sched.timezone, f"schedule.{name}")
        # A job waiting for the lock (e.g. the Monday digest behind a slow sync) waits
        # as long as it would still be allowed to start late.
        scheduler.add_job(run_locked, trigger, id=name, name=f"litwatch {name}",
                          args=[name, settings, engine, jobs, sched.misfire_grace_seconds],
                          coalesce=True, max_instances=1,
                          misfire_grace_time=sched.misfire_grace_seconds,
                          replace_existing=True)
    scheduler.add_listener(log_event, _EVENTS)
    return scheduler


def _shutdown(scheduler: BaseScheduler) -> None:
    # wait=False: the scheduler loop must return from start() promptly;
    # run_scheduler then waits for running jobs.
    try:
        scheduler.shutdown(wait=False)
    except SchedulerNotRunningError:
        pass                                  # a second signal, or one before start()


def install_signal_handlers(scheduler: BaseScheduler) -> threading.Event:
    """SIGINT/SIGTERM stop the scheduler, even when they arrive before it runs.

    The handler only records the signal and sets an Event; a watcher thread started
    here, before any signal, logs it and shuts the scheduler down.  Logging, starting a
    thread or touching the scheduler's own Event inside the handler can deadlock on a
    lock the interrupted main thread holds (a logging stream, threading's thread table,
    the scheduler's wakeup Event)."""
    stop_requested = threading.Event()
    received: list[str] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        received.append(signal.Signals(signum).name)
        stop_requested.set()        # its lock is only ever taken by this and the watcher

    def watch() -> None:
        stop_requested.wait()
        log.warning("received %s: stopping (a running job is allowed to finish)",
                    received[0] if received else "a stop signal")
        if scheduler.running:
            _shutdown(scheduler)

    def started(_event: SchedulerEvent) -> None:
        log.info("scheduler started")
        if stop_requested.is_set():
            _shutdown(scheduler)

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    threading.Thread(target=watch, daemon=True, name="litwatch-stop").start()
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    return stop_requested


def run_scheduler(scheduler: BaseScheduler) -> None:
    """Start and block until SIGINT/SIGTERM, then let running jobs finish."""
    install_signal_handlers(scheduler)
    for job in scheduler.get_jobs():
        log.info("job %s scheduled: %s", job.id, job.trigger)
    scheduler.start()                     # blocks (BlockingScheduler)
    for executor in scheduler._executors.values():   # no public way to join the workers
        executor.shutdown(wait=True)
    log.info("scheduler stopped")
