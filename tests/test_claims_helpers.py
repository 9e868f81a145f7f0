"""Hand-built records and claims for the claims-check tests (helpers, no tests).

Records carry structured abstracts (BACKGROUND / METHODS / RESULTS / CONCLUSIONS)
so the sentence layer gives each sentence a known role, and a pinned
classification (design, indication, drug, route labels) so a test states exactly
what the classifier would have said.
"""

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
ARTICLE = "Why You Shouldn’t Wait to Try Ketamine Therapy"
SEED_FILE = "004_a228770a581a6741.txt"     # where that article's text is kept (never shown)


def paper(title: str, *, results: str = "", conclusions: str = "", background: str = "",
          methods: str = "", design: str | None = "rct", journal: str = "Biol Psychiatry",
          abbrev: str = "", year: int = 2015, labels: tuple[tuple[str, str], ...] = (),
          drug: str = "ketamine", entrez: str = "2015-03-01",
          pubtypes: tuple[str, ...] = (), raw: bytes = b"<raw/>") -> Incoming:
    """One PubMed record with a structured abstract and its classification."""
    marks = [Label("design", design, "publication_type", design)] if design else []
    marks += [Label("drug", drug, "title", drug)] if drug else []
    marks += [Label(family, value, "title", value) for family, value in labels]
    sections = [AbstractSection(name.upper(), name.upper(), text) for name, text in
                (("background", background), ("methods", methods), ("results", results),
                 ("conclusions", conclusions)) if text]
    record = Paper(pmid=str(next(_PMIDS)), title=title, abstract_sections=sections,
                   journal=journal, journal_abbrev=abbrev, pub_year=year, pub_date=str(year),
                   entrez_date=entrez, publication_types=list(pubtypes))
    return Incoming(record, raw, Classification(marks, summary=""))


def store(engine: Engine, *items: Incoming, now: datetime | None = None) -> list[str]:
    ingest_batch(engine, items, now=now)
    return [f"pubmed:{item.record.source_id}" for item in items]


def claim(text: str, **table: Any) -> Claim:
    """A claim from its text plus TOML-shaped keys (defaults: id and article)."""
    base: dict[str, Any] = {"id": "test-claim", "article": ARTICLE, "claim": text}
    base.update(table)
    return parse_claims({"claims": [base]})[0]


def test_a_co_intervention_named_in_methods_counts_for_every_finding() -> None:
    from types import SimpleNamespace

    from litwatch.claims import lexicon
    from litwatch.claims.reading import _studied_with
    from litwatch.classify.sentences import Sentence
    therapy = lexicon.concepts()["psychotherapy"]
    methods = Sentence("abstract", "methods", "Patients received ketamine psychotherapy.", 1)
    results = Sentence("abstract", "results", "Abstinence was higher with the high dose.", 2)
    assert _studied_with(SimpleNamespace(title="Ketamine in heroin addiction",
                                         sentences=[methods, results]), therapy)
    assert not _studied_with(SimpleNamespace(title="Ketamine in heroin addiction",
                                             sentences=[results]), therapy)
