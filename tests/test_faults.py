"""Every fault mode on every source, against the real HTTP emulator.

Each case either recovers (a transient fault: the run succeeds and the store equals a
clean full sync) or fails loudly (the run reports the source, its sync_run rows say
"failed", the watermark of every failed query stays where it was, so every record the
run missed is still in the next run's window); the next clean run then fills the gap
and the store equals a clean full sync: nothing lost, nothing duplicated.

The corpus is built per module from real-shaped templates (bench/scale_corpus.py over
../shared/realdata, every title naming ketamine) plus one hand-written RSS feed, small
enough that a sync takes a fraction of a second. Other modules (test_kill,
test_security, test_postgres) reuse the builder and the Lab helper from here.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bench.scale_corpus import write as write_scaled_corpus
from litwatch.config.loader import Settings
from litwatch.http import HttpClient
from litwatch.sources.ctgov import CtgovClient, study_params
from litwatch.sources.pubmed import PubmedClient, build_term
from litwatch.store.engine import open_engine
from litwatch.store.tables import FeedStateRow, RecordRow, SyncRunRow, WatermarkRow
from litwatch.sync import SOURCES, SyncContext, SyncReport, run_sync
from testkit.emulator import Emulator
from tests.conftest import make_settings

EARLY = date(2026, 5, 1)     # the scaled corpus spans Nov 2025 - Nov 2026
LATE = date(2026, 11, 15)
# Two indication queries keep each sync small; two queries still show per-query
# watermarks (one may fail while the other advances).
QUERIES = ("depression", "suicidality")
FEED_NAME = "ketamine_preprints"


# --------------------------------------------------------------------------- corpus
def write_feed(path: Path, pmids: Iterable[str], preprints: int = 4) -> None:
    """An RSS 2.0 feed shaped like PubMed's: PubMed items (guid pubmed:NNN) and preprints
    (bioRxiv-style DOIs), plus one item about another drug that the sync must skip."""
    when = format_datetime(datetime(2026, 10, 1, 6, 0, tzinfo=UTC))
    items = []
    for pmid in pmids:
        items.append(f"""<item><title>Ketamine paper {pmid}</title>
<link>https://pubmed.ncbi.nlm.nih.gov/{pmid}/?utm_source=rss</link>
<description>Ketamine for depression, PubMed item.</description>
<guid isPermaLink="false">pubmed:{pmid}</guid><pubDate>{when}</pubDate></item>""")
    for i in range(preprints):
        items.append(f"""<item><title>Esketamine nasal spray preprint {i}</title>
<link>https://www.medrxiv.org/content/10.1101/2026.10.{i:02d}v1</link>
<description>Esketamine in treatment-resistant depression: preprint {i}.</description>
<guid isPermaLink="false">https://www.medrxiv.org/content/10.1101/2026.10.{i:02d}v1</guid>
<dc:identifier>doi:10.1101/2026.10.{i:02d}</dc:identifier><pubDate>{when}</pubDate></item>""")
    items.append(f"""<item><title>Psilocybin preprint</title>
