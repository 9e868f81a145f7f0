"""Shared fixtures: paths, settings pointed at a local emulator, fresh databases.

Tests never reach the internet: an autouse guard refuses any socket connection
that is not to the loopback interface.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from litwatch.config.loader import Settings, load_settings
from litwatch.store.engine import open_engine

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REALDATA = SHARED / "realdata"
CORPUS = REPO / "corpus"
CONFIG = REPO / "config.toml"

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> object:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host not in _LOOPBACK and self.family != socket.AF_UNIX:
        raise RuntimeError(f"test tried to reach the network: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


def make_settings(tmp_path: Path, emulator: object | None = None, corpus_dir: Path = CORPUS,
                  **env: str) -> Settings:
    """Settings from the repo's config.toml with a temp database (and the emulator's URLs)."""
    values = {"LITWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'litwatch.db'}"}
    if emulator is not None:
        values.update(emulator_env(emulator, corpus_dir))
    values.update(env)
    return load_settings(CONFIG, env=values)


def emulator_env(emulator: object, corpus_dir: Path = CORPUS) -> dict[str, str]:
    """Environment that points litwatch at a running emulator (as `make demo` does)."""
    feeds = sorted((corpus_dir / "feeds").glob("*.xml"))
    return {
        "LITWATCH_EUTILS_URL": emulator.eutils_url,
        "LITWATCH_CTGOV_URL": emulator.ctgov_url,
        "LITWATCH_FEED_URLS": ",".join(f"{f.stem}={emulator.feed_url(f.name)}" for f in feeds),
    }


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    eng = open_engine(settings.database_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the bundled corpus (loaded from disk, no HTTP); copy to use."""
    from litwatch.sync.load import load_directory
    path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    eng = open_engine(f"sqlite:///{path}")
    load_directory(eng, CORPUS)
    eng.dispose()
    return path


@pytest.fixture
def corpus_engine(corpus_db: Path, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the corpus database, safe to write to."""
    target = tmp_path / "corpus.db"
    shutil.copyfile(corpus_db, target)
    eng = open_engine(f"sqlite:///{target}")
    yield eng
    eng.dispose()


# PostgreSQL: .ci/run starts a server and sets LITWATCH_TEST_PG_URL; without it the
# backend-parametrised tests run on SQLite only (no PG parameters are generated).
PG_URL = os.environ.get("LITWATCH_TEST_PG_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def _pg_admin(url: str):
    import psycopg
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                           autocommit=True)


def fresh_pg_database() -> str:
    """Create an empty database on the test server; return its SQLAlchemy URL."""
    assert PG_URL
    name = f"lwt_{uuid.uuid4().hex[:12]}"
    with _pg_admin(PG_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with _pg_admin(PG_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL on each available backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'backend.db'}"
        return
    url = fresh_pg_database()
    yield url
    drop_pg_database(url)
