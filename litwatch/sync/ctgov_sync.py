"""Sync ClinicalTrials.gov: one /studies query per indication, paged to the end.

Dedup is on (NCT id, lastUpdatePostDate): a study whose stored version carries
the same update date is not touched.  If fewer studies arrive than the first
page's totalCount promised, records vanished between pages: the run fails and
the watermark stays, so the next run reads the window again.
"""

from __future__ import annotations

import json
import time
from datetime import date

from litwatch.http import BadPayload, SourceError
from litwatch.sources.ctgov import SOURCE, CtgovClient, study_params
from litwatch.sources.ctgov_json import parse_study
from litwatch.store.runs import RunCounts, get_watermark, stored_versions
from litwatch.store.upsert import tag_records
from litwatch.sync.context import SourceReport, SyncContext, tracked_run, window_start
from litwatch.sync.pipeline import Incoming, ingest_batch


def _store_page(ctx: SyncContext, studies: list[dict], query: str, seen: set[str],
                counts: RunCounts) -> None:
    trials = []
    for study in studies:
        try:
            trial = parse_study(study)
        except BadPayload as exc:
            counts.failed += 1
            ctx.log(f"ctgov: skipped an unreadable study: {exc}")
            continue
        if trial.nct_id in seen:
            continue
        seen.add(trial.nct_id)
        trials.append((trial, study))
    counts.fetched += len(trials)
    known = stored_versions(ctx.engine, SOURCE, [t.nct_id for t, _ in trials])
    items, same = [], []
    for trial, study in trials:
        if trial.nct_id in known and known[trial.nct_id] == trial.last_update_post_date:
            same.append(trial.nct_id)
            continue
        raw = json.dumps(study, ensure_ascii=False).encode()
        items.append(Incoming(trial, raw, None, [query]))
    counts.unchanged += len(tag_records(ctx.engine, SOURCE, same, query))
    stored = ingest_batch(ctx.engine, items, now=ctx.now())
    counts.add_stored(stored)


def _sync_query(ctx: SyncContext, client: CtgovClient, query, since: date | None,
                full: bool, report: SourceReport) -> None:
    start = window_start(get_watermark(ctx.engine, SOURCE, query.name),
                         ctx.settings.ctgov.overlap_days, since, full)
    params = study_params(ctx.settings.drug_terms, query.ctgov, start,
                          ctx.settings.ctgov.page_size)
    counts = RunCounts()
    try:
        with tracked_run(ctx, SOURCE, query.name, start, (SOURCE,)) as counts:
            seen: set[str] = set()
            total = None
            for page in client.pages(params):
                total = page.total_count if total is None else total
                _store_page(ctx, page.studies, query.name, seen, counts)
                ctx.progress.advance(len(page.studies))
            if total is not None and len(seen) < total:
                raise SourceError(f"ctgov: {total - len(seen)} of {total} studies vanished "
                                  f"between pages for query {query.name!r}; watermark kept")
    except SourceError as exc:
        report.error = report.error or str(exc)
    report.counts.add(counts)


def sync_ctgov(ctx: SyncContext, since: date | None = None, full: bool = False) -> SourceReport:
    started = time.monotonic()
    report = SourceReport(SOURCE, queries=len(ctx.settings.indications))
    client = CtgovClient(ctx.http, ctx.settings.ctgov)
    ctx.progress.start("ClinicalTrials.gov studies", 0)
    for query in ctx.settings.indications:
        _sync_query(ctx, client, query, since, full, report)
    ctx.progress.stop()
    report.seconds = time.monotonic() - started
    return report
