"""The search index: a tantivy index derived from the store, caught up before it answers.

bm25 in SQLite FTS5 or ts_rank_cd in PostgreSQL scores every match before the
LIMIT, and in a ketamine store nearly every record matches "ketamine"; tantivy's
top-k collector skips most of them (block-max WAND), which is what keeps a search
at 100,000 records in single milliseconds.  The index is never the only copy of
anything:

- It is built from the store's rows and labels, and rebuilt from them on demand
  (`rebuild`) or whenever it is missing, unreadable, of another version or of
  another store.
- Every write of a record row is stamped (litwatch.store.changes); before a
  search answers, the index applies the rows stamped after the position it has
  reached (delete by id, then add: applying a row twice is harmless), commits,
  and only then records the new position.  A process killed mid-update leaves
  the last commit and a position at or behind it; the next search re-applies
  the rest.  On a shared PostgreSQL store each machine's index catches up from
  every writer's stamps.
- The sync pipeline catches the index up after each sync, so the first search
  after a sync finds nothing to do.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import tantivy
from sqlalchemy import Connection, Engine

from litwatch.search.index_reader import IndexReader
from litwatch.search.index_schema import (
    ANALYZER,
    INDEX_VERSION,
    INDEXED_FAMILIES,
    analyzer,
    build_schema,
    document,
)
from litwatch.search.index_state import (
    LOCK_FILE,
    STATE_FILE,
    IndexState,
    index_dir,
    read_state,
    update_lock,
    write_state,
)
from litwatch.store.changes import (
    StoreStatus,
    behind,
    changed_since,
    labels_of,
    store_fingerprint,
)

log = logging.getLogger(__name__)

PAGE = 5_000              # rows read from the store per query
COMMIT_EVERY = 10_000     # a long catch-up commits (and records its position) this often:
                          # it also bounds the documents queued in memory (~130 MB at 100k)
WRITER_HEAP = 15_000_000  # bytes (tantivy's least): memory stays bounded; segments flush beyond


class SearchIndex(IndexReader):
    """One index folder, opened once per process: searched (IndexReader) and kept up
    to date with the store."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.schema = build_schema()
        self.index = self._open()

    def _open(self) -> tantivy.Index:
        self.folder.mkdir(parents=True, exist_ok=True)
        state = read_state(self.folder)
        if state is not None and state.version != INDEX_VERSION:
            with update_lock(self.folder):       # another version's index: start again
                state = read_state(self.folder)
                if state is not None and state.version != INDEX_VERSION:
                    self._wipe()
        try:
            # Raises ValueError for an index of another schema.
            index = tantivy.Index(self.schema, path=str(self.folder), reuse=True)
        except (OSError, ValueError) as exc:       # unreadable: rebuilt from the store
            log.warning("search index %s unusable (%s): rebuilding it", self.folder, exc)
            with update_lock(self.folder):
                self._wipe()
                index = tantivy.Index(self.schema, path=str(self.folder), reuse=False)
        index.register_tokenizer(ANALYZER, analyzer())
        return index

    def _wipe(self) -> None:
        """Remove everything but the lock file (another process may be waiting on it)."""
        if not self.folder.exists():
            return
        for path in self.folder.iterdir():
            if path.name != LOCK_FILE:
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)

    # ------------------------------------------------------------------ updating

    def catch_up(self, conn: Connection) -> int:
        """Apply what the store holds beyond the index's position; rows applied.

        The check is one query on the caller's connection.  Updating happens under
        the folder's lock and on a fresh connection (the caller's may hold an older
        snapshot, which must not make a newer index look like another store's)."""
        if self._is_current(conn, read_state(self.folder)):
            return 0
        with update_lock(self.folder), conn.engine.connect() as fresh:
            state = read_state(self.folder)      # again: the lock holder may have done it
            if self._is_current(fresh, state):
                return 0
            return self._apply(fresh, self._usable(fresh, state))

    def rebuild(self, engine: Engine) -> int:
        """Index the whole store again, from nothing; rows indexed."""
        with update_lock(self.folder), engine.connect() as conn:
            return self._apply(conn, None)

    def _is_current(self, conn: Connection, state: IndexState | None) -> bool:
        if state is None or state.version != INDEX_VERSION or state.committing:
            return False
        return has_seen(state, behind(conn, state.position))

    def position(self) -> IndexState | None:
        """How far the index has got (None: it must be rebuilt before it answers)."""
        state = read_state(self.folder)
        usable = state is not None and state.version == INDEX_VERSION and not state.committing
        return state if usable else None

    def _usable(self, conn: Connection, state: IndexState | None) -> IndexState | None:
        """The state to resume from, or None to start again from nothing."""
        if state is None or state.version != INDEX_VERSION or state.committing:
            return None                      # never made, another version, or killed mid-commit
        found = behind(conn, state.position)
        if found.latest < state.seq or (state.store and state.store != found.store):
            return None                      # another store now lives here
        return state

    def _apply(self, conn: Connection, state: IndexState | None) -> int:
        writer = self.index.writer(WRITER_HEAP, 1)
        if state is None:
            writer.delete_all_documents()
            state = IndexState(INDEX_VERSION, 0, 0, "")
        applied = pending = 0
        try:
            for rows in _pages(conn, state.position):
                labels = labels_of(conn, [r["id"] for r in rows], INDEXED_FAMILIES)
                for row in rows:
                    writer.delete_documents_by_term("id", row["id"])
                    writer.add_document(document(row, labels.get(row["id"], {})))
                state.seq, state.last_id = rows[-1]["change_seq"], rows[-1]["id"]
                applied, pending = applied + len(rows), pending + len(rows)
                if pending >= COMMIT_EVERY:
                    self._commit(writer, conn, state)
                    pending = 0
            self._commit(writer, conn, state)
        except BaseException:
            writer.rollback()
            raise
        writer.wait_merging_threads()
        self.index.reload()
        return applied

    def _commit(self, writer: tantivy.IndexWriter, conn: Connection,
                state: IndexState) -> None:
        state.store = state.store or store_fingerprint(conn)
        write_state(self.folder, replace(state, committing=True))
        writer.commit()
        write_state(self.folder, state)           # only after the commit it describes

    def discard(self) -> None:
        """Forget how far the index got: the next catch-up rebuilds it from the store."""
        (self.folder / STATE_FILE).unlink(missing_ok=True)
        _OPEN.pop(self.folder, None)


