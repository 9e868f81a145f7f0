"""Bench: render a week's digest with 1,000 items (target: under 1 s).

Standalone: builds a throw-away SQLite store with a synthetic week (1,000 items
across every indication, route and design), then times render_week(), which
selects from the store, groups, renders HTML + text, inlines CSS, applies the
size cap and writes the archive.

    .venv/bin/python bench/bench_digest.py [--items 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from litwatch.config.loader import example_config_path, load_settings  # noqa: E402
from litwatch.digest.service import render_week  # noqa: E402
from litwatch.digest.window import week_window  # noqa: E402
from litwatch.store.engine import open_engine  # noqa: E402
from testkit.digest_sample import sample_week  # noqa: E402

EXTRAS = 3   # sample_week adds an updated trial, a retraction and a late arrival


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(example_config_path(),
                                 env={"LITWATCH_DATABASE_URL": f"sqlite:///{tmp}/bench.db"})
        settings = replace(settings, digest=replace(settings.digest,
                                                    archive_dir=Path(tmp) / "digests"))
        engine = open_engine(settings.database_url)
        sample_week(engine, "2026-W46", count=args.items - EXTRAS)
        window = week_window("2026-W46", settings.digest.timezone)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            out = render_week(settings, engine, window.start, window.end, window.label)
            times.append(time.perf_counter() - start)
        engine.dispose()
        print(f"digest render, {out.item_count} items: best {min(times):.3f} s, "
              f"median {statistics.median(times):.3f} s over {args.repeat} runs "
              f"(email {len(out.html.encode()) // 1024} KB, "
              f"archive {out.archive_path.stat().st_size // 1024} KB)")
        return 0 if min(times) < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
