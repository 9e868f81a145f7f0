"""What every source sync needs: settings, database, HTTP client, clock, progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine

from litwatch.config.loader import Settings
from litwatch.http import HttpClient
from litwatch.store.runs import RunCounts


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
