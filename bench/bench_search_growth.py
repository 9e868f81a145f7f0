"""How search latency grows with the store: the search index at 10k, 100k and 1M records.

    python bench/bench_search_growth.py [--db /tmp/litwatch-bench-search.db]
                                        [--sizes 10000,100000,1000000] [--json FILE]

Index alone (ranking and filtering in tantivy; no store round trip, no snippets),
because building a 1,000,000-record SQL store takes hours here: documents are made
from the 100,000 rows of bench_search.py's store (run that first) by the index's
own `document()`, copies beyond 100k with new ids and a few varied words, so that
lengths and scores differ as they would in a larger literature.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402

from bench.bench_search import FILTERS, PHRASES, QUERIES  # noqa: E402
from litwatch.search import build_filters  # noqa: E402
from litwatch.search.index import SearchIndex  # noqa: E402
from litwatch.search.index_schema import INDEXED_FAMILIES, document  # noqa: E402
from litwatch.search.query import parse_query  # noqa: E402
from litwatch.store.changes import labels_of  # noqa: E402
from litwatch.store.engine import open_engine  # noqa: E402


def source_rows(db: Path) -> list[tuple[dict, dict]]:
    engine = open_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(text(
            "SELECT id, source, title, abstract, phase, status, entry_date FROM record "
            "ORDER BY id"))]
        labels = labels_of(conn, [r["id"] for r in rows], INDEXED_FAMILIES)
    engine.dispose()
    return [(row, labels.get(row["id"], {})) for row in rows]


def build(folder: Path, rows: list[tuple[dict, dict]], size: int) -> SearchIndex:
    index = SearchIndex(folder)
    writer = index.index.writer(200_000_000, 1)
    rng = random.Random(5)
    for n in range(size):
        row, labels = rows[n % len(rows)]
        if n >= len(rows):
            extra = " ".join(rng.sample(PHRASES, 2))
            row = dict(row, id=n + 1, title=f"{row['title']} {extra}",
                       abstract=f"{row['abstract']} {extra}")
        writer.add_document(document(row, labels))
    writer.commit()
    writer.wait_merging_threads()
    index.index.reload()
    return index


def timed(index: SearchIndex, runs: list[tuple[str | None, dict]]) -> dict[str, float]:
    times = []
    for query, filters in runs:
        started = time.perf_counter()
        if query is None:
            index.by_date(build_filters(**filters), 20)
        else:
            index.rank(parse_query(query), build_filters(**filters), 20)
        times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=100)
    return {"p50": cuts[49], "p95": cuts[94]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/litwatch-bench-search.db"))
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = source_rows(args.db)
    rng = random.Random(11)
    plain = [(rng.choice(QUERIES), {}) for _ in range(args.queries // 2)]
    filtered = [(rng.choice(QUERIES + [None]), rng.choice(FILTERS))
                for _ in range(args.queries // 2)]
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            index = build(Path(tmp) / "index", rows, size)
            built = time.perf_counter() - started
            timed(index, plain[:10])
            results[size] = {"build_s": built, "plain": timed(index, plain),
                             "filtered": timed(index, filtered)}
            r = results[size]
            print(f"index alone, {size:>9,} records: no filters p50={r['plain']['p50']:.1f} "
                  f"p95={r['plain']['p95']:.1f} ms; filters p50={r['filtered']['p50']:.1f} "
                  f"p95={r['filtered']['p95']:.1f} ms (built in {built:.0f} s)")
            del index
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
