"""The classifier meets issue 3's targets on the hand-labelled gold records.

Gold: evaluation/gold/realdata.toml (every record of ../shared/realdata) and
evaluation/gold/corpus.toml (the bundled corpus), labelled by reading each record.
"""

from __future__ import annotations

import pytest

from evaluation.evaluate import (
    CORPUS,
    REALDATA,
    TARGETS,
    evaluate,
    gold_records,
    raw_records,
)
from evaluation.metrics import failures
from litwatch.classify import classify_record


@pytest.fixture(scope="module")
def scored():
    gold = gold_records()
    records = raw_records([d for d in (REALDATA, CORPUS) if d.exists()])
    return gold, records, evaluate(gold, records)


def test_every_gold_record_is_found(scored) -> None:
    _, _, scores = scored
    assert scores.errors == []


def test_targets_met(scored) -> None:
    _, _, scores = scored
    assert failures(scores, TARGETS) == []


def test_realdata_is_fully_labelled(scored) -> None:
    gold, records, _ = scored
    labelled = {(g["source"], str(g["id"])) for g in gold}
    realdata = {k for k in raw_records([REALDATA]) if k[0] in ("pubmed", "ctgov")}
    assert realdata <= labelled       # feed items are optional in the gold


def test_non_ketamine_records_get_no_ketamine_labels(scored) -> None:
    gold, records, _ = scored
    for g in gold:
        if g["drugs"]:
            continue
        result = classify_record(records[(g["source"], str(g["id"]))])
        assert result.values("drug") == [], g["id"]
