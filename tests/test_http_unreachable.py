"""Hosts that cannot be reached fail fast and once; slow or failing hosts keep the backoff.

No test reaches the internet: `.invalid` never resolves (RFC 6761) and the refused
ports are on 127.0.0.1.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from litwatch.config.loader import HttpSettings
from litwatch.http import HttpClient, SourceError, host_of
from tests.conftest import CONFIG, REPO

NOWHERE = "http://no-such-host.invalid/entrez/eutils/"


def free_port() -> int:
    """A loopback port nobody listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def client(sleep: Recorder, retries: int = 5, timeout: float = 2) -> HttpClient:
    settings = HttpSettings(timeout_seconds=timeout, max_retries=retries, backoff_seconds=1.0,
                            max_backoff_seconds=30, max_response_mb=1)
    return HttpClient(settings, sleep=sleep, jitter=lambda: 0.5)


def get(http: HttpClient, url: str, source: str = "pubmed") -> object:
    return http.fetch("GET", url, source=source, parse=lambda r: r.body)


def test_unresolvable_host_is_retried_briefly_then_named_in_one_line() -> None:
    sleep = Recorder()
    http = client(sleep)
    with pytest.raises(SourceError) as info:
        get(http, NOWHERE + "esearch.fcgi")
    message = str(info.value)
    assert "no-such-host.invalid" in message and "not resolved" in message
    assert "\n" not in message and "HTTPConnectionPool" not in message
    assert sum(sleep.waits) <= 2.0 and http.requests_made["pubmed"] == 3


def test_a_dead_host_fails_at_once_for_the_rest_of_the_run() -> None:
    sleep = Recorder()
    http = client(sleep)
    with pytest.raises(SourceError):
        get(http, NOWHERE + "esearch.fcgi")
    made, waited = http.requests_made["pubmed"], list(sleep.waits)
    for path in ("efetch.fcgi", "esearch.fcgi"):
        with pytest.raises(SourceError, match="no-such-host.invalid.*earlier in this run"):
            get(http, NOWHERE + path)
    assert http.requests_made["pubmed"] == made and sleep.waits == waited


def test_refused_connection_names_host_and_port() -> None:
    port = free_port()
    sleep = Recorder()
    http = client(sleep)
    with pytest.raises(SourceError, match=rf"127\.0\.0\.1:{port}: connection refused"):
        get(http, f"http://127.0.0.1:{port}/api/v2/studies", source="ctgov")
    assert sum(sleep.waits) <= 2.0
    assert f"127.0.0.1:{port}" in http.dead_hosts
    assert host_of("http://no-such-host.invalid/x") == "no-such-host.invalid"


def test_without_retries_an_unreachable_host_still_fails_in_one_line() -> None:
    with pytest.raises(SourceError, match="cannot reach no-such-host.invalid"):
        get(client(Recorder(), retries=0), NOWHERE)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never answers: every request times out."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_timeouts_keep_the_exponential_backoff(silent_server: int) -> None:
    sleep = Recorder()
    http = client(sleep, retries=2, timeout=0.2)
    with pytest.raises(SourceError, match="after 3 attempts"):
        get(http, f"http://127.0.0.1:{silent_server}/slow")
    assert sleep.waits == [1.0, 2.0] and not http.dead_hosts


def test_sync_without_network_fails_fast_without_a_traceback(tmp_path: Path) -> None:
    refused = free_port()
    # The repo's config, copied: its relative paths (the run lock, the archive) resolve
    # beside the copy, so the test never takes the lock of a sync run from this checkout.
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.read_text("utf-8"), "utf-8")
    env = dict(os.environ, LITWATCH_DATABASE_URL=f"sqlite:///{tmp_path / 'lw.db'}",
               LITWATCH_EUTILS_URL=NOWHERE,
               LITWATCH_CTGOV_URL=f"http://127.0.0.1:{refused}/api/v2/",
               LITWATCH_FEED_URLS=f"a=http://no-such-host.invalid/a.xml,"
                                  f"b=http://127.0.0.1:{refused}/b.xml",
               LITWATCH_NCBI_EMAIL="test@example.org")
    env.pop("NCBI_API_KEY", None)

    def timed(*args: str) -> tuple[subprocess.CompletedProcess, float]:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "litwatch", "--config", str(config),
                               *args], env=env, cwd=REPO, capture_output=True, text=True,
                              timeout=120)
        return done, time.monotonic() - started

    done, elapsed = timed("sync", "--quiet")
    # Python start-up and opening the store, measured alone: a loaded CI machine makes
    # them slow, and they are not what this test is about.
    _, startup = timed("stats")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert elapsed < 30 and elapsed - startup < 10, \
        f"sync took {elapsed:.1f}s without network ({startup:.1f}s of it start-up)"
    assert "Traceback" not in output
    assert "no-such-host.invalid" in output and f"127.0.0.1:{refused}" in output
    assert len([ln for ln in done.stderr.splitlines() if "WARNING" in ln]) <= 3, done.stderr
