"""Sync RSS/Atom feeds.  Items naming a PMID become (or join) the PubMed record.

A PubMed RSS item is the same paper as the E-utilities record of that PMID, so
it is never stored twice: a stored paper gains the feed's name in its matched
queries; an unknown PMID is fetched through E-utilities.  Other items (preprints)
are stored as feed records when they mention a drug term.
"""

from __future__ import annotations

import json
import time

from litwatch.http import SourceError
from litwatch.sources.feed_parse import mentions_any
from litwatch.sources.feeds import SOURCE, fetch_feed
from litwatch.store.runs import (
    RunCounts,
    finish_run,
    get_feed_state,
    set_feed_state,
    start_run,
)
from litwatch.store.upsert import tag_records
from litwatch.sync.context import SourceReport, SyncContext
from litwatch.sync.pipeline import Incoming, ingest_batch
from litwatch.sync.pubmed_sync import fetch_pmids


def _sync_feed(ctx: SyncContext, name: str, url: str, report: SourceReport) -> None:
    run_id = start_run(ctx.engine, SOURCE, name, None, ctx.today.isoformat())
    counts, error = RunCounts(), None
    before = ctx.http.requests_made[SOURCE] + ctx.http.requests_made["pubmed"]
    try:
        state = get_feed_state(ctx.engine, name)
        fetched = fetch_feed(ctx.http, name, url, state.etag if state else "",
                             state.last_modified if state else "")
        if not fetched.not_modified:
            relevant = [i for i in fetched.items if mentions_any(i, ctx.settings.drug_terms)]
            counts.fetched = len(relevant)
            tag = f"feed:{name}"
            pmids = [i.pmid for i in relevant if i.pmid]
            known = tag_records(ctx.engine, "pubmed", pmids, tag)
            counts.unchanged += len(known)
            unknown = [p for p in pmids if p not in known]
            if unknown:
                fetch_pmids(ctx, unknown, tag, counts)
            # A feed item's raw payload is the entry as parsed: the feed document
            # holds many entries and is replaced on every fetch.
            items = [Incoming(i, json.dumps(i.to_dict()).encode(), None, [tag])
                     for i in relevant if not i.pmid]
            stored = ingest_batch(ctx.engine, items, now=ctx.now())
            counts.add_stored(stored)
            set_feed_state(ctx.engine, name, fetched.etag, fetched.last_modified)
    except SourceError as exc:
        error = str(exc)
    counts.requests = ctx.http.requests_made[SOURCE] + ctx.http.requests_made["pubmed"] - before
    finish_run(ctx.engine, run_id, counts, error, watermark=ctx.today.isoformat())
    report.counts.add(counts)
    if error and not report.error:
        report.error = error


def sync_feeds(ctx: SyncContext) -> SourceReport:
    started = time.monotonic()
    report = SourceReport(SOURCE, queries=len(ctx.settings.feeds))
    for feed in ctx.settings.feeds:
        _sync_feed(ctx, feed.name, feed.url, report)
    report.seconds = time.monotonic() - started
    return report
