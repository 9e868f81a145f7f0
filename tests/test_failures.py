"""Failures end as one line on stderr and an exit status, never a traceback without -v.

The database cases are real: a file of garbage, a file or directory this user
may not write (as an unprivileged user when the tests run as root), a disk that
fills up in the middle of a write (SQLite's max_page_count), a PostgreSQL port
nobody listens on.  After each, the stored record is still there unchanged.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from litwatch.cli import classify_cmd, main
from litwatch.cli.app import App, check_out_path, report_failure
from litwatch.config.loader import Settings
from litwatch.errors import StoreError, UsageError
from litwatch.store import engine as store_engine
from litwatch.store.failures import store_error
from litwatch.sync.load import load_paths
from tests.conftest import CONFIG, CORPUS, REPO

GARBAGE = b"this is not a database, it is a text file someone put here\n" * 100
RESTORE = "restore it from a backup or move it aside; `litwatch init` then creates a new one"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Exit status and the non-empty lines of stderr of an in-process `litwatch`."""
    status = main(argv)
    return status, [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def snapshot(db: Path) -> tuple:
    """What a failed command must not change: records and their labels."""
    # Closed, not just committed: an open connection keeps -wal and -shm files beside
    # the database, which would let a later reader in a read-only directory open it.
    with closing(sqlite3.connect(db)) as conn:
        return (conn.execute("SELECT source_id, title, summary FROM record ORDER BY id").fetchall(),
                conn.execute("SELECT record_id, family, value FROM label ORDER BY id").fetchall())


@pytest.fixture
def stored(settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database holding real PubMed records; LITWATCH_DATABASE_URL points at it."""
    monkeypatch.setenv("LITWATCH_DATABASE_URL", settings.database_url)
    # The longest abstracts: re-classifying them writes many sentence and label rows.
    papers = sorted((CORPUS / "pubmed").glob("*.xml"), key=lambda p: -p.stat().st_size)
    load_paths(engine, papers[:30])
    engine.dispose()
    return Path(settings.database_url.removeprefix("sqlite:///"))


# --------------------------------------------------------------------------- damaged file


@pytest.mark.parametrize("command", [["stats"], ["search", "ketamine"], ["reclassify"],
                                     ["claims"], ["init"]])
def test_a_corrupt_database_file_is_one_line_exit_2_and_left_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        command: list[str]) -> None:
    db = tmp_path / "litwatch.db"
    db.write_bytes(GARBAGE)
    monkeypatch.setenv("LITWATCH_DATABASE_URL", f"sqlite:///{db}")
    config = tmp_path / "config.toml"
    shutil.copyfile(CONFIG, config)     # `init` would otherwise write one into the cwd
    status, err = run(["--config", str(config), *command], capsys)
    assert status == 2
    assert len(err) == 1 and str(db) in err[0] and RESTORE in err[0], err
    assert db.read_bytes() == GARBAGE


def test_a_corrupt_database_through_a_real_process(tmp_path: Path) -> None:
    db = tmp_path / "litwatch.db"
    db.write_bytes(GARBAGE)
    done = subprocess.run([sys.executable, "-m", "litwatch", "--config", str(CONFIG), "stats"],
                          cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "LITWATCH_DATABASE_URL": f"sqlite:///{db}"})
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"litwatch: the database {db} is not a litwatch database")


def test_verbose_adds_the_traceback_then_the_same_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "litwatch.db"
    db.write_bytes(GARBAGE)
    monkeypatch.setenv("LITWATCH_DATABASE_URL", f"sqlite:///{db}")
    status, err = run(["-v", "--config", str(CONFIG), "stats"], capsys)
    assert status == 2
    assert err[0].startswith("Traceback") and "file is not a database" in "\n".join(err)
    assert err[-1].startswith("litwatch: the database") and RESTORE in err[-1]


# --------------------------------------------------------------------------- read-only


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory another user can reach (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="litwatch-ro-"))
    path.chmod(0o755)
    yield path
    path.chmod(0o755)
    shutil.rmtree(path)


def run_unprivileged(argv: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    """`litwatch` as a user who does not own the files (root may write anything)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.fail("running as root needs setpriv to test as an unprivileged user")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.run([*prefix, sys.executable, "-m", "litwatch", "--config", str(CONFIG),
                           *argv], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "HOME": "/tmp",
                               "LITWATCH_DATABASE_URL": f"sqlite:///{db}"})


@pytest.mark.parametrize("read_only", ["file", "directory"])
def test_a_read_only_database_is_one_line_exit_2_and_the_record_survives(
        stored: Path, shared_dir: Path, read_only: str) -> None:
    db = shared_dir / "litwatch.db"
    shutil.copyfile(stored, db)
    before = snapshot(db)
    db.chmod(0o444 if read_only == "file" else 0o666)
    shared_dir.chmod(0o777 if read_only == "file" else 0o555)
    assert sorted(p.name for p in shared_dir.iterdir()) == ["litwatch.db"]
    done = run_unprivileged(["reclassify"], db)
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip()
    assert "\n" not in line and "Traceback" not in line, done.stderr
    assert line.startswith(f"litwatch: the database {db} ") and "writable" in line, line
    shared_dir.chmod(0o755)
    assert snapshot(db) == before


# --------------------------------------------------------------------------- full disk


def test_a_disk_that_fills_mid_write_rolls_back_and_the_record_survives(
        stored: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(stored)
    with closing(sqlite3.connect(stored)) as conn:
        conn.execute("VACUUM")              # no free pages left for the rewrite to reuse
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    real_pragmas = store_engine._sqlite_pragmas

    def no_room_to_grow(dbapi_conn: sqlite3.Connection, record: object) -> None:
        real_pragmas(dbapi_conn, record)
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")   # SQLITE_FULL beyond this

    monkeypatch.setattr(store_engine, "_sqlite_pragmas", no_room_to_grow)
    status, err = run(["--config", str(CONFIG), "reclassify"], capsys)
    assert status == 2
    assert len(err) == 1 and "database or disk is full" in err[0] and str(stored) in err[0]
    assert snapshot(stored) == before


# --------------------------------------------------------------------------- PostgreSQL


def test_unreachable_postgresql_is_one_line_exit_2_without_the_password(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:           # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("LITWATCH_DATABASE_URL",
                       f"postgresql+psycopg://litwatch:s3cret-pw@127.0.0.1:{port}/litwatch")
    status, err = run(["--config", str(CONFIG), "stats"], capsys)
    assert status == 2
    assert len(err) == 1 and f"PostgreSQL at 127.0.0.1:{port}/litwatch cannot be reached" \
        in err[0], err
    assert "s3cret-pw" not in err[0]


# --------------------------------------------------------------------------- driver messages


@pytest.mark.parametrize("message, expected", [
    ("database is locked", "is locked by another process"),
    ("database or disk is full", "the disk is full"),
    ("unable to open database file", "cannot be opened"),
    ("attempt to write a readonly database", "is read-only"),
    ("database disk image is malformed", RESTORE),
    ('connection failed: FATAL:  password authentication failed for user "x"',
     "refused the login"),
    ('connection failed: FATAL:  database "lw" does not exist', "has no such database"),
    ("something new", ": something new"),
])
def test_driver_messages_become_a_diagnosis_and_a_next_step(message: str,
                                                            expected: str) -> None:
    exc = OperationalError("SELECT 1", {}, sqlite3.OperationalError(message))
    error = store_error(exc, "sqlite:////srv/litwatch.db")
    assert isinstance(error, StoreError) and error.exit_status == 2
    assert str(error).startswith("the database /srv/litwatch.db") and expected in str(error)
    assert "\n" not in str(error) and "SELECT 1" not in str(error)


# --------------------------------------------------------------------------- --out, --config


def test_out_into_a_missing_directory_is_refused_before_any_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LITWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'litwatch.db'}")
    status, err = run(["--config", str(CONFIG), "claims", "--format", "html",
                       "--out", str(tmp_path / "missing" / "claims.html")], capsys)
    assert status == 2
    assert err == [f"litwatch: --out: the directory {tmp_path / 'missing'} does not exist; "
                   "create it first"]
    assert list(tmp_path.iterdir()) == [], "the database was opened before the check"


def test_check_out_path_says_what_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    assert check_out_path(None) is None
    assert check_out_path(str(tmp_path / "new.csv")) == tmp_path / "new.csv"
    for value, words in ((tmp_path, "is a directory"), (tmp_path / "no" / "x.csv", "does not "
                         "exist"), (tmp_path / "a-file" / "x.csv", "is not a directory")):
        with pytest.raises(UsageError, match=words) as refused:
            check_out_path(str(value), "--out")
        assert str(refused.value).startswith("--out: ")


def test_config_pointing_at_a_directory_is_one_line_exit_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    status, err = run(["--config", str(tmp_path), "search", "ketamine"], capsys)
    assert status == 2
    assert len(err) == 1 and err[0].startswith("litwatch: configuration error: ")
    assert str(tmp_path) in err[0] and "directory" in err[0]
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- anything else


def test_a_bug_is_one_line_pointing_at_verbose(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    def broken(app: App, args: object) -> int:
        raise KeyError("lost")

    monkeypatch.setattr(classify_cmd, "cmd_labels", broken)
    status, err = run(["labels"], capsys)
    assert status == 1
    assert err == ["litwatch: internal error: KeyError: 'lost' (run with -v for the traceback)"]
    status, err = run(["-v", "labels"], capsys)
    assert status == 1 and err[0].startswith("Traceback") and "KeyError" in err[-1]


def test_an_unwritable_file_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    error = PermissionError(13, "Permission denied", "/srv/out.csv")
    assert report_failure(error, App(), verbose=False) == 1
    assert capsys.readouterr().err == "litwatch: Permission denied: /srv/out.csv\n"
