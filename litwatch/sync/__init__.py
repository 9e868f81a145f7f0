"""Orchestrate a sync over the chosen sources; the CLI and scheduler call run_sync."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from litwatch.store.runs import close_interrupted_runs
from litwatch.sync.context import Progress, SourceReport, SyncContext
from litwatch.sync.ctgov_sync import sync_ctgov
from litwatch.sync.feeds_sync import sync_feeds
from litwatch.sync.gaps import refresh_publication_gaps
from litwatch.sync.indexing import update_search_index
from litwatch.sync.pubmed_sync import sync_pubmed

SOURCES = ("pubmed", "ctgov", "feeds")


@dataclass
class SyncReport:
    sources: list[SourceReport] = field(default_factory=list)
    interrupted: int = 0          # earlier runs found "running" and closed

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.sources)

    @property
    def errors(self) -> list[str]:
        return [s.error for s in self.sources if s.error]


def run_sync(ctx: SyncContext, sources: Iterable[str] = SOURCES, since: date | None = None,
             full: bool = False) -> SyncReport:
    """Sync each source in turn.  A failing source does not stop the others, but the
    report (and the exit status) says the run failed.  The caller holds the run lock,
    so runs a killed process left "running" are closed as interrupted first."""
    report = SyncReport(interrupted=close_interrupted_runs(ctx.engine))
    for source in sources:
        if source == "pubmed":
            report.sources.append(sync_pubmed(ctx, since, full))
        elif source == "ctgov":
            report.sources.append(sync_ctgov(ctx, since, full))
        elif source == "feeds":
            report.sources.append(sync_feeds(ctx))
        else:
            raise ValueError(f"unknown source {source!r} (known: {', '.join(SOURCES)})")
    # Links may have arrived from either side; gaps are recomputed over the whole store.
    refresh_publication_gaps(ctx.engine, ctx.today)
    update_search_index(ctx.engine, ctx.log)
    return report


__all__ = ["run_sync", "SyncContext", "SyncReport", "SourceReport", "Progress", "SOURCES",
           "update_search_index"]
