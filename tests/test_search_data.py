"""A small hand-built store for the search, show and export tests (no test cases here).

Records are built in code so every label, link, flag and trial change is known.
`store_engine` follows conftest.backend_url: SQLite always, PostgreSQL too when
LITWATCH_TEST_PG_URL is set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine

from litwatch.classify.labels import Classification, Label
from litwatch.cli import main
from litwatch.records import AbstractSection, FeedItem, Intervention, Paper, Reference, Trial
from litwatch.store import engine as store_module
from litwatch.store.engine import open_engine
from litwatch.sync.pipeline import Incoming, ingest_batch
from tests.conftest import CONFIG, REPO


def labels(**families: str) -> list[Label]:
    """labels(indication="trd", route="intranasal") with a made-up evidence phrase."""
    out = []
    for family, values in families.items():
        for value in values.split(","):
            out.append(Label(family, value, "title", f"{value} phrase"))
    return out


def paper(pmid: str, title: str, abstract: str, entry: str, **extra) -> Paper:
    return Paper(pmid=pmid, title=title, abstract_sections=[AbstractSection(None, None, abstract)],
                 authors=extra.pop("authors", ["Doe J", "Roe R"]), journal="J Test Psychiatry",
                 pub_year=int(entry[:4]), pub_date=entry[:4], entrez_date=entry,
                 modified_date=entry, **extra)


def trial(nct: str, title: str, status: str, phase: str, posted: str, **extra) -> Trial:
    return Trial(nct_id=nct, brief_title=title, official_title=f"A study: {title}",
                 overall_status=status, phases=[phase], first_post_date=posted,
                 last_update_post_date=extra.pop("updated", posted), sponsor="Test Sponsor",
                 interventions=[Intervention("DRUG", extra.pop("drug", "Ketamine"))],
                 brief_summary=extra.pop("summary", "A trial."), **extra)


def records() -> list[Incoming]:
    esk_rct = paper(
        "90000001", "Intranasal esketamine for treatment-resistant depression: a randomized "
        "controlled trial", "Adults received esketamine nasal spray or placebo for four weeks.",
        "2024-03-01", doi="10.1000/esk.2024.1", nct_ids=["NCT90000001"],
        publication_types=["Randomized Controlled Trial"])
    rodent = paper(
        "90000002", "Glutamate signalling in rodents",
        "Ketamine reversed depression-like behaviour. Depression models and depression "
        "circuits were studied.", "2023-05-10")
    retracted = paper(
        "90000003", "Oral ketamine for chronic pain: an open-label study",
        "Open-label oral ketamine in 40 adults with chronic pain.", "2022-01-15",
        comments_corrections=[Reference("RetractionIn", "90000099"),
                              Reference("ErratumIn", "90000098")],
        publication_types=["Journal Article", "Retracted Publication"])
    french = paper(
        "90000004", "Kétamine et dépression : étude observationnelle",
        "Une étude de cohorte sur la kétamine intraveineuse.", "2024-06-30",
        authors=["Müller Ö", "Núñez J"])
    return [
        Incoming(esk_rct, b"<x/>", Classification(labels(
            indication="trd", route="intranasal", design="rct", drug="esketamine"),
            summary="RCT of esketamine nasal spray in TRD.")),
        Incoming(rodent, b"<x/>", Classification(labels(design="preclinical", drug="ketamine"))),
        Incoming(retracted, b"<x/>", Classification(labels(
            indication="chronic_pain", route="oral", design="single_arm", drug="ketamine"))),
        Incoming(french, b"<x/>", Classification(labels(
            indication="mdd", route="intravenous", design="observational", drug="ketamine"))),
        Incoming(trial("NCT90000002", "Arketamine for Bipolar Depression",
                       "NOT_YET_RECRUITING", "PHASE2", "2025-01-10", drug="Arketamine"),
                 b"{}", Classification(labels(indication="bipolar_depression",
                                              route="intravenous", design="rct",
                                              drug="arketamine", phase="PHASE2"))),
        Incoming(FeedItem(guid="pubmed:90000005", title="Ketamine infusion clinics: a news "
                          "feature", link="https://example.org/ketamine-clinics",
                          summary="Clinics offering ketamine infusions.",
                          published="2025-02-01", pmid="90000005", feed_name="news",
                          feed_title="News feed"),
                 b"{}", Classification(labels(drug="ketamine"))),
    ]


def esk_trial(status: str, updated: str) -> Incoming:
    t = trial("NCT90000001", "Esketamine Nasal Spray in Adolescents With Major Depression",
              status, "PHASE3", "2023-09-01", updated=updated, drug="Esketamine",
              references=[Reference("RESULT", "90000001")])
    return Incoming(t, b"{}", Classification(labels(
        indication="mdd", route="intranasal", design="rct", drug="esketamine", phase="PHASE3")))


def fill(engine: Engine) -> None:
    ingest_batch(engine, records() + [esk_trial("RECRUITING", "2023-09-01")])
    # A second version of the trial records a status change.
    ingest_batch(engine, [esk_trial("ACTIVE_NOT_RECRUITING", "2024-11-02")])


@pytest.fixture
def store_url(backend_url: str) -> str:
    """A filled store on each backend (conftest.backend_url: SQLite, and PostgreSQL
    when LITWATCH_TEST_PG_URL is set)."""
    engine = open_engine(backend_url)
    fill(engine)
    engine.dispose()
    return backend_url


@pytest.fixture
def store_engine(store_url: str) -> Iterator[Engine]:
    engine = open_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def cli(store_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> Callable[..., tuple[int, str, str]]:
    """Run `litwatch ARGS` in-process against the hand-built store: (status, out, err)."""
    monkeypatch.setenv("LITWATCH_DATABASE_URL", store_url)
    engines = []

    def open_and_keep(url: str, *args, **kwargs):
        engines.append(store_module.open_engine(url, *args, **kwargs))
        return engines[-1]

    # main() leaves its engine open (harmless in a process that exits; here the
    # pooled PostgreSQL connections would leak into the next test).
    monkeypatch.setattr("litwatch.cli.app.open_engine", open_and_keep)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            status = main(["--config", str(CONFIG), *args])
        finally:
            for engine in engines:
                engine.dispose()
        captured = capsys.readouterr()
        return status, captured.out, captured.err
    return run


def litwatch(url: str, *args: str) -> subprocess.CompletedProcess:
    """`python -m litwatch ARGS` in a real process against the store at `url`."""
    env = dict(os.environ, LITWATCH_DATABASE_URL=url, LITWATCH_CONFIG=str(CONFIG),
               COLUMNS="100")
    return subprocess.run([sys.executable, "-m", "litwatch", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=60)
