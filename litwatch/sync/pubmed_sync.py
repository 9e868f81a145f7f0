"""Sync PubMed: esearch every indication query, fetch the union of new/changed ids.

One esearch per query covers both windows (entered or modified since the
watermark minus the overlap).  Ids already stored are re-fetched only when our
copy predates today, because the modification window has day precision.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import ExitStack
from datetime import date

from litwatch.errors import BadPayload
from litwatch.http import SourceError
from litwatch.records import Paper
from litwatch.sources.pubmed import SOURCE, PubmedClient, build_term
from litwatch.store.bulk import deferred_full_text
from litwatch.store.runs import RunCounts, fetched_dates, get_watermark
from litwatch.store.upsert import UpsertCounts, persist_batch, tag_records
from litwatch.sync.context import SourceReport, SyncContext, tracked_run, window_start
from litwatch.sync.pipeline import Incoming, ingest_batch
from litwatch.sync.workers import PreparePool, prepare_efetch, prepare_pool


def ids_to_fetch(ctx: SyncContext, ids: list[str]) -> list[str]:
    """New ids, stubs, and stored ids our copy of which is older than today."""
    fetched = fetched_dates(ctx.engine, SOURCE, ids)
    today = ctx.today.isoformat()
    return [i for i in ids if fetched.get(i, "") < today]


def store_papers(ctx: SyncContext, client: PubmedClient, ids: list[str],
                 queries_of: dict[str, list[str]], counts: RunCounts) -> None:
    """efetch `ids` in batches, classify and upsert each batch in one transaction.
    A backfill parses and classifies in worker processes (litwatch.sync.workers) and
    writes with the full-text triggers off (litwatch.store.bulk)."""
    ctx.progress.start("PubMed records", len(ids))
    with prepare_pool(len(ids)) as pool, deferred_full_text(ctx.engine, len(ids)):
        if pool is None:
            for batch, result in client.efetch_batches(ids):
                items = [Incoming(p, result.raw[p.pmid], None, queries_of.get(p.pmid, []))
                         for p in result.papers]
                _stored(ctx, batch, ingest_batch(ctx.engine, items, now=ctx.now()),
                        [p.pmid for p in result.papers], counts)
        else:
            _store_in_workers(ctx, client, pool, ids, queries_of, counts)
    ctx.progress.stop()


def _store_in_workers(ctx: SyncContext, client: PubmedClient, pool: PreparePool,
                      ids: list[str], queries_of: dict[str, list[str]],
                      counts: RunCounts) -> None:
    """Fetch batch k+1 while workers prepare batch k; store in the order fetched."""
    def store(done: tuple[list[str], tuple[list, list[str]]]) -> None:
        batch, (prepared, found) = done
        _stored(ctx, batch, persist_batch(ctx.engine, prepared, now=ctx.now()), found,
                counts)

    size = ctx.settings.pubmed.batch_size
    try:
        for start in range(0, len(ids), size):
            batch = ids[start:start + size]
            body = client.efetch_body(batch)
            wanted = {pmid: queries_of.get(pmid, []) for pmid in batch}
            for done in pool.submit(batch, prepare_efetch, body, wanted):
                store(done)
        for done in pool.drain():
            store(done)
    except BadPayload as exc:          # a record the parser refuses, found by a worker
        raise SourceError(f"pubmed: {exc}") from exc


def _stored(ctx: SyncContext, batch: list[str], stored: UpsertCounts, found: list[str],
            counts: RunCounts) -> None:
    counts.fetched += len(found)
    counts.add_stored(stored)
    missing = set(batch) - set(found)
    if missing:
        counts.failed += len(missing)
        ctx.log(f"pubmed: {len(missing)} ids returned no record (withdrawn or deleted): "
                f"{', '.join(sorted(missing)[:10])}")
    ctx.progress.advance(len(batch))


def sync_pubmed(ctx: SyncContext, since: date | None = None, full: bool = False) -> SourceReport:
    started = time.monotonic()
    report = SourceReport(SOURCE, queries=len(ctx.settings.indications))
    client = PubmedClient(ctx.http, ctx.settings.pubmed)
    queries_of: dict[str, list[str]] = defaultdict(list)
    try:
        with ExitStack() as runs:
            for i, query in enumerate(ctx.settings.indications):
                start = window_start(get_watermark(ctx.engine, SOURCE, query.name),
                                     ctx.settings.pubmed.overlap_days, since, full)
                # The efetch stage is shared by all queries: its counts and every
                # request go on the first query's run row.
                counts = runs.enter_context(tracked_run(ctx, SOURCE, query.name, start,
                                                        (SOURCE,) if i == 0 else ()))
                report.counts = counts if i == 0 else report.counts
                term = build_term(ctx.settings.drug_terms, query.pubmed, start)
                for pmid in client.search_ids(term, ctx.today):
                    queries_of[pmid].append(query.name)
            wanted = ids_to_fetch(ctx, list(queries_of))
            _tag_unfetched(ctx, queries_of, set(wanted))
            report.counts.unchanged += len(queries_of) - len(wanted)
            store_papers(ctx, client, wanted, queries_of, report.counts)
    except SourceError as exc:
        report.error = str(exc)
    report.seconds = time.monotonic() - started
    return report


def _tag_unfetched(ctx: SyncContext, queries_of: dict[str, list[str]],
                   wanted: set[str]) -> None:
    """Stored papers not re-fetched still gain the names of the queries that found them."""
    by_query: dict[str, list[str]] = defaultdict(list)
    for pmid, names in queries_of.items():
        if pmid not in wanted:
            for name in names:
                by_query[name].append(pmid)
    for name, pmids in by_query.items():
        tag_records(ctx.engine, SOURCE, pmids, name)



def fetch_pmids(ctx: SyncContext, pmids: list[str], query: str, counts: RunCounts) -> None:
    """Fetch specific PMIDs (from a PubMed RSS feed) into the store."""
    client = PubmedClient(ctx.http, ctx.settings.pubmed)
    store_papers(ctx, client, pmids, {p: [query] for p in pmids}, counts)


__all__ = ["sync_pubmed", "fetch_pmids", "Paper"]
