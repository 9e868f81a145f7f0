"""Ingest benchmark (issue 2): requests against the minimum, throughput, peak memory.

    python bench/bench_ingest.py [--papers 50000] [--trials 5000]

1. Requests: a full sync (the configured indication queries) of N new PubMed
   records and M new trials from the local emulator (scaled corpus spread over the
   indications), counted by the emulator, against the theoretical minimum:
   PubMed ceil(n_q / 10,000) esearch per query q (PubMed returns at most 10,000 ids
   per search) + ceil(N / 500) efetch; ClinicalTrials.gov ceil(m_q / 1,000) pages
   per query.  Then an incremental no-change sync,
   whose minimum is one request per source and query.
2. Throughput: parse + classify + store of the same efetch payloads, in records/s,
   beside a bare lxml parse of the payloads.
3. Peak RSS of the syncing process (a child process, so the emulator's memory
   and the benchmark's own are not counted).
Prints a table and writes bench/out/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import replace
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.ingest_speed import peak_rss_mb, throughput  # noqa: E402
from bench.scale_corpus import write as write_corpus  # noqa: E402
from litwatch.config.loader import load_settings  # noqa: E402
from litwatch.http import HttpClient  # noqa: E402
from litwatch.store.engine import open_engine  # noqa: E402
from litwatch.sync import SyncContext, run_sync  # noqa: E402

OUT = REPO / "bench" / "out"


def bench_settings(db: Path, emu_eutils: str, emu_ctgov: str):
    settings = load_settings(REPO / "config.toml", env={
        "LITWATCH_DATABASE_URL": f"sqlite:///{db}", "LITWATCH_EUTILS_URL": emu_eutils,
        "LITWATCH_CTGOV_URL": emu_ctgov, "LITWATCH_FEED_URLS": ""})
    # The configured indication queries, as a real backfill runs them; no rate limits
    # on loopback.  Batch 500 is NCBI's suggested maximum per efetch.
    return replace(settings,
                   pubmed=replace(settings.pubmed, rate_limit=10_000, batch_size=500),
                   ctgov=replace(settings.ctgov, rate_limit=10_000))


def route_counts(base: str) -> dict[str, int]:
    with urllib.request.urlopen(base + "/_control/log", timeout=30) as reply:
        log = json.loads(reply.read())["requests"]
    urllib.request.urlopen(urllib.request.Request(base + "/_control/log", method="DELETE"),
                           timeout=30).read()
    return {route: sum(1 for r in log if r["route"] == route)
            for route in ("esearch", "efetch", "studies")}


def child_sync(base: str, db: Path, result_file: Path) -> None:
    """Runs in its own process (so its peak RSS is the client's alone): two syncs."""
    settings = bench_settings(db, base + "/entrez/eutils/", base + "/api/v2/")
    engine = open_engine(settings.database_url)
    results: dict[str, object] = {}
    route_counts(base)
    for name in ("backfill", "no_change"):
        ctx = SyncContext(settings, engine, HttpClient(settings.http), today=date(2027, 1, 1))
        started = time.perf_counter()
        report = run_sync(ctx, sources=["pubmed", "ctgov"])
        assert report.ok, report.errors
        results[name] = {"seconds": time.perf_counter() - started, **route_counts(base),
                         "new": {s.source: s.counts.new for s in report.sources}}
    results["peak_rss_mb"] = peak_rss_mb()
    results["worker_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    results["minimum"] = minimum_requests(engine, settings)
    result_file.write_text(json.dumps(results))


def minimum_requests(engine, settings) -> dict[str, int]:
    """The theoretical minimum for what was stored: per query, PubMed needs one esearch
    per 10,000 ids (its cap), ClinicalTrials.gov one page per 1,000 studies; efetch
    needs ceil(N / 500) for the N distinct PMIDs."""
    from sqlalchemy import text
    mins = {"pubmed": 0, "ctgov": 0}
    with engine.connect() as conn:
        for source, per_request in (("pubmed", 10_000), ("ctgov", 1_000)):
            rows = conn.execute(text("SELECT matched_queries FROM record WHERE source = :s"),
                                {"s": source}).scalars().all()
            for query in settings.indications:
                hits = sum(1 for r in rows if f'"{query.name}"' in r)
                mins[source] += max(1, math.ceil(hits / per_request))
            if source == "pubmed":
                mins[source] += math.ceil(len(rows) / settings.pubmed.batch_size)
    return mins


def start_emulator(corpus: Path, tmp: Path) -> tuple[subprocess.Popen, str]:
    port_file = tmp / "port"
    proc = subprocess.Popen([sys.executable, "-m", "testkit.emulator", "--corpus", str(corpus),
                             "--port", "0", "--port-file", str(port_file),
                             "--today", "2027-01-01"], cwd=REPO, stdout=subprocess.DEVNULL)
    while not port_file.exists():
        if proc.poll() is not None:
            raise SystemExit("emulator failed to start")
        time.sleep(0.2)
    return proc, f"http://127.0.0.1:{port_file.read_text().strip()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--trials", type=int, default=5_000)
    parser.add_argument("--child", nargs=3, metavar=("BASE_URL", "DB", "RESULT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_sync(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    corpus = OUT / f"scaled-{args.papers}-{args.trials}"
    if not corpus.exists():
        write_corpus(corpus, args.papers, args.trials)
    with tempfile.TemporaryDirectory() as tmp:
        emulator, base = start_emulator(corpus, Path(tmp))
        try:
            result_file = Path(tmp) / "sync.json"
            subprocess.run([sys.executable, __file__, "--child", base, f"{tmp}/sync.db",
                            str(result_file)], check=True)
            sync = json.loads(result_file.read_text())
        finally:
            emulator.terminate()
            emulator.wait()
    speed = throughput(corpus, args.papers)
    queries = len(load_settings(REPO / "config.toml", env={}).indications)
    minimum_pubmed = sync["minimum"]["pubmed"]
    minimum_ctgov = sync["minimum"]["ctgov"]
    back = sync["backfill"]
    rows = [
        ("PubMed requests, backfill of N new", back["esearch"] + back["efetch"], minimum_pubmed),
        ("ClinicalTrials.gov requests, backfill", back["studies"], minimum_ctgov),
        ("requests, second sync (no change)",
         sync["no_change"]["esearch"] + sync["no_change"]["efetch"]
         + sync["no_change"]["studies"], 2 * queries),
    ]
    print(f"{'measure':45} {'value':>12} {'target':>12}")
    for name, value, target in rows:
        print(f"{name:45} {value:>12} {f'min {target}':>12}")
    papers = back["new"].get("pubmed", 0)
    pipe = speed["pipeline"]
    print(f"{'backfill seconds (sync, incl. emulator)':45} {back['seconds']:>12.1f}")
    print(f"{'backfill records/s (sync, incl. emulator)':45} "
          f"{(papers + back['new'].get('ctgov', 0)) / back['seconds']:>12.0f}")
    print(f"{'ingest records/s, parse+sentences+classify+store':45} "
          f"{speed['ingest_per_s']:>12.0f} {'>= 2,500':>12}   "
          f"({pipe['records']:,} records, {pipe['workers']} workers)")
    print(f"{'ingest records/s, one process (as before)':45} "
          f"{speed['one_process_per_s']:>12.0f}")
    print(f"{'bare lxml parse records/s':45} {speed['bare_lxml_per_s']:>12.0f}")
    print("CPU ms per record, one process: " + ", ".join(
        f"{k} {v:.3f}" for k, v in speed["stage_ms"].items()))
    print(f"{'ingest / bare parse':45} {speed['ratio']:>11.1%}")
    print(f"{'search index catch-up after the load, s':45} {pipe['index_seconds']:>12.1f}")
    print(f"{'peak RSS MB, storing process / each worker':45} "
          f"{pipe['peak_rss_mb']:>6.0f} / {pipe['worker_peak_rss_mb']:.0f} {'< 300':>8}")
    print(f"{'peak RSS MB, syncing process / each worker':45} {sync['peak_rss_mb']:>6.0f}"
          f" / {sync.get('worker_peak_rss_mb', 0):.0f} {'< 300':>8}")
    (OUT / "ingest.json").write_text(json.dumps({"sync": sync, "throughput": speed,
                                                 "papers": args.papers,
                                                 "trials": args.trials}, indent=2))


if __name__ == "__main__":
    main()
