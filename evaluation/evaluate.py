"""Evaluate the classifier against hand-labelled gold records (`make eval`).

    python -m evaluation.evaluate [--values] [--errors]

The real set first: evaluation/records/*.jsonl (records read off public pages,
evaluation/realeval.py), macro F1 per family and source on the whole set, its
development files and its held-out files, then sentence-role and finding-direction
accuracy, then claim verdict agreement when evaluation/claims_eval.py provides it.
Then the older gold: evaluation/gold/realdata.toml (../shared/realdata) and
evaluation/gold/corpus.toml (the bundled corpus; the latest .vN of each record).
Exits non-zero when a target is missed or a gold record cannot be found
(see evaluation/metrics.py for how macro F1 is computed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

from evaluation.metrics import (
    FAMILIES,
    REAL_FAMILIES,
    Scores,
    failures,
    macro_table,
    value_table,
)
from evaluation.realeval import RealResult, score_real, score_sentences, sentence_table
from evaluation.realset import RECORDS_DIR, load_eval_set
from litwatch.classify import classify_record
from litwatch.records import Record
from litwatch.sources.ctgov_json import parse_study, studies_in_file
from litwatch.sources.feed_parse import parse_feed
from litwatch.sources.pubmed_xml import parse_efetch

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "evaluation" / "gold"
CORPUS = REPO / "corpus"
REALDATA = Path(os.environ.get("LITWATCH_REALDATA", REPO.parent / "shared" / "realdata"))

TARGETS: dict[tuple[str, str], float] = {
    ("ctgov", "design"): 0.90, ("ctgov", "route"): 0.90,
    ("pubmed", "design"): 0.85, ("pubmed", "route"): 0.85, ("pubmed", "indication"): 0.85,
}


# Targets on the real set (evaluation/records): the 0.95 macro F1 for route,
# drug, design and indication on trials and papers, and for topic.  tests/
# test_classify_eval.py fails when a change drops a family below it; `make eval`
# prints every figure and its split into development and held-out files.
REAL_TARGETS: dict[tuple[str, str], float] = {
    (source, family): 0.95 for source in ("ctgov", "pubmed")
    for family in ("indication", "route", "design", "drug", "topic")}
# Sentence layer floors (accuracy), a little under what it reaches, so that a change
# that loses sentence roles or finding directions fails the tests too.
SENTENCE_TARGETS = {"role_structured": 0.95, "role_unstructured": 0.85, "direction": 0.80}


def gold_records(gold_dir: Path = GOLD_DIR) -> list[dict]:
    records = []
    for name in ("realdata.toml", "corpus.toml"):
        path = gold_dir / name
        if path.exists():
            for rec in tomllib.loads(path.read_text("utf-8")).get("record", []):
                records.append(dict(rec, gold_file=name))
    return records


def _version(path: Path) -> int:
    """<id>.v2.xml -> 2; files without a version suffix are version 1."""
    parts = path.name.split(".")
    tag = next((p for p in parts[1:-1] if p.startswith("v") and p[1:].isdigit()), "v1")
    return int(tag[1:])


def raw_records(dirs: list[Path]) -> dict[tuple[str, str], Record]:
    """Every record in the raw files; a later version (.vN, versionHolder) wins."""
    found: dict[tuple[str, str], tuple[tuple, Record]] = {}
    for base in dirs:
        paths = [*sorted(base.glob("pubmed/*.xml")), *sorted(base.glob("ctgov/*.json")),
                 *sorted(base.glob("feeds/*.xml"))]
        for path in paths:
            for record in _records_in(path):
                key = (record.source, record.source_id)
                stamp = (_version(path), getattr(record, "version_holder", None) or "")
                if key not in found or stamp >= found[key][0]:
                    found[key] = (stamp, record)
    out = {k: rec for k, (_, rec) in found.items()}
    for (source, _), rec in list(out.items()):
        # Feed items are named by guid, or (as the gold may do) by doi: / pubmed: id.
        if source == "feed":
            for alias in (f"doi:{rec.doi}" if rec.doi else "", f"pubmed:{rec.pmid}"
                          if rec.pmid else ""):
                if alias:
                    out.setdefault(("feed", alias), rec)
    return out


def _records_in(path: Path) -> Iterator[Record]:
    body = path.read_bytes()
    if path.suffix == ".json":
        for study in studies_in_file(json.loads(body)):
            yield parse_study(study)
    elif b"<PubmedArticleSet" in body[:3000]:
        yield from parse_efetch(body).papers
    elif path.parent.name == "feeds":
        yield from parse_feed(body, path.stem)[1]


def evaluate(gold: list[dict], records: dict[tuple[str, str], Record]) -> Scores:
    scores = Scores()
    for rec in gold:
        key = (rec["source"], str(rec["id"]))
        record = records.get(key)
        if record is None:
            scores.errors.append(f"{rec['gold_file']}: no raw record for {key[0]} {key[1]}")
            continue
        result = classify_record(record)
        scores.records[key[0]] += 1
        for family in FAMILIES:
            gold_values = rec.get(family + "s") if family != "design" else [rec.get("design")]
            predicted = set(result.values(family))
            if family == "design":
                predicted = {result.first("design")}
            scores.add(key[0], family, set(gold_values or []), predicted - {None})
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", action="store_true", help="print P/R/F1 per label value")
    parser.add_argument("--errors", action="store_true", help="list records with wrong labels")
    args = parser.parse_args(argv)
    problems = real_report(args)
    gold = gold_records()
    records = raw_records([d for d in (REALDATA, CORPUS) if d.exists()])
    scores = evaluate(gold, records)
    if args.values:
        print(value_table(scores), end="\n\n")
    if args.errors:
        print(error_listing(gold, records), end="\n\n")
    print("old gold (corpus/ and ../shared/realdata):")
    print(macro_table(scores, TARGETS))
    problems += scores.errors + failures(scores, TARGETS)
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


def real_report(args: argparse.Namespace) -> list[str]:
    """Print the real-set tables; the targets it misses."""
    records = load_eval_set()
    result = score_real(records)
    if args.values:
        print(value_table(result.scores["all"]), end="\n\n")
    if args.errors:
        print("\n".join(result.misses), end="\n\n")
    for split, title in (("all", "real set"), ("dev", "real set, development files"),
                         ("held_out", "real set, held-out files")):
        print(f"{title}:")
        targets = REAL_TARGETS if split == "all" else {}     # the targets are for the whole set
        print(macro_table(result.scores[split], targets, REAL_FAMILIES), end="\n\n")
    print(sentence_table(score_sentences(records)), end="\n\n")
    fresh_report()
    agreement = claims_report()
    if agreement:
        print(agreement, end="\n\n")
    return failures(result.scores["all"], REAL_TARGETS)


# Real records read off stored pages after the rules were written, reported apart and
# held to no target.  fresh/: never tuned on -- how the classifiers do on text nobody
# fitted them to.  round2/: an earlier fresh set (and half of a later registry set)
# whose errors were read on 2026-12-01 and rules fitted to them; kept to show it stays
# fixed, no longer an unseen-text measure.
FRESH_DIR = RECORDS_DIR / "fresh"
ROUND2_DIR = RECORDS_DIR / "round2"
# round3/ ... round14/: labelled for rule development on 2026-12-01 and -02, errors read
# (FORMAT.md)
_ROUNDS = range(3, 16)
_LABELLED = {13: "2026-12-02", 14: "2026-12-02", 15: "2026-12-02"}
_APART = ((FRESH_DIR, "fresh records, never tuned on"),
          (ROUND2_DIR, "round-2 records, errors read and rules fitted on 2026-12-01"),
          *((RECORDS_DIR / f"round{n}",
             f"round-{n} records, labelled for rule development on "
             f"{_LABELLED.get(n, '2026-12-01')}")
            for n in _ROUNDS))


def fresh_report() -> None:
    for folder, title in _APART:
        records = load_eval_set(folder) if folder.is_dir() else []
        if not records:
            continue
        print(f"{title} ({len(records)}; {folder.relative_to(RECORDS_DIR.parents[1])}):")
        result = score_real(records)
        print(macro_table(result.scores["all"], {}, REAL_FAMILIES))
        print(exact_table(result), end="\n\n")
        print(sentence_table(score_sentences(records)), end="\n\n")


def exact_table(result: RealResult) -> str:
    """Records whose whole label set of a family is right, per source: on a small set
    macro F1 swings with one record of a rare label; this count does not."""
    lines = []
    for source in ("ctgov", "pubmed"):
        if not any(src == source for src, _ in result.exact):
            continue
        cells = [f"{'{}/{}'.format(*result.exact.get((source, f), [0, 0])):>11}"
                 for f in REAL_FAMILIES]
        lines.append(f"{source:<7} {'':>8} " + " ".join(cells))
    return "records with every label of the family right:\n" + "\n".join(lines)


def claims_report() -> str:
    """Claim verdict agreement, once evaluation/claims_eval.py exists (another layer)."""
    try:
        from evaluation.claims_eval import claim_agreement  # type: ignore[import-not-found]
    except ImportError:
        return ""
    result = claim_agreement()
    if not isinstance(result, dict):
        return f"claim verdict agreement: {result}"
    shown = {k: result[k] for k in ("agreement", "exact", "mapped", "claims",
                                    "supportive_on_refuted") if k in result}
    return "claim verdict agreement: " + ", ".join(f"{k}={v}" for k, v in shown.items())


def error_listing(gold: list[dict], records: dict[tuple[str, str], Record]) -> str:
    """One line per gold record whose predicted labels differ from the gold."""
    lines = []
    for rec in gold:
        record = records.get((rec["source"], str(rec["id"])))
        if record is None:
            continue
        result = classify_record(record)
        for family in FAMILIES:
            want = {rec["design"]} if family == "design" else set(rec.get(family + "s", []))
            got = {result.first("design")} if family == "design" else set(result.values(family))
            if want != got:
                lines.append(f"{rec['source']:<6} {rec['id']:<12} {family:<10} "
                             f"gold={sorted(want)} got={sorted(got)}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
