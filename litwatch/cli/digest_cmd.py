"""`litwatch digest`: render (and with --send, email once) the weekly digest."""

from __future__ import annotations

import argparse
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from litwatch.cli.app import App, UsageError, parse_date
from litwatch.digest.service import render_window, run_digest
from litwatch.digest.window import Window, days_window, last_complete_week, week_window


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "digest", help="render the weekly digest (and send it with --send)",
        description="Render the digest of an ISO week (default: the last complete week in "
                    "digest.timezone) or of --since..--until, archive it as HTML in "
                    "digest.archive_dir, and with --send email it once. Exit status 1 when "
                    "the send failed (it is recorded and retried by the next run).")
    p.add_argument("--week", metavar="YYYY-Www",
                   help="ISO week, e.g. 2026-W46 (or 2026-w46); not one still to come")
    p.add_argument("--since", metavar="DATE", help="first day YYYY-MM-DD (instead of --week)")
    p.add_argument("--until", metavar="DATE", help="last day YYYY-MM-DD (default: today)")
    p.add_argument("--out", metavar="FILE", help="also write the full digest HTML here")
    p.add_argument("--send", action="store_true", help="email it (once per week)")
    p.add_argument("--force", action="store_true", help="with --send: send even if already sent")
    p.set_defaults(func=cmd_digest)


def window_from_args(args: argparse.Namespace, tz: str, now: datetime) -> Window:
    if args.week and (args.since or args.until):
        raise UsageError("--week excludes --since/--until")
    if args.until and not args.since:
        raise UsageError("--until needs --since")
    if args.week:
        try:
            window = week_window(args.week, tz)
        except ValueError as exc:
            raise UsageError(f"--week: {exc}") from None
        return not_future(window, now, "--week")
    if args.since:
        since = parse_date(args.since, "--since")
        assert since is not None    # parse_date returns None only for a missing value
        today = now.astimezone(ZoneInfo(tz)).date()
        until = parse_date(args.until, "--until") or today
        try:
            days = days_window(since, until, tz) if since <= today else None
        except ValueError as exc:
            raise UsageError(f"--until: {exc}") from None
        return not_future(days or days_window(since, since, tz), now, "--since")
    return last_complete_week(now, tz)


def not_future(window: Window, now: datetime, option: str) -> Window:
    """Refuse a window that has not begun: its digest would be empty, not "nothing new"."""
    today = now.astimezone(window.start.tzinfo).date()
    if window.first_day > today:
        what = window.label if option == "--week" else str(window.first_day)
        raise UsageError(f"{option}: {what} is still to come (today is {today} in "
                         f"{window.start.tzinfo}); there is nothing to digest yet")
    return window


def cmd_digest(app: App, args: argparse.Namespace) -> int:
    if args.force and not args.send:
        raise UsageError("--force only makes sense with --send")
    settings = app.settings
    now = settings.now(settings.digest.timezone)     # pinned by $LITWATCH_TODAY
    window = window_from_args(args, settings.digest.timezone, now)
    if not args.send:
        rendered = render_window(settings, app.engine, window, now)
        unfinished = " (not over yet: so far)" if window.end > now else ""
        print(f"{window.label}: {rendered.item_count} items{unfinished}, "
              f"{len(rendered.html.encode()) // 1024} KB email HTML")
        _report_files(rendered.archive_path, args.out)
        return 0
    outcome = run_digest(settings, app.engine, window, now=now, force=args.force)
    if outcome.archive_path:
        _report_files(outcome.archive_path, args.out)
    if outcome.status == "failed":
        print(f"{window.label}: send FAILED (recorded; the next run retries): {outcome.error}")
        return 1
    # The service words its skip for any caller ("use force"); on the command line the
    # way to send again is the option, so name it.
    reason = (outcome.error or "").replace("use force", "use --force")
    detail = f" ({reason})" if reason else ""
    print(f"{window.label}: {outcome.status}{detail}")
    return 0


def _report_files(archive: Path, out: str | None) -> None:
    print(f"wrote {archive}")
    if out:
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(archive, target)
        print(f"wrote {target}")
