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
from litwatch.store.runs import RunCounts, get_feed_state, set_feed_state
from litwatch.store.upsert import tag_records
from litwatch.sync.context import SourceReport, SyncContext, tracked_run
from litwatch.sync.pipeline import Incoming, ingest_batch
from litwatch.sync.pubmed_sync import fetch_pmids


def _sync_feed(ctx: SyncContext, name: str, url: str, report: SourceReport) -> None:
    counts = RunCounts()
    try:
        with tracked_run(ctx, SOURCE, name, None, (SOURCE, "pubmed")) as counts:
            state = get_feed_state(ctx.engine, name)
            fetched = fetch_feed(ctx.http, name, url, state.etag if state else "",
                                 state.last_modified if state else "")
            if not fetched.not_modified:
                _store_items(ctx, name, fetched.items, counts)
                set_feed_state(ctx.engine, name, fetched.etag, fetched.last_modified)
    except SourceError as exc:
        report.error = report.error or str(exc)
    report.counts.add(counts)


def _store_items(ctx: SyncContext, name: str, items: list, counts: RunCounts) -> None:
    """PubMed items join (or fetch) their PubMed record; the others are stored as is."""
    relevant = [i for i in items if mentions_any(i, ctx.settings.drug_terms)]
    counts.fetched = len(relevant)
    tag = f"feed:{name}"
    pmids = [i.pmid for i in relevant if i.pmid]
    known = tag_records(ctx.engine, "pubmed", pmids, tag)
    counts.unchanged += len(known)
    unknown = [p for p in pmids if p not in known]
    if unknown:
        fetch_pmids(ctx, unknown, tag, counts)
    # A feed item's raw payload is the entry as parsed: the feed document holds many
    # entries and is replaced on every fetch.
    stored = ingest_batch(ctx.engine, [Incoming(i, json.dumps(i.to_dict()).encode(), None,
                                                [tag]) for i in relevant if not i.pmid],
                          now=ctx.now())
    counts.add_stored(stored)


def sync_feeds(ctx: SyncContext) -> SourceReport:
    started = time.monotonic()
    report = SourceReport(SOURCE, queries=len(ctx.settings.feeds))
    for feed in ctx.settings.feeds:
        _sync_feed(ctx, feed.name, feed.url, report)
    report.seconds = time.monotonic() - started
    return report