<link>https://www.medrxiv.org/content/10.1101/2026.10.99v1</link>
<description>Psilocybin only.</description><guid>psilocybin-99</guid>
<pubDate>{when}</pubDate></item>""")
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        "<title>Ketamine preprints</title><link>https://www.medrxiv.org/</link>"
        "<description>test feed</description>\n" + "\n".join(items) + "\n</channel></rss>\n",
        encoding="utf-8")


def build_corpus(root: Path, papers: int = 40, trials: int = 16) -> Path:
    """pubmed/<PMID>.xml, ctgov/<NCT>.json and feeds/<name>.xml under `root`."""
    write_scaled_corpus(root, papers, trials)
    (root / "feeds").mkdir(exist_ok=True)
    pmids = sorted(p.stem for p in (root / "pubmed").glob("*.xml"))[:2]
    write_feed(root / "feeds" / f"{FEED_NAME}.xml", pmids)
    return root


# --------------------------------------------------------------------------- harness
def fault_settings(settings: Settings) -> Settings:
    """Fast and small: no rate limits, ~0.01 s backoff, a 1 s timeout (so "slow" is a
    timeout), two retries, small efetch batches and ctgov pages (so faults land mid-run)."""
    return dataclasses.replace(
        settings,
        http=dataclasses.replace(settings.http, backoff_seconds=0.01, max_backoff_seconds=0.02,
                                 max_retries=2, timeout_seconds=1.0),
        pubmed=dataclasses.replace(settings.pubmed, rate_limit=10_000.0, batch_size=10),
        ctgov=dataclasses.replace(settings.ctgov, rate_limit=10_000.0, page_size=4),
        indications=tuple(q for q in settings.indications if q.name in QUERIES))


class Lab:
    """One database synced from the shared emulator with the fault settings."""

    def __init__(self, emulator: Emulator, corpus: Path, db: Path | None = None,
                 url: str | None = None):
        self.emulator = emulator
        url = url or f"sqlite:///{db}"
        base = make_settings(corpus, emulator, corpus_dir=corpus, LITWATCH_DATABASE_URL=url)
        self.settings = fault_settings(base)
        self.engine: Engine = open_engine(url)

    def sync(self, today: date = LATE, sources: Iterable[str] = SOURCES) -> SyncReport:
        self.emulator.set_today(today)
        ctx = SyncContext(self.settings, self.engine, HttpClient(self.settings.http),
                          today=today)
        return run_sync(ctx, sources=list(sources))

    def records(self) -> dict[tuple[str, str], str]:
        """(source, id) -> content hash; asserts no duplicates and no half-written row."""
        with Session(self.engine) as s:
            rows = s.exec(select(RecordRow.source, RecordRow.source_id,
                                 RecordRow.content_hash)).all()
        out = {(src, sid): h for src, sid, h in rows}
        assert len(out) == len(rows), "duplicate (source, source_id) rows"
        assert all(out.values()), "a record row without content (claimed, never filled)"
        return out

    def matched(self) -> dict[tuple[str, str], list[str]]:
        """(source, id) -> the query and feed names that selected the record."""
        with Session(self.engine) as s:
            rows = s.exec(select(RecordRow.source, RecordRow.source_id,
                                 RecordRow.matched_queries)).all()
        return {(src, sid): json.loads(q) for src, sid, q in rows}

    def watermarks(self) -> dict[tuple[str, str], str]:
        with Session(self.engine) as s:
            return {(w.source, w.query): w.value for w in s.exec(select(WatermarkRow))}

    def runs(self, after_id: int = 0) -> list[SyncRunRow]:
        with Session(self.engine) as s:
            return list(s.exec(select(SyncRunRow).where(SyncRunRow.id > after_id)
                               .order_by(SyncRunRow.id)))

    def feed_states(self) -> set[str]:
        with Session(self.engine) as s:
            return {f.name for f in s.exec(select(FeedStateRow))}

    def close(self) -> None:
        self.engine.dispose()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("faults-corpus"))


@pytest.fixture(scope="module")
def emulator(corpus: Path) -> Iterator[Emulator]:
    with Emulator(corpus, today=LATE) as emu:
        yield emu


clean_matched: dict[tuple[str, str], list[str]] = {}   # filled by `clean`


@pytest.fixture(scope="module")
def clean(emulator: Emulator, corpus: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> dict[tuple[str, str], str]:
    """The reference: one clean full sync at LATE."""
    lab = Lab(emulator, corpus, tmp_path_factory.mktemp("clean") / "clean.db")
    report = lab.sync()
    assert report.ok, report.errors
    records = lab.records()
    clean_matched.update(lab.matched())
    lab.close()
    sources = {src for src, _ in records}
    assert sources == {"pubmed", "ctgov", "feed"}, sources
    return records


@pytest.fixture(scope="module")
def early_db(emulator: Emulator, corpus: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> Path:
    """A store synced (PubMed and ClinicalTrials.gov only) at EARLY: watermarks exist,
    and the feed has never been read. Tests copy it."""
    path = tmp_path_factory.mktemp("early") / "early.db"
    lab = Lab(emulator, corpus, path)
    report = lab.sync(EARLY, sources=["pubmed", "ctgov"])
    assert report.ok, report.errors
    lab.close()    # disposing checkpoints the WAL into the file we copy
    return path


@pytest.fixture
def lab(emulator: Emulator, corpus: Path, early_db: Path, tmp_path: Path) -> Iterator[Lab]:
    emulator.clear_faults()
    emulator.clear_log()
    db = tmp_path / "lab.db"
    shutil.copyfile(early_db, db)
    lab = Lab(emulator, corpus, db)
    yield lab
    lab.close()
    emulator.clear_faults()


# --------------------------------------------------------------------------- cases
# Each kind is injected once on every route at the same time, mid-run where the route
# has more than one request (the 2nd esearch, the 2nd efetch batch, the 2nd ctgov page):
# one sync shows all four sources recovering from it.
TRANSIENT: list[tuple[str, dict[str, Any]]] = [
    ("429", {"retry_after": "0"}), ("429", {}), ("500", {}), ("502", {}), ("503", {}),
    ("slow", {"seconds": 1.2}), ("truncate", {}), ("malformed", {}), ("drop_connection", {}),
    ("ncbi_error", {}),
]
AFTER = {"esearch": 1, "efetch": 1, "studies": 1, "feeds": 0}


@pytest.mark.parametrize("kind, options", [
    pytest.param(k, o, id=k + ("-retry_after" if o.get("retry_after") else ""))
    for k, o in TRANSIENT])
def test_transient_fault_on_every_route_recovers_and_loses_nothing(
        lab: Lab, clean: dict, kind: str, options: dict[str, Any]) -> None:
    routes = ["esearch", "efetch"] if kind == "ncbi_error" else list(AFTER)
    faults = [lab.emulator.inject(route, kind, times=1, after=AFTER[route], **options)
              for route in routes]
    report = lab.sync()
    assert report.ok, report.errors
    assert [f.fired for f in faults] == [1] * len(routes), "a fault never reached the client"
    assert lab.records() == clean
    assert all(r.status == "ok" for r in lab.runs())
    assert set(lab.watermarks().values()) == {LATE.isoformat()}


# Faults that outlast the retries (times=None), or that no retry can cure (a repeated
# page token, records vanishing between pages): the run must fail loudly.
FAILING = [
    pytest.param("pubmed", "esearch", "503", None, 0, {}, id="esearch-503"),
    pytest.param("pubmed", "esearch", "429", None, 1, {}, id="esearch-429-no-retry-after"),
    pytest.param("pubmed", "esearch", "malformed", None, 0, {}, id="esearch-malformed"),
    pytest.param("pubmed", "efetch", "truncate", None, 1, {}, id="efetch-truncate"),
    pytest.param("pubmed", "efetch", "ncbi_error", None, 1, {}, id="efetch-ncbi_error"),
    # Three timeouts in a row: every attempt at one batch (max_retries=2), then no more.
    pytest.param("pubmed", "efetch", "slow", 3, 1, {"seconds": 1.2}, id="efetch-timeout"),
    pytest.param("ctgov", "studies", "429", None, 1, {"retry_after": "0"},
                 id="studies-429-retry_after"),
    pytest.param("ctgov", "studies", "truncate", None, 1, {}, id="studies-truncate"),
    pytest.param("ctgov", "studies", "repeat_token", 1, 0, {}, id="studies-repeat_token"),
    pytest.param("ctgov", "studies", "vanish", None, 0, {}, id="studies-vanish"),
    pytest.param("feeds", "feeds", "502", None, 0, {}, id="feeds-502"),
    pytest.param("feeds", "feeds", "malformed", None, 0, {}, id="feeds-malformed"),
]


@pytest.mark.parametrize("source, route, kind, times, after, options", FAILING)
def test_lasting_fault_fails_loudly_and_next_run_fills_the_gap(
        lab: Lab, clean: dict, source: str, route: str, kind: str, times: int | None,
        after: int, options: dict[str, Any]) -> None:
    if kind == "vanish":
        # Every study vanishes from later pages: any query that pages sees fewer
        # studies than page 1's totalCount promised.
        options = {"nct_ids": sorted(sid for src, sid in clean if src == "ctgov")}
    early_marks = lab.watermarks()
    first_run = max((r.id for r in lab.runs()), default=0)
    lab.emulator.inject(route, kind, times=times, after=after, **options)

    report = lab.sync()

    # Loud: the report, the run rows and the error text all name the failing source.
    # (Feeds fetch PubMed RSS items through efetch, so an efetch fault may fail the feeds
    # run too; its error then names pubmed, the source that failed.)
    assert not report.ok
    failed_sources = {s.source for s in report.sources if not s.ok}
    assert source in failed_sources and failed_sources <= {source, "feeds"}, report.errors
    assert all(e.startswith(f"{source}:") for e in report.errors), report.errors
    runs = lab.runs(first_run)
    failed = [r for r in runs if r.status == "failed"]
    assert failed and all(r.source in failed_sources and r.error.startswith(f"{source}:")
                          for r in failed)
    # A watermark moves with its run's success and only then.
    marks = lab.watermarks()
    for run in runs:
        mark = marks.get((run.source, run.query))
        if run.status == "failed":
            assert mark == early_marks.get((run.source, run.query)), run
        elif run.source != "feeds":
            assert mark == LATE.isoformat(), run
    _assert_missing_records_stay_in_window(lab, clean, early_marks)

    # The next clean run fills the gap: equal to a clean full sync.
    lab.emulator.clear_faults()
    again = lab.sync()
    assert again.ok, again.errors
    assert lab.records() == clean
    assert set(lab.watermarks().values()) == {LATE.isoformat()}


def _assert_missing_records_stay_in_window(lab: Lab, clean: dict, early_marks: dict) -> None:
    """Every record the failed run did not store is still owed by a query (or feed) whose
    watermark did not advance: the watermark never passes an unfetched record."""
    have, marks, feeds_read = lab.records(), lab.watermarks(), lab.feed_states()
    for src, sid in clean:
        if (src, sid) in have:
            continue
        owners = clean_matched[(src, sid)]
        stuck = [q for q in owners if q.startswith("feed:") and q[5:] not in feeds_read
                 or not q.startswith("feed:")
                 and marks.get((src, q)) == early_marks.get((src, q))]
        assert stuck, f"{src}:{sid} missing but every query owning it advanced: {owners}"



def test_every_query_that_selects_a_record_is_in_its_matched_queries(lab: Lab) -> None:
    # A record two queries select must name both, whichever query stored it first and
    # however the runs were split up (digest groups and filters read matched_queries).
    assert lab.sync(sources=["pubmed", "ctgov"]).ok
    settings, matched = lab.settings, lab.matched()
    http = HttpClient(settings.http)
    pubmed, ctgov = PubmedClient(http, settings.pubmed), CtgovClient(http, settings.ctgov)
    untagged = []
    for query in settings.indications:
        pmids = pubmed.search_ids(build_term(settings.drug_terms, query.pubmed, None), LATE)
        params = study_params(settings.drug_terms, query.ctgov, None, 100)
        ncts = [s["protocolSection"]["identificationModule"]["nctId"]
                for page in ctgov.pages(params) for s in page.studies]
        assert pmids and ncts, query.name
        untagged += [(src, i, query.name) for src, ids in (("pubmed", pmids), ("ctgov", ncts))
                     for i in ids if query.name not in matched[(src, i)]]
    assert not untagged, f"records selected by a query but not tagged with it: {untagged}"
