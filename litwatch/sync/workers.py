"""Parse and prepare records in worker processes while the calling process stores them.

In one process, parsing, the sentence layer and classification take ~85% of an
ingest and storing the rest, one after the other; with N cores the workers do the
first part for batch k+1 while the caller (which also talks to the API) writes
batch k.  Workers run the same `prepare` as everything else (litwatch.sync.pipeline).
They are forked from the caller once it has imported the pipeline and compiled the
taxonomies (so that is done once, not per worker; a forkserver or spawn would also
re-run the caller's main script, which a script without a __main__ guard cannot
take).  They touch neither the caller's database connections nor its sockets, and
leave through os._exit, which closes nothing of the caller's.  What comes back is
plain data (PreparedRecord), stored by the caller in the order the batches were
sent, so counts and results are those of a sequential ingest.

Small jobs do not start workers (starting them costs about a second of CPU).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any

from litwatch.records import Trial
from litwatch.store.upsert import PreparedRecord

# Below this many records a job is prepared in the calling process.
MIN_RECORDS = 2_000
IN_FLIGHT_PER_WORKER = 2       # batches sent ahead of the one being stored


def worker_count() -> int:
    """One worker per core, at most 4; LITWATCH_INGEST_WORKERS overrides (0: none)."""
    configured = os.environ.get("LITWATCH_INGEST_WORKERS")
    if configured is not None and configured.strip().isdigit():
        return int(configured)
    return min(os.cpu_count() or 1, 4)


def _context() -> multiprocessing.context.BaseContext:
    import litwatch.sync._warm  # noqa: F401  (compiled here once, inherited by the workers)
    return multiprocessing.get_context("fork")


@contextmanager
def prepare_pool(records: int) -> Iterator[PreparePool | None]:
    """A pool for a job of `records` records, or None when it is not worth one."""
    workers = worker_count()
    if records < MIN_RECORDS or workers < 1:
        yield None
        return
    pool = PreparePool(workers)
    try:
        yield pool
    finally:
        pool.close()


class PreparePool:
    def __init__(self, workers: int):
        self.workers = workers
        self.executor = ProcessPoolExecutor(workers, mp_context=_context())
        self.pending: deque[tuple[Any, Future]] = deque()

    def submit(self, tag: Any, fn: Callable[..., Any], *args: Any) -> Iterator[tuple[Any, Any]]:
        """Send a job; yield (tag, result) of the jobs that must be taken now, oldest
        first, to keep at most IN_FLIGHT_PER_WORKER jobs per worker queued."""
        self.pending.append((tag, self.executor.submit(fn, *args)))
        while len(self.pending) > self.workers * IN_FLIGHT_PER_WORKER:
            yield self._take()

    def drain(self) -> Iterator[tuple[Any, Any]]:
        while self.pending:
            yield self._take()

    def _take(self) -> tuple[Any, Any]:
        tag, future = self.pending.popleft()
        return tag, future.result()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------- jobs
# Module-level functions: what a worker runs (they must be importable by name).


def prepare_efetch(body: bytes, queries_of: dict[str, list[str]]
                   ) -> tuple[list[PreparedRecord], list[str]]:
    """A whole efetch reply -> (prepared records, the PMIDs it held)."""
    from litwatch.sources.pubmed_xml import parse_efetch
    from litwatch.sync.pipeline import Incoming
    result = parse_efetch(body)
    items = [Incoming(p, result.raw[p.pmid], None, queries_of.get(p.pmid, []))
             for p in result.papers]
    return [_prepared(item) for item in items], [p.pmid for p in result.papers]


def prepare_files(paths: list[str]) -> list[PreparedRecord]:
    """Saved payload files (litwatch.sync.load) -> prepared records."""
    from pathlib import Path

    from litwatch.sync.load import incoming_from_file
    return [_prepared(item) for path in paths for item in incoming_from_file(Path(path))]


def _prepared(item: Any) -> PreparedRecord:
    """prepare(item), made to pickle: a trial's change detector is a closure over the
    parsed trial; it becomes a module-level function bound to that trial."""
    from litwatch.sync.pipeline import prepare
    prepared = prepare(item)
    if prepared.changes_since is not None and isinstance(item.record, Trial):
        prepared.changes_since = partial(_trial_changes_since, item.record)
    return prepared


def _trial_changes_since(trial: Trial, old_data: str) -> list[dict[str, Any]]:
    from litwatch.sync import pipeline
    return pipeline._trial_changes(trial)(old_data)
