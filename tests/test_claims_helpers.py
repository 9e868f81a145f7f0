"""Hand-built records and claims for the claims-check tests (helpers, no tests)."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any

from sqlalchemy import Engine

from litwatch.claims.model import Claim, parse_claims
from litwatch.classify.labels import Classification, Label
from litwatch.records import AbstractSection, Paper
from litwatch.sync.pipeline import Incoming, ingest_batch

_PMIDS = count(7000001)
SEED = "004_a228770a581a6741.txt"


def paper(title: str, abstract: str, design: str | None, journal: str = "Biol Psychiatry",
          year: int = 2015, labels: tuple[tuple[str, str], ...] = (), n: int | None = None,
          entrez: str = "2015-03-01", pubtypes: tuple[str, ...] = (),
          abbrev: str = "") -> Incoming:
    """One PubMed record with its classification, ready for upsert_batch."""
    marks = [Label("design", design, "publication_type", design)] if design else []
    marks += [Label(family, value, "title", value) for family, value in labels]
    record = Paper(pmid=str(next(_PMIDS)), title=title,
                   abstract_sections=[AbstractSection(None, None, abstract)],
                   journal=journal, journal_abbrev=abbrev, pub_year=year, pub_date=str(year),
                   entrez_date=entrez, publication_types=list(pubtypes))
    return Incoming(record, b"<raw/>", Classification(marks, summary="", sample_size=n))


def store(engine: Engine, *items: Incoming, now: datetime | None = None) -> list[str]:
    ingest_batch(engine, items, now=now)
    return [item.record.source_id for item in items]


def claim(**table: Any) -> Claim:
    """A claim from a TOML-shaped dict (defaults: id, seed and text)."""
    base: dict[str, Any] = {"id": "test-claim", "seed": SEED, "claim": "A test claim."}
    base.update(table)
    return parse_claims({"claims": [base]})[0]
