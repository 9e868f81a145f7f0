"""What every source sync needs: settings, database, HTTP client, clock, progress."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine

from litwatch.config.loader import Settings
from litwatch.http import HttpClient, SourceError
from litwatch.store.runs import RunCounts, finish_run, start_run


class Progress:
    """Progress callbacks; the CLI passes a rich-backed subclass, tests the default."""

    def start(self, description: str, total: int) -> None: ...

    def advance(self, amount: int) -> None: ...

    def stop(self) -> None: ...


@dataclass
class SyncContext:
    settings: Settings
    engine: Engine
    http: HttpClient
    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    progress: Progress = field(default_factory=Progress)
    log: Callable[[str], None] = lambda message: None

    def now(self) -> datetime:
        """The time stamped on stored rows: real time, unless the clock is pinned to
        another day (the demo and tests replay past weeks), then noon of that day."""
        real = datetime.now(UTC)
        return real if real.date() == self.today else datetime.combine(self.today, time(12),
                                                                        UTC)


@dataclass
class SourceReport:
    source: str
    counts: RunCounts = field(default_factory=RunCounts)
    error: str | None = None
    queries: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def window_start(watermark: str | None, overlap_days: int, since: date | None,
                 full: bool) -> date | None:
    """Where a query's window begins: --since wins, --full reads everything."""
    if full:
        return None
    if since:
        return since
    if watermark:
        return date.fromisoformat(watermark) - timedelta(days=overlap_days)
    return None


@contextmanager
def tracked_run(ctx: SyncContext, source: str, query: str, start: date | None,
                request_sources: tuple[str, ...] = ()) -> Iterator[RunCounts]:
    """One sync_run row around a (source, query): opened on entry, closed on exit with
    the counts and the requests made meanwhile.  Only a clean exit advances the
    watermark; a SourceError or an interruption closes the run as failed and
    propagates, so the next run reads the same window again."""
    run_id = start_run(ctx.engine, source, query, start.isoformat() if start else None,
                       ctx.today.isoformat())
    counts = RunCounts()
    before = sum(ctx.http.requests_made[s] for s in request_sources)
    error: str | None = None
    try:
        yield counts
    except SourceError as exc:
        error = str(exc)
        raise
    except BaseException as exc:
        error = f"interrupted ({type(exc).__name__})"
        raise
    finally:
        counts.requests = sum(ctx.http.requests_made[s] for s in request_sources) - before
        finish_run(ctx.engine, run_id, counts, error,
                   watermark=None if error else ctx.today.isoformat())
