"""Ingest throughput for bench_ingest.py: the backfill pipeline, one process, bare lxml.

The pipeline runs in its own process (`python bench/ingest_speed.py PAYLOADS RESULT`)
so that its peak RSS and its workers' are the pipeline's alone.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from litwatch.store.engine import open_engine  # noqa: E402


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM).  Not getrusage's ru_maxrss: Linux carries that
    across exec, so a child started by a parent holding 300 MB of payloads would
    report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def efetch_payloads(corpus: Path, n: int, batch: int = 500) -> list[bytes]:
    """The corpus's first n papers as efetch replies of `batch` records, as the API sends."""
    files = sorted((corpus / "pubmed").glob("*.xml"))[:n]
    payloads = []
    for start in range(0, len(files), batch):
        inner = b"".join(f.read_bytes().split(b"<PubmedArticleSet>")[1]
                         .split(b"</PubmedArticleSet>")[0] for f in files[start:start + batch])
        payloads.append(b"<PubmedArticleSet>" + inner + b"</PubmedArticleSet>")
    return payloads


def bare_parse_rate(payloads: list[bytes], records: int) -> float:
    from lxml import etree
    started = time.perf_counter()
    for body in payloads:
        etree.fromstring(body)
    return records / (time.perf_counter() - started)


def sequential_rate(payloads: list[bytes]) -> float:
    """Records/s of one process: parse, sentences, classify, store (triggers on)."""
    from litwatch.sources.pubmed_xml import parse_efetch
    from litwatch.sync.pipeline import Incoming, ingest_batch
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{tmp}/t.db")
        started, count = time.perf_counter(), 0
        for body in payloads:
            result = parse_efetch(body)
            count += len(result.papers)
            ingest_batch(engine, [Incoming(p, result.raw[p.pmid]) for p in result.papers])
        seconds = time.perf_counter() - started
        engine.dispose()
    return count / seconds


def stage_costs(payloads: list[bytes]) -> dict[str, float]:
    """CPU ms per record of each stage, one process: where a record's time goes."""
    from litwatch.classify import classify_record
    from litwatch.classify.sentences import sentences_of
    from litwatch.sources.pubmed_xml import parse_efetch
    from litwatch.store.upsert import persist_batch
    from litwatch.sync.pipeline import Incoming, prepare
    clock = time.process_time
    out: dict[str, float] = {}
    begun = clock()
    results = [parse_efetch(body) for body in payloads]
    out["parse"] = clock() - begun
    items = [Incoming(p, r.raw[p.pmid]) for r in results for p in r.papers]
    # Compile the taxonomies first: a one-time cost of each process, not a per-record one.
    classify_record(items[0].record, (), sentences_of(items[0].record))
    begun = clock()
    sentences = [sentences_of(i.record) for i in items]
    out["sentences"] = clock() - begun
    begun = clock()
    for item, found in zip(items, sentences, strict=True):
        classify_record(item.record, (), found)
    out["classify"] = clock() - begun
    begun = clock()
    prepared = [prepare(i) for i in items]
    # prepare() builds the sentences, classifies and makes the rows again; the scanners'
    # caches are warm by now, so its time minus the two passes above can go below zero:
    # it is reported whole.
    out["prepare"] = clock() - begun
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{tmp}/t.db")
        begun = clock()
        for start in range(0, len(prepared), 500):
            persist_batch(engine, prepared[start:start + 500])
        out["store"] = clock() - begun
        engine.dispose()
    return {k: v / len(items) * 1000 for k, v in out.items()}


def child_pipeline(payload_dir: Path, result_file: Path) -> None:
    """In its own process (its RSS and its workers' are the pipeline's alone): what a
    backfill does with efetch replies, workers preparing while this process stores."""
    from litwatch.store.bulk import deferred_full_text
    from litwatch.store.upsert import persist_batch
    from litwatch.sync.indexing import update_search_index
    from litwatch.sync.workers import prepare_efetch, prepare_pool, worker_count
    bodies = sorted(payload_dir.glob("*.xml"))
    records = int((payload_dir / "records").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{tmp}/t.db")
        started, stored = time.perf_counter(), 0
        with prepare_pool(records) as pool, deferred_full_text(engine, records) as deferred:
            def store(done) -> int:
                return len(persist_batch(engine, done[1][0]).new_ids)
            for path in bodies:
                for done in pool.submit(None, prepare_efetch, path.read_bytes(), {}):
                    stored += store(done)
            for done in pool.drain():
                stored += store(done)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        update_search_index(engine)
        index_seconds = time.perf_counter() - started
        engine.dispose()
    result_file.write_text(json.dumps({
        "records": stored, "seconds": seconds, "per_s": stored / seconds,
        "workers": worker_count(), "fts_deferred": deferred,
        "index_seconds": index_seconds,
        "peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def throughput(corpus: Path, n: int, sequential_n: int = 5_000) -> dict[str, float]:
    payloads = efetch_payloads(corpus, n)
    bare = bare_parse_rate(payloads, n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, body in enumerate(payloads):
            (folder / f"{i:05d}.xml").write_bytes(body)
        (folder / "records").write_text(str(n))
        subprocess.run([sys.executable, __file__, str(folder), str(folder / "out.json")],
                       check=True)
        pipeline = json.loads((folder / "out.json").read_text())
    one_process = sequential_rate(payloads[:max(1, sequential_n // 500)])
    return {"records": pipeline["records"], "bare_lxml_per_s": bare,
            "stage_ms": stage_costs(payloads[:4]),
            "ingest_per_s": pipeline["per_s"], "one_process_per_s": one_process,
            "ratio": pipeline["per_s"] / bare, "pipeline": pipeline}


if __name__ == "__main__":
    child_pipeline(Path(sys.argv[1]), Path(sys.argv[2]))
