"""`litwatch init`, `litwatch sync`, `litwatch stats`."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from litwatch.cli.app import App, UsageError, parse_date
from litwatch.config.checks import warn_missing_email
from litwatch.config.loader import (
    ConfigError,
    default_config_path,
    example_config_path,
    load_settings,
)
from litwatch.http import HttpClient
from litwatch.search.stats import collect_stats
from litwatch.store.engine import open_engine
from litwatch.sync import SOURCES, SyncContext, run_sync
from litwatch.sync.context import Progress as ProgressBase


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create the database (and config.toml if missing)",
                       description="Write config.toml (default: $LITWATCH_CONFIG, else "
                                   "./config.toml) if it is missing, then create the database "
                                   "it names. Prints the config file and database in use.")
    # SUPPRESS: without it the subcommand's default would overwrite a global --config.
    p.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                   help="config file to write and use (same as litwatch --config PATH init)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("sync", help="pull new and changed records from the sources",
                       description="Pull new and changed records from PubMed, "
                                   "ClinicalTrials.gov and the configured feeds. Exit status "
                                   "1 when any source failed (its watermark is kept).")
    p.add_argument("--source", choices=SOURCES, action="append",
                   help="only this source (repeatable; default: all)")
    p.add_argument("--since", metavar="DATE", help="window start YYYY-MM-DD (default: the "
                   "last successful run minus the overlap days)")
    p.add_argument("--full", action="store_true", help="ignore watermarks; read everything")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("stats", help="what the store holds and how the last runs went")
    p.set_defaults(func=cmd_stats)


def cmd_init(app: App, args: argparse.Namespace) -> int:
    # The file written here is the one every later command in this directory reads,
    # and its relative paths resolve beside it: never the checkout's or the package's.
    config = Path(args.config) if args.config else default_config_path() or Path("config.toml")
    if not config.exists():
        try:
            config.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(example_config_path(), config)
        except OSError as exc:
            raise ConfigError(f"{config}: cannot write: {exc.strerror or exc}") from None
        print(f"wrote {config}")
    settings = load_settings(config)
    open_engine(settings.database_url).dispose()   # creates and migrates the schema
    print(f"config file: {config.resolve()}")
    print(f"database ready: {settings.database_url}")
    return 0


class RichProgress(ProgressBase):
    def __init__(self, console: Console):
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                                 transient=True)
        self.task: TaskID | None = None

    def start(self, description: str, total: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task(description, total=total or None)

    def advance(self, amount: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, amount)

    def stop(self) -> None:
        self.progress.stop()
        self.task = None


def cmd_sync(app: App, args: argparse.Namespace) -> int:
    since = parse_date(args.since, "--since")
    if since and args.full:
        raise UsageError("--since and --full exclude each other")
    settings = app.settings             # validated (incl. LITWATCH_TODAY) before any write
    if "pubmed" in (args.source or SOURCES):
        warn_missing_email(settings)
    console = Console(stderr=True)
    http = HttpClient(settings.http, secrets=settings.secrets())
    ctx = SyncContext(settings, app.engine, http,
                      progress=ProgressBase() if args.quiet or not console.is_terminal
                      else RichProgress(console),
                      log=lambda m: console.print(f"[yellow]{m}[/]", highlight=False))
    ctx.today = settings.today or ctx.today
    from litwatch.schedule.runlock import run_lock

    # The same lock as `run` and `schedule`: two syncs at once would race on the
    # watermarks, and the lock is what lets a sync close runs a killed one left open.
    with run_lock(settings.schedule.lock_file, "litwatch sync"):
        report = run_sync(ctx, args.source or SOURCES, since, args.full)
    print_sync_summary(report)
    return 0 if report.ok else 1


def print_sync_summary(report) -> None:
    console = Console()
    table = Table(title="litwatch sync", show_lines=False)
    for column in ("source", "status", "new", "updated", "unchanged", "failed", "requests",
                   "seconds"):
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    for s in report.sources:
        c = s.counts
        table.add_row(s.source, _status_word(s), str(c.new), str(c.updated),
                      str(c.unchanged), str(c.failed), str(c.requests), f"{s.seconds:.1f}")
    console.print(table)
    for s in report.sources:
        if s.error:
            console.print(f"[red]{s.source} failed:[/] {s.error}", highlight=False)
    if report.interrupted:
        console.print(f"closed {report.interrupted} earlier run(s) a killed process left "
                      "running (status: interrupted)", highlight=False)


def _status_word(source) -> str:
    """A source that skipped unreadable records did not simply succeed."""
    if not source.ok:
        return "[red]FAILED[/]"
    return f"[yellow]partial ({source.counts.failed} skipped)[/]" if source.counts.failed else "ok"


def cmd_stats(app: App, args: argparse.Namespace) -> int:
    stats = collect_stats(app.engine)
    console = Console()
    console.print(f"database: {app.settings.database_url}", highlight=False)
    for title, rows in stats.tables().items():
        table = Table(title=title)
        # Header cells are strings; the stats rows are typed `object` for the counts.
        table.add_column(str(rows[0][0]))
        for column in rows[0][1:]:
            table.add_column(str(column), justify="right")
        for row in rows[1:]:
            table.add_row(*[str(v) for v in row])
        console.print(table)
    return 0
