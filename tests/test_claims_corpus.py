"""The claims check over the bundled corpus: agreement with a careful reader, and the
outputs name articles by title and publisher, never by file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from evaluation.claims_eval import TARGET, claim_agreement
from litwatch.claims import VERDICTS, check_claims, load_claims
from litwatch.claims.render import render_html, render_json, render_text
from litwatch.claims.seeds import catalogue

REPO = Path(__file__).resolve().parents[1]
CLAIMS = load_claims(REPO / "claims.toml")


@pytest.fixture(scope="module")
def reports(corpus_db: Path) -> list:
    from litwatch.store.engine import open_engine
    engine: Engine = open_engine(f"sqlite:///{corpus_db}")
    try:
        return check_claims(engine, CLAIMS)
    finally:
        engine.dispose()


def test_agreement_with_the_careful_reader() -> None:
    result = claim_agreement()
    assert result["unmapped"] == []
    assert result["agreement"] >= TARGET, result["confusion"]
    # Never call supported what the reader found not as cited or contradicted.
    assert result["supportive_on_refuted"] == 0


def test_every_verdict_names_its_rule_and_evidence(reports: list) -> None:
    for report in reports:
        assert report.suggested in VERDICTS and report.decided_by, report.claim.id
        if report.suggested in ("supported", "partly supported", "contradicted"):
            counted = [f for f in report.findings if f.counted]
            assert counted, f"{report.claim.id}: a verdict without counted evidence"


def test_outputs_name_articles_by_title_never_by_file(reports: list) -> None:
    files = [a.file for a in catalogue()]
    for output in (render_text(reports), render_json(reports), render_html(reports)):
        assert not any(name in output or name.removesuffix(".txt") in output
                       for name in files)
    assert catalogue()[0].title in render_text(reports)
