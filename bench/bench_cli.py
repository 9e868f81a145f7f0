"""Whole-process time of the reading commands on the demo store, against a yardstick.

    python bench/bench_cli.py [--runs 11] [--json FILE]

Each command is timed from outside by `farm-bench` (start-up, imports and set-up
included), paired run by run with `python -c "import sqlalchemy"` so the ratio
holds when the machine's speed drifts.  The store is the demo's, data/demo/ (`make
demo` makes it; its config.toml is passed as LITWATCH_CONFIG); the first search
builds its index, so a warm-up run comes first.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LITWATCH = str(REPO / ".venv" / "bin" / "litwatch")
YARDSTICK = f"{sys.executable} -c 'import sqlalchemy'"
DEMO_CONFIG = REPO / "data" / "demo" / "config.toml"
COMMANDS = {
    "search esketamine": [LITWATCH, "search", "esketamine"],
    "search, filters": [LITWATCH, "search", "ketamine", "--design", "rct", "--route",
                        "intranasal"],
    "search, json": [LITWATCH, "search", "esketamine", "--format", "json"],
    "show": [LITWATCH, "show", "NCT00088699"],
    "export ris": [LITWATCH, "export", "esketamine", "--format", "ris"],
    "stats": [LITWATCH, "stats"],
    # Issue 13: the example claim checked on the demo store "in under 2 seconds".
    "claims check (example)": [LITWATCH, "claims", "check", "A 2019 study in a psychiatry "
                               "journal found a 50% drop in depression 24 hours after one "
                               "ketamine infusion", "--format", "json"],
    "--help": [LITWATCH, "--help"],
}


def median_row(output: str, label: str) -> float | None:
    found = re.search(rf"^{re.escape(label)}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", output,
                      re.MULTILINE)
    return float(found.group(2)) if found else None


def bench(argv: list[str], runs: int) -> dict[str, float | None]:
    done = subprocess.run(["farm-bench", "-n", str(runs), "--timeout", "600", "--vs",
                           YARDSTICK, "--", *argv], cwd=REPO, capture_output=True, text=True)
    out = done.stdout + done.stderr
    return {"wall_s": median_row(out, "A wall s"), "yardstick_s": median_row(out, "B wall s"),
            "ratio": median_row(out, "A/B wall")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not shutil.which("farm-bench"):
        raise SystemExit("farm-bench is not on PATH")
    if not (DEMO_CONFIG.parent / "litwatch.db").exists():
        raise SystemExit("no demo store in data/demo/: run `make demo` first")
    os.environ["LITWATCH_CONFIG"] = str(DEMO_CONFIG)       # farm-bench passes it on
    subprocess.run(COMMANDS["search esketamine"], cwd=REPO, capture_output=True)
    results = {}
    for name, argv in COMMANDS.items():
        results[name] = r = bench(argv, args.runs)
        print(f"litwatch {name:22} median {r['wall_s']} s   yardstick {r['yardstick_s']} s"
              f"   ratio {r['ratio']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
