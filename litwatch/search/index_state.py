"""Where a store's search index lives, how far it has caught up, and who may update it.

Location: beside a SQLite file (`litwatch.db` -> `litwatch.db-search/`); for
PostgreSQL, whose store is shared by several machines, each machine keeps its own
index under `$LITWATCH_INDEX_DIR`, else `$XDG_CACHE_HOME/litwatch`, else
`~/.cache/litwatch`, in a folder named after the server and database.  Setting
`LITWATCH_INDEX_DIR` moves SQLite indexes there too; `LITWATCH_SEARCH_INDEX=off`
turns the index off (search then runs on the database's own full-text index).

State: `state.json` says which stamp (litwatch.store.changes) the index has
applied, up to which record id within that stamp, and which store it was built
from.  It is replaced atomically and only after the index commit it describes, so
a process killed between the two leaves a state that is behind, never ahead: the
next catch-up re-applies a few rows (delete by id, then add), which is harmless.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from litwatch.errors import StoreError

if TYPE_CHECKING:        # SQLAlchemy's URL parser loads only for index_dir(): the fast
    from sqlalchemy.engine import URL  # search path reads sqlite_index_dir() alone

STATE_FILE = "state.json"
LOCK_FILE = "update.lock"


@dataclass
class IndexState:
    version: int
    seq: int = 0            # every row with a lower stamp is applied ...
    last_id: int = 0        # ... and those of stamp `seq` up to this id
    store: str = ""         # fingerprint of the store it was built from
    # Written just before an index commit and cleared just after: found set, the
    # process died inside that window and the index may hold rows past the position
    # (re-applying them would leave deleted copies that skew scores), so it is rebuilt.
    committing: bool = False

    @property
    def position(self) -> tuple[int, int]:
        return self.seq, self.last_id


def enabled() -> bool:
    return os.environ.get("LITWATCH_SEARCH_INDEX", "").lower() not in ("off", "0", "no")


def index_dir(url: str | URL) -> Path | None:
    """The index folder for a database URL; None when the store has no lasting place
    (an in-memory SQLite database) or the index is turned off."""
    if not enabled():
        return None
    from sqlalchemy.engine import make_url
    parsed = make_url(url)
    base = os.environ.get("LITWATCH_INDEX_DIR")
    if parsed.get_backend_name() == "sqlite":
        return sqlite_index_dir(parsed.database or "")
    where = f"{parsed.host or 'local'}-{parsed.port or 5432}-{parsed.database or ''}"
    root = Path(base) if base else _cache_home() / "litwatch"
    return root / f"pg-{_safe(where)}-{_digest(where + str(parsed.username))}"


def sqlite_index_dir(database: str) -> Path | None:
    """The index folder of a SQLite database file (None: in memory, a URI, or off)."""
    if not enabled() or not database or database == ":memory:" or database.startswith("file:"):
        return None
    db = Path(database).resolve()
    base = os.environ.get("LITWATCH_INDEX_DIR")
    if not base:
        return db.with_name(db.name + "-search")
    return Path(base) / f"sqlite-{db.stem}-{_digest(str(db))}"


def _cache_home() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) if xdg else Path.home() / ".cache"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:80]


def read_state(folder: Path) -> IndexState | None:
    try:
        data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        return IndexState(**{k: data[k] for k in ("version", "seq", "last_id", "store")},
                          committing=bool(data.get("committing", False)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_state(folder: Path, state: IndexState) -> None:
    """Write the state file atomically (temporary file, fsync, rename)."""
    temporary = folder / f".{STATE_FILE}.{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(asdict(state), out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, folder / STATE_FILE)


@contextmanager
def update_lock(folder: Path, timeout: float = 120.0) -> Iterator[None]:
    """One updating process per index folder (flock: a killed holder releases it)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise StoreError(f"the search index {folder} has been locked by another "
                                     f"process for {timeout:.0f} s") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
