"""The run lock: one sync/digest run at a time on this host, whoever started it.

An exclusive fcntl.flock on settings.schedule.lock_file.  The kernel drops the
lock when its holder dies, however it dies, so a killed run never blocks the
next one; the holder's pid, host, start time and command are written into the
file so that a refused run can say who is in the way.  Content found in the file
by a run that *did* get the lock is a leftover of a killed holder, reported as
stale and overwritten.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from litwatch.errors import LockBusy

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    started: str
    command: str

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, running {self.command!r} since {self.started}"

    @classmethod
    def current(cls, command: str) -> LockHolder:
        return cls(os.getpid(), socket.gethostname(),
                   datetime.now(UTC).isoformat(timespec="seconds"), command)


def lock_busy(path: Path, holder: LockHolder | None) -> LockBusy:
    """The error for a held lock, saying who holds it as far as the file tells."""
    who = holder.describe() if holder else "a process that has not written its details yet"
    if holder and holder.host == socket.gethostname() and not _alive(holder.pid):
        who += " (that pid is gone: a child process it started still holds the file)"
    return LockBusy(path, holder, who)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_holder(stream: IO[str]) -> LockHolder | None:
    """The holder written in the lock file, or None if empty or unreadable."""
    stream.seek(0)
    try:
        data = json.loads(stream.read() or "null")
        return LockHolder(int(data["pid"]), str(data["host"]), str(data["started"]),
                          str(data["command"])) if data else None
    except (ValueError, KeyError, TypeError):
        return None


def _write_holder(stream: IO[str], holder: LockHolder) -> None:
    stream.seek(0)
    stream.truncate()
    stream.write(json.dumps(asdict(holder)))
    stream.flush()
    os.fsync(stream.fileno())


def _holder_once_written(stream: IO[str], patience: float = 2.0) -> LockHolder | None:
    """The holder writes its details just after taking the lock; a contender that
    arrives in between waits briefly for them instead of naming nobody."""
    deadline = time.monotonic() + patience
    holder = read_holder(stream)
    while holder is None and time.monotonic() < deadline:
        time.sleep(0.02)
        holder = read_holder(stream)
    return holder


def _acquire(stream: IO[str], path: Path, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise lock_busy(path, _holder_once_written(stream)) from None
            time.sleep(min(POLL_SECONDS, remaining))


@contextmanager
def run_lock(path: Path, command: str, wait_seconds: float = 0.0) -> Iterator[LockHolder]:
    """Hold the lock for the `with` block; raise LockBusy if another run keeps it
    for longer than `wait_seconds` (0: give up at once, as a cron-started run should)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # "a+" creates the file without truncating it: the holder's details stay readable.
    with open(path, "a+", encoding="utf-8") as stream:
        _acquire(stream, path, wait_seconds)
        try:
            stale = read_holder(stream)
            if stale is not None:
                log.warning("previous run did not release %s cleanly (%s); taking it over",
                            path, stale.describe())
            holder = LockHolder.current(command)
            _write_holder(stream, holder)
            yield holder
        finally:
            stream.seek(0)
            stream.truncate()
            stream.flush()
            fcntl.flock(stream.fileno(), fcntl.LOCK_UN)
