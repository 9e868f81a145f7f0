"""`litwatch digest`: render (and with --send, email once) the weekly digest."""

from __future__ import annotations

import argparse
import shutil
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from litwatch.cli.app import App, UsageError, parse_date
from litwatch.cli.sync_cmd import today_from_env
from litwatch.digest.service import render_window, run_digest
from litwatch.digest.window import Window, days_window, last_complete_week, week_window


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "digest", help="render the weekly digest (and send it with --send)",
        description="Render the digest of an ISO week (default: the last complete week in "
                    "digest.timezone) or of --since..--until, archive it as HTML in "
                    "digest.archive_dir, and with --send email it once. Exit status 1 when "
                    "the send failed (it is recorded and retried by the next run).")
    p.add_argument("--week", metavar="YYYY-Www", help="ISO week, e.g. 2026-W46")
    p.add_argument("--since", metavar="DATE", help="first day YYYY-MM-DD (instead of --week)")
    p.add_argument("--until", metavar="DATE", help="last day YYYY-MM-DD (default: today)")
    p.add_argument("--out", metavar="FILE", help="also write the full digest HTML here")
    p.add_argument("--send", action="store_true", help="email it (once per week)")
    p.add_argument("--force", action="store_true", help="with --send: send even if already sent")
    p.set_defaults(func=cmd_digest)


def now_in(tz: str) -> datetime:
    """Now, or noon of $LITWATCH_TODAY when the clock is pinned (demo, tests)."""
    pinned = today_from_env()
    if pinned:
        return datetime.combine(pinned, time(12), ZoneInfo(tz))
    return datetime.now(UTC)


def window_from_args(args: argparse.Namespace, tz: str, now: datetime) -> Window:
    if args.week and (args.since or args.until):
        raise UsageError("--week excludes --since/--until")
    if args.until and not args.since:
        raise UsageError("--until needs --since")
    if args.week:
        try:
            return week_window(args.week, tz)
        except ValueError as exc:
            raise UsageError(f"--week: {exc}") from None
    if args.since:
        since = parse_date(args.since, "--since")
        until = parse_date(args.until, "--until") or now.astimezone(ZoneInfo(tz)).date()
        try:
            return days_window(since, until, tz)
        except ValueError as exc:
            raise UsageError(f"--until: {exc}") from None
    return last_complete_week(now, tz)


def cmd_digest(app: App, args: argparse.Namespace) -> int:
    if args.force and not args.send:
        raise UsageError("--force only makes sense with --send")
    settings = app.settings
    now = now_in(settings.digest.timezone)
    window = window_from_args(args, settings.digest.timezone, now)
    if not args.send:
        rendered = render_window(settings, app.engine, window, now)
        print(f"{window.label}: {rendered.item_count} items, "
              f"{len(rendered.html.encode()) // 1024} KB email HTML")
        _report_files(rendered.archive_path, args.out)
        return 0
    outcome = run_digest(settings, app.engine, window, now=now, force=args.force)
    if outcome.archive_path:
        _report_files(outcome.archive_path, args.out)
    if outcome.status == "failed":
        print(f"{window.label}: send FAILED (recorded; the next run retries): {outcome.error}")
        return 1
    detail = f" ({outcome.error})" if outcome.error else ""
    print(f"{window.label}: {outcome.status}{detail}")
    return 0


def _report_files(archive: Path, out: str | None) -> None:
    print(f"wrote {archive}")
    if out:
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(archive, target)
        print(f"wrote {target}")