def has_seen(state: IndexState, found: StoreStatus) -> bool:
    """Whether an index at `state` holds all that the store (as `found`) holds."""
    return not found.newer and found.latest >= state.seq and (
        not state.store or state.store == found.store)


def _pages(conn: Connection, position: tuple[int, int]) -> Iterator[list[dict]]:
    while True:
        rows = changed_since(conn, position, PAGE)
        if not rows:
            return
        yield rows
        position = (rows[-1]["change_seq"], rows[-1]["id"])


_OPEN: dict[Path, SearchIndex] = {}


def index_for(engine: Engine) -> SearchIndex | None:
    """The engine's index, opened once per process; None when there is none to have
    (turned off, an in-memory database, or a folder that cannot be written)."""
    folder = index_dir(engine.url)
    if folder is None:
        return None
    if folder not in _OPEN:
        try:
            _OPEN[folder] = SearchIndex(folder)
        except OSError as exc:
            log.warning("no search index at %s (%s): using the database's full-text "
                        "search", folder, exc)
            return None
    return _OPEN[folder]


def current_index(conn: Connection) -> SearchIndex | None:
    """The index of the connection's store, caught up with it; None without one."""
    index = index_for(conn.engine)
    if index is not None:
        index.catch_up(conn)
    return index


def catch_up(engine: Engine) -> int:
    """Bring the engine's index (if it has one) up to date: what a sync calls last."""
    index = index_for(engine)
    if index is None:
        return 0
    with engine.connect() as conn:
        return index.catch_up(conn)


def forget(folder: Path | None = None) -> None:
    """Drop opened indexes (all, or one folder): tests remove folders under them."""
    if folder is None:
        _OPEN.clear()
    else:
        _OPEN.pop(folder, None)
