"""Run every benchmark in bench/ and print one table against the targets (`make bench`).

    .venv/bin/python bench/run_all.py [--pg-url URL] [--papers 50000] [--trials 5000]

Each bench/bench_*.py runs as its own subprocess (so one's memory or crash does not
touch the others), with the sizes the targets are stated for; its printed numbers
(or the JSON it leaves in bench/out/) are collected into a table of measure, SQLite,
PostgreSQL, target and whether the target is met. PostgreSQL runs happen when
--pg-url or $LITWATCH_TEST_PG_URL is set, for the scripts that accept a database URL
(--pg-url option or $LITWATCH_BENCH_PG_URL); the table says which do not.
Scripts not written yet are listed as missing, not faked.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
OUT = BENCH / "out"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass
class Row:
    measure: str
    sqlite: str = "-"
    postgresql: str = "-"
    target: str = ""
    met: str = ""


@dataclass
class Run:
    script: str
    backend: str
    returncode: int
    seconds: float
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass
class Spec:
    """How to run one benchmark script and turn its output into rows."""

    args: list[str]
    rows: Callable[[dict[str, Run]], list[Row]]
    pg_capable: bool = False
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT met")


def failed(run: Run | None) -> str | None:
    if run is None:
        return None
    return None if run.ok else f"failed (exit {run.returncode})"


def number(pattern: str, text: str) -> float | None:
    found = re.search(pattern, text)
    return float(found.group(1).replace(",", "")) if found else None


def accepts_pg(script: Path) -> bool:
    """A script takes a database URL if its source names the agreed option or variable."""
    source = script.read_text(encoding="utf-8")
    return "--pg-url" in source or "LITWATCH_BENCH_PG_URL" in source


def run_script(script: Path, args: list[str], backend: str, pg_url: str | None,
               timeout: float) -> Run:
    env = dict(os.environ)
    argv = [sys.executable, str(script), *args]
    if backend == "postgresql":
        env["LITWATCH_BENCH_PG_URL"] = pg_url or ""
        if "--pg-url" in script.read_text(encoding="utf-8"):
            argv += ["--pg-url", pg_url or ""]
    print(f"$ {' '.join(argv[1:])}" + ("   [PostgreSQL]" if backend == "postgresql" else ""),
          flush=True)
    started = time.perf_counter()
    try:
        done = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=timeout)
        result = Run(script.name, backend, done.returncode, time.perf_counter() - started,
                     done.stdout, done.stderr)
    except subprocess.TimeoutExpired as exc:
        result = Run(script.name, backend, -1, timeout, str(exc.stdout or ""), "timeout")
    for line in (result.stdout + (result.stderr if not result.ok else "")).splitlines():
        print(f"    {line}")
    print(f"    ({result.seconds:.0f} s, exit {result.returncode})", flush=True)
    return result


# --------------------------------------------------------------------------- parsers


def ingest_rows(papers: int, trials: int, started: float) -> Callable[[dict[str, Run]],
                                                                       list[Row]]:
    def rows(runs: dict[str, Run]) -> list[Row]:
        problem = failed(runs.get("sqlite"))
        path = OUT / "ingest.json"
        if problem or not path.exists() or path.stat().st_mtime < started:
            return [Row("ingest benchmark", problem or "no bench/out/ingest.json")]
        data = json.loads(path.read_text())
        sync, speed = data["sync"], data["throughput"]
        back, again = sync["backfill"], sync["no_change"]
        pubmed_min = math.ceil(papers / 10_000) + math.ceil(papers / 500)
        ctgov_min = math.ceil(trials / 1000)
        pubmed = back["esearch"] + back["efetch"]
        no_change = again["esearch"] + again["efetch"] + again["studies"]
        no_pg = "no PG option in bench_ingest.py"
        return [
            Row(f"PubMed requests, backfill of {papers:,} new (minimum {pubmed_min})",
                str(pubmed), no_pg, "<= min + 10%", verdict(pubmed <= pubmed_min * 1.1)),
            Row(f"ClinicalTrials.gov requests, backfill of {trials:,} (minimum {ctgov_min})",
                str(back["studies"]), no_pg, "<= min + 10%",
                verdict(back["studies"] <= math.ceil(ctgov_min * 1.1))),
            Row("requests, incremental sync with no change (minimum 2: 1 query x 2 sources)",
                str(no_change), no_pg, "<= 2", verdict(no_change <= 2)),
            Row("ingest records/s (parse + store)", f"{speed['ingest_per_s']:,.0f}", no_pg),
            *([Row("ingest records/s (parse + classify + store)",
                   f"{speed['ingest_classified_per_s']:,.0f}", no_pg)]
              if "ingest_classified_per_s" in speed else []),
            Row("bare lxml parse records/s", f"{speed['bare_lxml_per_s']:,.0f}", no_pg),
            Row("ingest (parse + store) / bare parse", f"{speed['ratio']:.0%}", no_pg,
                ">= 30%",
                verdict(speed["ratio"] >= 0.30)),
            Row(f"peak RSS MB, {papers:,}-record backfill (syncing process)",
                f"{sync['peak_rss_mb']:.0f}", no_pg, "< 300",
                verdict(sync["peak_rss_mb"] < 300)),
        ]
    return rows


def search_rows(runs: dict[str, Run]) -> list[Row]:
    cells: dict[str, tuple[str, str, bool | None]] = {}
    for backend, run in runs.items():
        problem = failed(run)
        if problem:
            cells[backend] = (problem, problem, False)
            continue
        p50 = number(r"p50\D{0,20}?([\d.,]+)\s*ms", run.stdout)
        p95 = number(r"p95\D{0,20}?([\d.,]+)\s*ms", run.stdout)
        if p50 is None or p95 is None:
            cells[backend] = ("no p50 in output", "no p95 in output", None)
        else:
            cells[backend] = (f"{p50:.1f} ms", f"{p95:.1f} ms", p95 < 50)
    pg = cells.get("postgresql", ("not run", "not run", None))
    lite = cells.get("sqlite", ("-", "-", None))
    checks = [c[2] for c in (lite, pg) if c[2] is not None]
    return [Row("search p50 at 100,000 records", lite[0], pg[0]),
            Row("search p95 at 100,000 records", lite[1], pg[1], "< 50 ms",
                verdict(all(checks) if checks else None))]


def digest_rows(runs: dict[str, Run]) -> list[Row]:
    run = runs["sqlite"]
    best = number(r"best ([\d.]+) s", run.stdout)
    items = number(r"digest render, (\d+) items", run.stdout)
    if best is None:
        return [Row("digest render at 1,000 items", failed(run) or "no timing in output")]
    label = f"{best:.3f} s ({items:.0f} items, best of runs)"
    return [Row("digest render at 1,000 items", label, "no PG option in bench_digest.py",
                "< 1 s", verdict(best < 1.0))]


def classify_rows(runs: dict[str, Run]) -> list[Row]:
    run = runs["sqlite"]
    rows = []
    for found in re.finditer(r"(\d+) process(?:es)?\s*:.*?([\d,]+) records/s", run.stdout):
        procs, rate = int(found.group(1)), float(found.group(2).replace(",", ""))
        rows.append(Row(f"classification records/s, {procs} process{'es' if procs > 1 else ''}",
                        f"{rate:,.0f}", "(no database)", ">= 2,000", verdict(rate >= 2000)))
    return rows or [Row("classification records/s", failed(run) or "no rate in output")]


# --------------------------------------------------------------------------- machine


def machine(pg_url: str | None) -> list[str]:
    mem_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                   .splitlines() if line.startswith("MemTotal")), 0)
    lines = [f"nproc {os.cpu_count()}, RAM {mem_kb / 1024 / 1024:.1f} GiB, "
             f"{platform.platform()}",
             f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"]
    if pg_url:
        try:
            import psycopg
            with psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://")) as c:
                lines.append(f"PostgreSQL {c.execute('SHOW server_version').fetchone()[0]}")
        except Exception as exc:   # the table still prints; the header says why
            lines.append(f"PostgreSQL: cannot connect ({exc})")
    elif (PG_BIN / "postgres").exists():
        version = subprocess.run([str(PG_BIN / "postgres"), "--version"], capture_output=True,
                                 text=True).stdout.strip()
        lines.append(f"{version} installed (not used: no --pg-url)")
    return lines


def print_table(rows: list[Row]) -> None:
    header = Row("measure", "SQLite", "PostgreSQL", "target", "met?")
    cells = [[r.measure, r.sqlite, r.postgresql, r.target, r.met] for r in [header, *rows]]
    widths = [max(len(c[i]) for c in cells) for i in range(5)]
    for n, line in enumerate(cells):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("LITWATCH_TEST_PG_URL"),
                        help="SQLAlchemy URL of a PostgreSQL database to benchmark too "
                             "(default: $LITWATCH_TEST_PG_URL)")
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--trials", type=int, default=5_000)
    parser.add_argument("--timeout", type=float, default=3600, help="per script, seconds")
    args = parser.parse_args(argv)
    started = time.time()
    workers = str(min(os.cpu_count() or 1, 2))
    specs: dict[str, Spec] = {
        "bench_ingest.py": Spec(["--papers", str(args.papers), "--trials", str(args.trials)],
                                ingest_rows(args.papers, args.trials, started)),
        "bench_search.py": Spec([], search_rows, pg_capable=True),
        "bench_digest.py": Spec(["--items", "1000"], digest_rows),
        "bench_classify.py": Spec(["--records", "50000", "--workers", workers], classify_rows),
    }
    print("litwatch benchmarks")
    for line in machine(args.pg_url):
        print(f"  {line}")
    rows: list[Row] = []
    missing: list[str] = []
    for name, spec in specs.items():
        script = BENCH / name
        if not script.exists():
            missing.append(name)
            continue
        runs = {"sqlite": run_script(script, spec.args, "sqlite", None, args.timeout)}
        if args.pg_url and spec.pg_capable and accepts_pg(script):
            runs["postgresql"] = run_script(script, spec.args, "postgresql", args.pg_url,
                                            args.timeout)
        elif args.pg_url and spec.pg_capable:
            spec.notes.append(f"{name} takes no database URL: PostgreSQL not measured")
        rows.extend(spec.rows(runs))
        if args.pg_url and spec.pg_capable and "postgresql" not in runs:
            for row in rows[-2:]:
                row.postgresql = f"no PG option in {name}"
    others = sorted(p.name for p in BENCH.glob("bench_*.py") if p.name not in specs)
    for name in others:     # a benchmark this runner does not know yet: run it, show it
        run = run_script(BENCH / name, [], "sqlite", None, args.timeout)
        rows.append(Row(f"{name} (see its output above)", "ok" if run.ok else failed(run)))
    for name in missing:
        rows.append(Row(f"{name}: not written yet", "not run", "not run"))
    print()
    print_table(rows)
    (OUT).mkdir(parents=True, exist_ok=True)
    (OUT / "run_all.json").write_text(json.dumps(
        {"machine": machine(args.pg_url), "rows": [vars(r) for r in rows],
         "seconds": time.time() - started}, indent=2))
    return 0 if all(r.met != "NOT met" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
