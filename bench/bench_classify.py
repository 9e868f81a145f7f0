"""Benchmark: classify 50,000 records and print records/s (target >= 2,000/s).

    .venv/bin/python bench/bench_classify.py [--records 50000] [--workers 2]

Prints the single-process rate and the rate with --workers processes (the target
is stated "on 2 cores"; classify_record is pure, so records split across
processes with no shared state).

Records are built in memory by cloning the real payloads (../shared/realdata and
the bundled corpus) and varying their text: every sentence of a copy carries the
copy's tag (bench/unique_text.py), so no sentence is seen twice verbatim and the
classifier's per-text caches help a copy no more than they help a real record.
"""

from __future__ import annotations

import argparse
import copy
import multiprocessing
import time
from dataclasses import replace

from bench.unique_text import unique_sentences
from evaluation.evaluate import CORPUS, REALDATA, raw_records
from litwatch.classify import classify_record
from litwatch.records import AbstractSection, Paper, Record, Trial

# Phrases mixed into clones so they look like ketamine records of every kind.
_VARIANTS = [
    "Patients with treatment-resistant depression received intravenous ketamine 0.5 mg/kg.",
    "Esketamine nasal spray 56 mg or 84 mg was compared with placebo in MDD.",
    "Sixty patients undergoing surgery were randomized to esketamine or saline for "
    "postoperative pain.",
    "Oral ketamine was given to 20 adults with chronic neuropathic pain in an open-label study.",
    "We report a case of a 45-year-old woman with PTSD treated with ketamine infusions.",
    "Rats received ketamine (10 mg/kg, i.p.) in the forced swim test.",
]


def seeds() -> list[Record]:
    dirs = [d for d in (REALDATA, CORPUS) if d.exists()]
    return list(raw_records(dirs).values())


def vary(record: Record, i: int) -> Record:
    extra = _VARIANTS[i % len(_VARIANTS)] + f" Cohort {i}."
    if isinstance(record, Paper):
        sections = [replace(s, text=unique_sentences(s.text, i))
                    for s in record.abstract_sections]
        return replace(record, pmid=f"{record.pmid}{i}",
                       title=unique_sentences(record.title, i),
                       abstract_sections=[*sections, AbstractSection(None, None, extra)])
    if isinstance(record, Trial):
        clone = copy.copy(record)
        for name in ("brief_title", "official_title", "detailed_description"):
            setattr(clone, name, unique_sentences(getattr(record, name), i))
        clone.brief_summary = f"{unique_sentences(record.brief_summary, i)} {extra}"
        clone.arm_groups = [replace(a, description=unique_sentences(a.description, i))
                            for a in record.arm_groups]
        clone.interventions = [replace(v, description=unique_sentences(v.description, i))
                               for v in record.interventions]
        clone.nct_id = f"NCT{i:08d}"
        return clone
    return record


def classify_slice(bounds: tuple[int, int]) -> int:
    """Build and classify records[start:stop] in this process (nothing is pickled)."""
    base = seeds()
    records = [vary(base[i % len(base)], i) for i in range(*bounds)]
    classify_record(records[0])            # load and compile the taxonomies once
    start = time.perf_counter()
    for record in records:
        classify_record(record)
    return round((time.perf_counter() - start) * 1e6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    n = args.records
    single = classify_slice((0, n)) / 1e6
    print(f"1 process : {n} records ({len(seeds())} seeds) in {single:.1f} s: "
          f"{n / single:,.0f} records/s")
    if args.workers > 1:
        step = -(-n // args.workers)
        slices = [(i, min(i + step, n)) for i in range(0, n, step)]
        with multiprocessing.Pool(args.workers) as pool:
            slowest = max(pool.map(classify_slice, slices)) / 1e6
        print(f"{args.workers} processes: {n} records in {slowest:.1f} s: "
              f"{n / slowest:,.0f} records/s")


if __name__ == "__main__":
    main()
