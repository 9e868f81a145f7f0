"""The scheduled jobs as plain functions: sync, and the weekly digest when one is due.

`litwatch run`, the scheduler and the tests all call these.  A job takes the
settings and the engine and returns a JobResult; it never raises, so a failure is
reported the same way whoever started it.  Jobs are looked up in a registry
(JOBS) that callers may replace, e.g. tests with fakes or `run` with a pinned date.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine

from litwatch.config.loader import Settings
from litwatch.schedule.runlock import LockBusy, run_lock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobResult:
    name: str
    ok: bool
    detail: str = ""


Job = Callable[[Settings, Engine], JobResult]


def sync_job(settings: Settings, engine: Engine, today: date | None = None) -> JobResult:
    """One incremental sync of every source, on the pinned day if settings.today is set."""
    from litwatch.config.checks import warn_missing_email
    from litwatch.http import HttpClient
    from litwatch.sync import SOURCES, SyncContext, run_sync

    http = HttpClient(settings.http, secrets=settings.secrets())
    ctx = SyncContext(settings, engine, http, log=log.warning)
    ctx.today = today or settings.today or ctx.today
    warn_missing_email(settings)
    report = run_sync(ctx, SOURCES)
    parts = [f"{s.source} {'ok' if s.ok else 'FAILED'}: {s.counts.new} new, "
             f"{s.counts.updated} updated" for s in report.sources]
    parts += [f"{s.source} error: {s.error}" for s in report.sources if s.error]
    return JobResult("sync", report.ok, "; ".join(parts))


def digest_job(settings: Settings, engine: Engine, now: datetime | None = None) -> JobResult:
    """Render and email the weekly digest if one is due (none due is success)."""
    try:
        # Imported here: the digest is optional for sync-only installs and tests.
        from litwatch.digest.service import digest_due, run_weekly_digest
    except ImportError as exc:
        return JobResult("digest", False, f"digest unavailable: {exc}")
    now = now or settings.now(settings.digest.timezone)    # pinned by settings.today
    week = digest_due(settings, engine, now)
    if week is None:
        return JobResult("digest", True, "no digest due")
    outcome = run_weekly_digest(settings, engine, now=now, week=week, send=True)
    detail = f"week {outcome.week}: {outcome.status}"
    if outcome.error:
        detail += f" ({outcome.error})"
    return JobResult("digest", outcome.status in ("sent", "skipped"), detail)


JOBS: dict[str, Job] = {"sync": sync_job, "digest": digest_job}
RUN_ORDER = ("sync", "digest")


def run_job(name: str, job: Job, settings: Settings, engine: Engine) -> JobResult:
    """Call a job; an exception becomes a failed JobResult (and a logged traceback)."""
    log.info("job %s started", name)
    try:
        result = job(settings, engine)
    except Exception as exc:
        log.exception("job %s crashed", name)
        result = JobResult(name, False, f"{type(exc).__name__}: {exc}")
    log.log(logging.INFO if result.ok else logging.ERROR, "job %s %s: %s", name,
            "finished" if result.ok else "FAILED", result.detail)
    return result


def run_locked(name: str, settings: Settings, engine: Engine,
               jobs: Mapping[str, Job] = JOBS, wait_seconds: float = 0.0) -> JobResult:
    """One job under the run lock (the scheduler's entry point).  A lock held
    elsewhere for longer than `wait_seconds` makes this run a logged failure."""
    try:
        with run_lock(settings.schedule.lock_file, f"litwatch schedule ({name})", wait_seconds):
            return run_job(name, jobs[name], settings, engine)
    except LockBusy as exc:
        log.error("job %s not run: %s", name, exc)
        return JobResult(name, False, str(exc))


def run_once(settings: Settings, engine: Engine, jobs: Mapping[str, Job] = JOBS,
             command: str = "litwatch run") -> list[JobResult]:
    """Sync then digest under one lock.  Raises LockBusy when another run holds it."""
    with run_lock(settings.schedule.lock_file, command):
        return [run_job(name, jobs[name], settings, engine) for name in RUN_ORDER]
