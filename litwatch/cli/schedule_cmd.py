"""`litwatch schedule` (long-running scheduler) and `litwatch run` (one pass, for cron)."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from litwatch.cli.app import App
from litwatch.schedule.jobs import JOBS, Job, run_once
from litwatch.schedule.runlock import LockBusy
from litwatch.schedule.scheduler import build_scheduler, describe_schedule, run_scheduler


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schedule", help="run sync and digest on the config.toml crontabs",
                       description="Run in the foreground (e.g. under systemd): the sync and "
                                   "digest jobs fire on [schedule] sync and digest in "
                                   "[schedule] timezone. Stops cleanly on SIGINT/SIGTERM.")
    p.add_argument("--list", action="store_true",
                   help="print each job's crontab line, time zone and next three run "
                        "times, then exit")
    p.set_defaults(func=cmd_schedule)

    p = sub.add_parser("run", help="one sync, then the weekly digest if due (for cron)",
                       description="One sync of every source and, when a digest is due, the "
                                   "digest and its email. Exit status 0 only when everything "
                                   "succeeded; 1 when a step failed or another run holds "
                                   "the lock ([schedule] lock_file).")
    p.set_defaults(func=cmd_run)


def job_registry() -> dict[str, Job]:
    """The jobs `run` uses (tests replace it); each reads the pinned clock, if any,
    from settings.today ($LITWATCH_TODAY), so sync and digest agree on the date."""
    return dict(JOBS)


def _log_runs() -> None:
    # Job runs are the point of these commands: log them even without --verbose.
    logging.getLogger("litwatch").setLevel(logging.INFO)


def cmd_schedule(app: App, args: argparse.Namespace) -> int:
    if args.list:
        # Real time, even with $LITWATCH_TODAY: the scheduler fires on the real clock.
        now = datetime.now(ZoneInfo(app.settings.schedule.timezone))
        print("\n".join(describe_schedule(app.settings, now)))
        return 0
    _log_runs()
    run_scheduler(build_scheduler(app.settings, app.engine))
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
