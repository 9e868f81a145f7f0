"""`litwatch schedule` (long-running scheduler) and `litwatch run` (one pass, for cron)."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from litwatch.cli.app import App
from litwatch.cli.sync_cmd import today_from_env
from litwatch.schedule.jobs import JOBS, Job, run_once, sync_job
from litwatch.schedule.runlock import LockBusy
from litwatch.schedule.scheduler import build_scheduler, run_scheduler


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schedule", help="run sync and digest on the config.toml crontabs",
                       description="Run in the foreground (e.g. under systemd): the sync and "
                                   "digest jobs fire on [schedule] sync and digest in "
                                   "[schedule] timezone. Stops cleanly on SIGINT/SIGTERM.")
    p.add_argument("--list", action="store_true",
                   help="print the jobs and their next run times, then exit")
    p.set_defaults(func=cmd_schedule)

    p = sub.add_parser("run", help="one sync, then the weekly digest if due (for cron)",
                       description="One sync of every source and, when a digest is due, the "
                                   "digest and its email. Exit status 0 only when everything "
                                   "succeeded; 1 when a step failed or another run holds "
                                   "the lock ([schedule] lock_file).")
    p.set_defaults(func=cmd_run)


def job_registry() -> dict[str, Job]:
    """The jobs `run` uses; $LITWATCH_TODAY pins the sync's clock as for `sync`."""
    return dict(JOBS, sync=partial(sync_job, today=today_from_env()))


def _log_runs() -> None:
    # Job runs are the point of these commands: log them even without --verbose.
    logging.getLogger("litwatch").setLevel(logging.INFO)


def cmd_schedule(app: App, args: argparse.Namespace) -> int:
    _log_runs()
    scheduler = build_scheduler(app.settings, app.engine)
    if args.list:
        now = datetime.now(ZoneInfo(app.settings.schedule.timezone))
        for job in scheduler.get_jobs():
            next_run = job.trigger.get_next_fire_time(None, now)
            print(f"{job.id:8} {next_run.isoformat() if next_run else 'never':28} {job.trigger}")
        return 0
    run_scheduler(scheduler)
    return 0


def cmd_run(app: App, args: argparse.Namespace) -> int:
    _log_runs()
    try:
        results = run_once(app.settings, app.engine, job_registry())
    except LockBusy as exc:
        print(f"litwatch: {exc}", file=sys.stderr)
        return 1
    for result in results:
        print(f"{result.name}: {'ok' if result.ok else 'FAILED'}  {result.detail}")
    return 0 if all(r.ok for r in results) else 1
