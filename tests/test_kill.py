"""A sync killed with SIGKILL mid-run, then re-run: consistent and complete.

Everything runs as it does in production: the emulator in its own process
(`python -m testkit.emulator --port-file`), `python -m litwatch sync` in another,
steered by LITWATCH_* variables and a config.toml. A slow fault on the second efetch
batch holds the sync between two batch transactions; the test waits until the
emulator has received that request, then kills the sync with SIGKILL.

SMTP down or refusing is the digest's concern: tests/test_digest_send.py covers it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CONFIG, REPO
from tests.test_faults import LATE, QUERIES, build_corpus

# --------------------------------------------------------------------------- helpers


def write_config(path: Path, **extra: str) -> Path:
    """The repo's config.toml made fast for tests: no rate limits, small batches and
    pages, short backoff, two indication queries. `extra` replaces `key = value` lines
    (every occurrence). The database URL comes from LITWATCH_DATABASE_URL."""
    text = CONFIG.read_text(encoding="utf-8")
    replace = {"rate_limit": "10000.0",
               "rate_limit_with_key": "10000.0", "batch_size": "10", "page_size": "4",
               "backoff_seconds": "0.01", "max_backoff_seconds": "0.05", "max_retries": "2",
               "timeout_seconds": "5", **extra}
    for key, value in replace.items():
        text, n = re.subn(rf"(?m)^{key} = [^#\n]*", f"{key} = {value}  ", text)
        assert n >= 1, f"config.toml has no {key} line"
    # Keep only the chosen [[indication]] tables (a block runs to the next table header).
    blocks = re.split(r"(?m)^(?=\[)", text)
    kept = [b for b in blocks if not b.startswith("[[indication]]")
            or re.search(rf'name = "({"|".join(QUERIES)})"', b)]
    path.write_text("".join(kept), encoding="utf-8")
    return path


class EmulatorProcess:
    """`python -m testkit.emulator` in a subprocess, driven through /_control/."""

    def __init__(self, corpus: Path, workdir: Path, today: str = LATE.isoformat()):
        port_file = workdir / "emulator.port"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "testkit.emulator", "--corpus", str(corpus), "--port", "0",
             "--port-file", str(port_file), "--today", today],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not port_file.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"emulator did not start: {self.proc.stderr.read()!r}")
            time.sleep(0.05)
        self.base = f"http://127.0.0.1:{port_file.read_text().strip()}"

    def env(self, corpus: Path) -> dict[str, str]:
        feeds = sorted((corpus / "feeds").glob("*.xml"))
        return {"LITWATCH_EUTILS_URL": self.base + "/entrez/eutils/",
                "LITWATCH_CTGOV_URL": self.base + "/api/v2/",
                "LITWATCH_FEED_URLS": ",".join(f"{f.stem}={self.base}/feeds/{f.name}"
                                               for f in feeds)}

    def control(self, name: str, method: str = "GET", data: Any = None) -> Any:
        body = json.dumps(data).encode() if data is not None else None
        request = urllib.request.Request(f"{self.base}/_control/{name}", data=body,
                                         method=method)
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())

    def requests(self, route: str) -> list[dict[str, Any]]:
        return [r for r in self.control("log")["requests"] if r["route"] == route]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()


def litwatch_env(config: Path, database_url: str, emulator: EmulatorProcess, corpus: Path,
                 **extra: str) -> dict[str, str]:
    """A clean environment for a litwatch subprocess: no stray LITWATCH_* or secrets."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LITWATCH_") and k not in ("NCBI_API_KEY",)}
    env.update(emulator.env(corpus), LITWATCH_CONFIG=str(config),
               LITWATCH_DATABASE_URL=database_url,
               LITWATCH_TODAY=LATE.isoformat(), COLUMNS="200", **extra)
    return env


def run_litwatch(args: list[str], env: dict[str, str], timeout: float = 60
                 ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "litwatch", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def sqlite_records(db: Path) -> dict[tuple[str, str], str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT source, source_id, content_hash FROM record").fetchall()
    out = {(src, sid): h for src, sid, h in rows}
    assert len(out) == len(rows), "duplicate (source, source_id)"
    return out


def assert_consistent(db: Path) -> int:
    """No corruption, no half-written record, FTS index in step with the table."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # rank=1 also compares the index with the external content table (record).
        conn.execute("INSERT INTO record_fts(record_fts, rank) VALUES ('integrity-check', 1)")
        records = conn.execute("SELECT count(*) FROM record").fetchone()[0]
        indexed = conn.execute("SELECT count(*) FROM record_fts_docsize").fetchone()[0]
        assert indexed == records, f"FTS holds {indexed} rows for {records} records"
        empty = conn.execute("SELECT count(*) FROM record WHERE content_hash = '' "
                             "OR raw = x'' OR data = '{}'").fetchone()[0]
        assert empty == 0, f"{empty} half-written records"
        orphans = conn.execute("SELECT count(*) FROM label WHERE record_id NOT IN "
                               "(SELECT id FROM record)").fetchone()[0]
        assert orphans == 0
    return records


# --------------------------------------------------------------------------- test


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return build_corpus(tmp_path / "corpus", papers=60, trials=12)


@pytest.fixture
def emulator(corpus: Path, tmp_path: Path) -> Iterator[EmulatorProcess]:
    emu = EmulatorProcess(corpus, tmp_path)
    yield emu
    emu.stop()


def test_sync_killed_mid_batch_then_rerun_is_consistent_and_complete(
        tmp_path: Path, corpus: Path, emulator: EmulatorProcess) -> None:
    db = tmp_path / "killed.db"
    config = write_config(tmp_path / "config.toml")
    env = litwatch_env(config, f"sqlite:///{db}", emulator, corpus)
    # Batch 1 goes through; batch 2 hangs far longer than the test waits.
    emulator.control("faults", "POST", {"route": "efetch", "kind": "slow", "times": None,
                                        "after": 1, "seconds": 30})
    sync = subprocess.Popen([sys.executable, "-m", "litwatch", "sync", "--quiet"], cwd=REPO,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while len(emulator.requests("efetch")) < 2:
            assert sync.poll() is None, "sync ended before the kill"
            assert time.monotonic() < deadline, "sync never reached the second batch"
            time.sleep(0.02)
        sync.send_signal(signal.SIGKILL)
    finally:
        sync.kill()
        sync.wait()
    assert sync.returncode == -signal.SIGKILL

    partial = assert_consistent(db)
    assert 0 < partial, "the first batch should have been committed before the kill"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM watermark").fetchone()[0] == 0, \
            "a killed run must not advance any watermark"

    emulator.control("faults", "DELETE")
    rerun = run_litwatch(["sync", "--quiet"], env)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    total = assert_consistent(db)

    clean_db = tmp_path / "clean.db"
    clean_env = litwatch_env(config, f"sqlite:///{clean_db}", emulator, corpus)
    clean = run_litwatch(["sync", "--quiet"], clean_env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert partial < total
    assert sqlite_records(db) == sqlite_records(clean_db)
