"""Evaluate the claims check against a careful reader's verdicts (`make eval-claims`).

    python -m evaluation.claims_eval [--errors]

The demo store is built in a temporary SQLite file from corpus/ (no HTTP); every
claim of claims.toml is checked with the rule table; each gold claim of
evaluation/gold/claims.toml is mapped to a claims.toml claim of the same article
by its locating quote (word overlap, the claimed indication breaking ties), and
the suggested verdict is compared with the gold one.  Reviewer verdicts in
claims.toml are ignored: the rules are what is measured.

Targets: exact agreement >= 0.85, and no claim the reader found "not found as
cited" or "contradicted" suggested as "supported" or "partly supported".
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import tomllib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "evaluation" / "gold" / "claims.toml"
CLAIMS = REPO / "claims.toml"
CORPUS = REPO / "corpus"
TARGET = 0.85
_SUPPORTIVE = ("supported", "partly supported")
_REFUTED = ("not found as cited", "contradicted")
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def map_gold(gold: list[dict], claims: list) -> dict[str, object]:
    """gold id -> the claims.toml claim of the same article with the closest quote."""
    from litwatch.claims.seeds import title_of
    out: dict[str, object] = {}
    for g in gold:
        title = title_of(g["seed"])
        wanted = _words(g["quote"])
        indication = g.get("implies", {}).get("indication")
        best, score = None, 0.0
        for c in claims:
            if title not in c.seeds or not c.quote:
                continue
            overlap = len(wanted & _words(c.quote)) / max(1, len(wanted | _words(c.quote)))
            overlap += 0.01 if indication and indication in c.implies.indications else 0.0
            if overlap > score:
                best, score = c, overlap
        if best is not None and score >= 0.5:
            out[g["id"]] = best
    return out


@contextmanager
def demo_store(real_only: bool = False) -> Iterator[Engine]:
    """The demo corpus loaded into a throw-away SQLite store (no HTTP); `real_only`:
    its real PubMed and ClinicalTrials.gov records only, without the invented demo
    records (PMIDs 990000xx, NCT099000xx) and feed items, the store the fresh claims'
    readers judged against (their files' headers say so)."""
    from litwatch.store.engine import open_engine
    from litwatch.sync.load import load_directory, load_paths
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{Path(tmp) / 'claims-eval.db'}")
        try:
            if real_only:
                load_paths(engine, _real_paths())
            else:
                load_directory(engine, CORPUS)
            yield engine
        finally:
            engine.dispose()


def _real_paths() -> list[Path]:
    return [p for sub in ("pubmed", "ctgov") for p in sorted((CORPUS / sub).iterdir())
            if p.suffix in (".xml", ".json") and not p.name.startswith(("990000", "NCT099000"))]


def _reports(claims: list, engine: Engine | None) -> dict[str, object]:
    from litwatch.claims.engine import check_claims
    if engine is not None:
        return {r.claim.id: r for r in check_claims(engine, claims)}
    with demo_store() as store:
        return {r.claim.id: r for r in check_claims(store, claims)}


def claim_agreement(gold_path: Path = GOLD, claims_path: Path = CLAIMS,
                    engine: Engine | None = None) -> dict:
    """Agreement of the suggested verdicts with the gold verdicts over the demo store
    (`engine`, else one built for the call)."""
    from litwatch.claims.model import load_claims
    gold = tomllib.loads(gold_path.read_text("utf-8"))["claim"]
    claims = load_claims(claims_path)
    mapping = map_gold(gold, claims)
    reports = _reports(claims, engine)
    rows = []
    for g in gold:
        claim = mapping.get(g["id"])
        got = reports[claim.id].suggested if claim is not None else None
        rows.append({"gold_id": g["id"], "claim_id": claim.id if claim else None,
                     "gold": g["verdict"], "suggested": got,
                     "rule": reports[claim.id].decided_by if claim else None})
    exact = sum(r["gold"] == r["suggested"] for r in rows)
    dangerous = [r for r in rows if r["gold"] in _REFUTED and r["suggested"] in _SUPPORTIVE]
    return {
        "claims": len(claims), "gold": len(gold), "mapped": len(mapping),
        "unmapped": [r["gold_id"] for r in rows if r["claim_id"] is None],
        "exact": exact, "agreement": exact / len(gold) if gold else 0.0,
        "supportive_on_refuted": len(dangerous),
        "confusion": dict(Counter((r["gold"], r["suggested"]) for r in rows)),
        "rows": rows,
    }


FRESH = sorted((REPO / "evaluation" / "gold").glob("claims_fresh_*.toml"))


def fresh_agreement(engine: Engine, paths: list[Path] | None = None) -> dict:
    """Claims from popular articles other than the seeds, typed in as `litwatch claims
    check "TEXT"` takes them (no search terms, no review): suggested against a careful
    reader's verdict over the demo store `engine`.  Reported apart, held to no target."""
    from litwatch.claims.engine import check_text
    gold = [c for path in (FRESH if paths is None else paths)
            for c in tomllib.loads(path.read_text("utf-8"))["claim"]]
    rows = []
    for g in gold:
        report = check_text(engine, g["text"])
        rows.append({"gold_id": g["id"], "gold": g["verdict"], "suggested": report.suggested,
                     "rule": report.decided_by, "text": g["text"]})
    exact = sum(r["gold"] == r["suggested"] for r in rows)
    return {"gold": len(rows), "exact": exact,
            "agreement": exact / len(rows) if rows else 0.0,
            "supportive_on_refuted": sum(r["gold"] in _REFUTED and r["suggested"] in _SUPPORTIVE
                                         for r in rows),
            "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    with demo_store() as engine:
        result = claim_agreement(engine=engine)
    fresh = None
    if FRESH:
        with demo_store(real_only=True) as engine:
            fresh = fresh_agreement(engine)
    print(f"claims.toml: {result['claims']} claims; gold: {result['gold']} claims, "
          f"{result['mapped']} mapped")
    print(f"exact agreement: {result['exact']}/{result['gold']} = {result['agreement']:.3f} "
          f"(target {TARGET})")
    print(f"supported/partly supported where the reader says not found as cited or "
          f"contradicted: {result['supportive_on_refuted']} (target 0)")
    if result["unmapped"]:
        print(f"gold claims with no claims.toml claim: {', '.join(result['unmapped'])}")
    if args.errors:
        for r in result["rows"]:
            if r["gold"] != r["suggested"]:
                print(f"  {r['gold_id']:<7} {r['claim_id'] or '-':<42} gold {r['gold']!r:<22} "
                      f"suggested {r['suggested']!r} [{r['rule']}]")
    if fresh is not None:
        print(f"claims from other articles, typed in as they are ({len(FRESH)} files; the "
              f"corpus's real records): "
              f"{fresh['exact']}/{fresh['gold']} = {fresh['agreement']:.3f}; supported/partly "
              f"supported where the reader says not found as cited or contradicted: "
              f"{fresh['supportive_on_refuted']}")
        for r in fresh["rows"] if args.errors else []:
            if r["gold"] != r["suggested"]:
                print(f"  {r['gold_id']:<7} gold {r['gold']!r:<22} suggested "
                      f"{r['suggested']!r} [{r['rule']}]  {r['text'][:90]}")
    ok = result["agreement"] >= TARGET and result["supportive_on_refuted"] == 0
    return 0 if ok and not result["unmapped"] else 1


if __name__ == "__main__":
    sys.exit(main())
