"""HttpClient against a real local server: retries, Retry-After, limits, redaction."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from litwatch.config.loader import HttpSettings
from litwatch.http import HttpClient, RateLimiter, SourceError, parse_retry_after
from litwatch.sources.pubmed_xml import parse_esearch
from testkit.emulator import Emulator
from tests.conftest import REALDATA


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Emulator]:
    corpus = tmp_path / "corpus"
    (corpus / "pubmed").mkdir(parents=True)
    shutil.copy(REALDATA / "pubmed/metapub_pmid_38011560.xml", corpus / "pubmed/38011560.xml")
    with Emulator(corpus) as emu:
        yield emu


class Recorder:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def client(sleep: Recorder, retries: int = 3, secrets=()) -> HttpClient:
    settings = HttpSettings(timeout_seconds=2, max_retries=retries, backoff_seconds=1.0,
                            max_backoff_seconds=30, max_response_mb=1)
    return HttpClient(settings, secrets=secrets, sleep=sleep, jitter=lambda: 0.5)


def esearch(http: HttpClient, emu: Emulator, term: str = "ketamine", **extra):
    return http.fetch("GET", emu.eutils_url + "esearch.fcgi", source="pubmed",
                      params={"db": "pubmed", "term": term, **extra},
                      parse=lambda r: parse_esearch(r.body))


def test_retry_after_is_honoured(emulator: Emulator) -> None:
    sleep = Recorder()
    emulator.inject("esearch", "429", times=1, retry_after=7)
    result = esearch(client(sleep), emulator)
    assert result.ids == ["38011560"]
    assert sleep.waits == [7.0]


def test_exponential_backoff_without_retry_after(emulator: Emulator) -> None:
    sleep = Recorder()
    emulator.inject("esearch", "503", times=3)
    http = client(sleep)
    assert esearch(http, emulator).count == 1
    assert sleep.waits == [1.0, 2.0, 4.0]        # jitter fixed at 0.5 -> factor 1.0
    assert http.requests_made["pubmed"] == 4


def test_gives_up_after_retries_with_a_clear_error(emulator: Emulator) -> None:
    emulator.inject("esearch", "500", times=None)
    with pytest.raises(SourceError, match=r"after 3 attempts: HTTP 500"):
        esearch(client(Recorder(), retries=2), emulator)


def test_client_errors_are_not_retried(emulator: Emulator) -> None:
    http = client(Recorder())
    with pytest.raises(SourceError, match="HTTP 404"):
        http.fetch("GET", emulator.base_url + "/nowhere", source="x", parse=lambda r: r)
    assert http.requests_made["x"] == 1


def test_secrets_never_appear_in_errors(emulator: Emulator) -> None:
    emulator.inject("esearch", "500", times=None)
    with pytest.raises(SourceError) as info:
        esearch(client(Recorder(), retries=0, secrets=["s3cr3tkey"]), emulator,
                api_key="s3cr3tkey")
    assert "s3cr3tkey" not in str(info.value)


def test_oversized_response_is_refused(emulator: Emulator) -> None:
    big = "ketamine " + " OR ".join(f"x{i}" for i in range(1))
    http = client(Recorder())
    http.settings = HttpSettings(max_response_mb=0.0001)
    with pytest.raises(SourceError, match="max_response_mb"):
        esearch(http, emulator, term=big)


def test_rate_limiter_spaces_requests() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(3.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        limiter.wait()
    assert waits == pytest.approx([1 / 3, 1 / 3, 1 / 3])


def test_retry_after_http_date() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("soon") is None
