"""The claims check over the bundled corpus: every claim finds evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from litwatch.claims import VERDICTS, check_claims, load_claims
from litwatch.claims.render import verdict_table

REPO = Path(__file__).resolve().parents[1]
CLAIMS = load_claims(REPO / "claims.toml")
# Claims the corpus holds no record for: the check must say so rather than invent support.
CORPUS_GAPS = {"anti-inflammatory-action": "no record on ketamine and inflammation"}


@pytest.fixture(scope="module")
def reports(corpus_db: Path) -> dict:
    from litwatch.store.engine import open_engine
    engine: Engine = open_engine(f"sqlite:///{corpus_db}")
    try:
        return {r.claim.id: r for r in check_claims(engine, CLAIMS)}
    finally:
        engine.dispose()


@pytest.mark.parametrize("claim_id", [c.id for c in CLAIMS])
def test_every_claim_gets_evidence_or_says_there_is_none(reports: dict, claim_id: str) -> None:
    report = reports[claim_id]
    assert report.verdict in VERDICTS
    if claim_id in CORPUS_GAPS:
        assert not report.evidence
        assert report.suggested == "not enough evidence"
    else:
        assert report.evidence, f"{claim_id}: no evidence record"


def test_verdicts_on_the_seed_examples(reports: dict) -> None:
    print("\n" + verdict_table(list(reports.values())))
    assert reports["non-addictive-minimal-side-effects"].suggested == "contradicted"
    assert reports["anxiety-ptsd-jama-psychiatry-2020"].suggested == "not found as cited"
    assert reports["lasting-relief-after-few-sessions"].suggested == "contradicted"
    assert reports["depression-relief-within-hours"].suggested == "supported"
