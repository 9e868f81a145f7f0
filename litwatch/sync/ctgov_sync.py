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
from litwatch.store.runs import (
    RunCounts,
    finish_run,
    get_watermark,
    start_run,
    stored_versions,
)
from litwatch.store.upsert import tag_records
from litwatch.sync.context import SourceReport, SyncContext, window_start
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
    run_id = start_run(ctx.engine, SOURCE, query.name, start.isoformat() if start else None,
                       ctx.today.isoformat())
    counts, seen, error = RunCounts(), set(), None
    before = ctx.http.requests_made[SOURCE]
    params = study_params(ctx.settings.drug_terms, query.ctgov, start,
                          ctx.settings.ctgov.page_size)
    total = None
    try:
        for page in client.pages(params):
            total = page.total_count if total is None else total
            _store_page(ctx, page.studies, query.name, seen, counts)
            ctx.progress.advance(len(page.studies))
        if total is not None and len(seen) < total:
            raise SourceError(f"ctgov: {total - len(seen)} of {total} studies vanished between "
                              f"pages for query {query.name!r}; watermark kept")
    except SourceError as exc:
        error = str(exc)
    counts.requests = ctx.http.requests_made[SOURCE] - before
    finish_run(ctx.engine, run_id, counts, error, watermark=ctx.today.isoformat())
    report.counts.add(counts)
    if error and not report.error:
        report.error = error


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
