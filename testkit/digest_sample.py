"""A synthetic but realistic week of records, for the digest's tests, bench and previews.

The bundled corpus is real-shaped but fixed; the bench needs 1,000 items and the
tests need every kind of news (late arrival, record caught up from before the
week, older record, trial update, retraction, links) in a known week, labelled
without depending on the classifier.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine

from litwatch import vocab
from litwatch.classify.labels import Classification, Label
from litwatch.records import FeedItem, Intervention, Paper, Reference, Trial
from litwatch.sync.pipeline import Incoming, ingest_batch

_INDICATIONS = ["trd", "mdd", "suicidal_ideation", "bipolar_depression", "ptsd", "chronic_pain",
                "alcohol_use", "acute_pain"]
_ROUTES = ["intravenous", "intranasal", "oral", "intramuscular"]
_DESIGNS = [d for d in vocab.DESIGNS if d != "other"]
_DRUGS = ["ketamine", "esketamine", "arketamine"]


def labels_for(rng: random.Random, i: int) -> Classification:
    """Mostly labelled records, some with none (they go to Other / Route not stated)."""
    labels = [Label("drug", _DRUGS[i % 3])]
    if i % 9:
        labels.append(Label("indication", rng.choice(_INDICATIONS)))
        if i % 13 == 0:
            labels.append(Label("indication", "suicidal_ideation"))
    if i % 7:
        labels.append(Label("route", rng.choice(_ROUTES)))
    labels.append(Label("design", rng.choice(_DESIGNS)))
    labels.append(Label("comparator", rng.choice(list(vocab.COMPARATORS))))
    return Classification(labels, summary=f"Synthetic finding number {i}: fewer symptoms at "
                                          f"day {1 + i % 28} than comparator.",
                          sample_size=rng.choice([None, 12, 40, 120, 380]))


def _day(monday: date, i: int) -> str:
    return (monday + timedelta(days=i % 7)).isoformat()


_SURNAMES = ["Rivera", "Okafor", "Lindqvist", "Tanaka", "Moreau", "Haddad", "Novak"]


def _paper(i: int, monday: date, nct: str | None = None) -> Paper:
    authors = [f"{_SURNAMES[(i + k) % len(_SURNAMES)]} {chr(65 + (i + k) % 26)}"
               for k in range(1 + i % 5)]
    return Paper(pmid=str(41000000 + i), title=f"Ketamine study {i}: effect on outcomes",
                 authors=authors, journal="Journal of synthetic psychiatry",
                 journal_abbrev="J Synth Psychiatry", pub_year=monday.year,
                 pub_date=str(monday.year), entrez_date=_day(monday, i), doi=f"10.5555/syn.{i}",
                 nct_ids=[nct] if nct else [])


def _trial(i: int, monday: date, status: str = "RECRUITING", posted: date | None = None
           ) -> Trial:
    return Trial(nct_id=f"NCT{90000000 + i:08d}", brief_title=f"Ketamine trial {i}",
                 overall_status=status, phases=["PHASE2"], enrollment=60 + i,
                 enrollment_type="ESTIMATED", first_post_date=_day(monday, i),
                 last_update_post_date=(posted or monday).isoformat(),
                 interventions=[Intervention("DRUG", "Ketamine")])


def _feed(i: int, monday: date) -> FeedItem:
    return FeedItem(guid=f"doi:10.1101/2026.{i}", title=f"Preprint {i} on esketamine",
                    link=f"https://www.medrxiv.org/content/10.1101/2026.{i}",
                    published=_day(monday, i), doi=f"10.1101/2026.{i}",
                    feed_name="medrxiv_psychiatry", feed_title="medRxiv psychiatry")


def _record(i: int, monday: date):
    kind = i % 4
    if kind == 1:
        return _trial(i, monday)
    if kind == 2:
        return _feed(i, monday)
    return _paper(i, monday, nct=f"NCT{90000000 + i - 2:08d}" if kind == 3 else None)


def sample_week(engine: Engine, week_label: str, count: int = 40, seed: int = 46) -> None:
    """Store `count` new records in ISO week `week_label`, plus one updated trial, one
    retracted paper, one late arrival (published two years before it entered PubMed
    this week), one paper caught up from the days before the week and one older
    preprint first seen this week (so every section and arrival note has something)."""
    rng = random.Random(seed)
    year, week = (int(x) for x in week_label.split("-W"))
    monday = date.fromisocalendar(year, week, 1)
    seen = datetime.combine(monday + timedelta(days=2), time(12), UTC)
    items = [Incoming(_record(i, monday), b"", labels_for(rng, i)) for i in range(count)]
    ingest_batch(engine, items, now=seen)
    _extras(engine, monday, rng)


def _extras(engine: Engine, monday: date, rng: random.Random) -> None:
    before = monday - timedelta(days=60)
    old_trial = _trial(7001, before, posted=before)
    ingest_batch(engine, [Incoming(old_trial, b"", labels_for(rng, 1))],
                 now=datetime.combine(before, time(12), UTC))
    updated = _trial(7001, before, status="COMPLETED", posted=monday + timedelta(days=3))
    updated.has_results = True
    updated.results_first_post_date = (monday + timedelta(days=3)).isoformat()
    retracted = _paper(7002, monday)
    retracted.comments_corrections = [Reference("RetractionIn", "41999999")]
    late = _paper(7003, monday)                        # enters PubMed two years late
    late.pub_year, late.pub_date = monday.year - 2, f"{monday.year - 2} Mar"
    caught_up = _paper(7004, monday)                   # entered last week, seen only now
    caught_up.entrez_date = (monday - timedelta(days=3)).isoformat()
    older = _feed(7005, monday - timedelta(days=700))      # a preprint from two years ago
    seen = datetime.combine(monday + timedelta(days=3), time(9), UTC)
    ingest_batch(engine, [Incoming(updated, b"", labels_for(rng, 1)),
                          Incoming(retracted, b"", labels_for(rng, 2)),
                          Incoming(late, b"", labels_for(rng, 3)),
                          Incoming(caught_up, b"", labels_for(rng, 4)),
                          Incoming(older, b"", labels_for(rng, 5))], now=seen)
