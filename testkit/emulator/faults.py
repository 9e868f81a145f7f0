"""Fault injection rules and the request log.

A rule lets `after` matching requests through, then fires `times` times (None:
forever). Every rule counts the requests it matches, so rules stack: "fail the
first request with 503, then the third with 429" is two rules.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

ROUTES = ("esearch", "efetch", "studies", "study", "feeds")
KINDS = ("429", "500", "502", "503", "slow", "truncate", "malformed", "ncbi_error",
         "repeat_token", "vanish", "drop_connection")
# Kinds that only make sense on some routes; the rest apply anywhere.
_ONLY_ON = {"ncbi_error": {"esearch", "efetch"}, "repeat_token": {"studies"},
            "vanish": {"studies"}}
# These act "between pages", so only requests carrying a pageToken count for them.
_PAGED_ONLY = {"repeat_token", "vanish"}


@dataclass
class Fault:
    route: str                      # a route name, or "*" for every route
    kind: str
    times: int | None = 1
    after: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    seen: int = 0                   # matching requests so far
    fired: int = 0

    def __post_init__(self) -> None:
        self.kind = str(self.kind)
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {', '.join(KINDS)}")
        if self.route != "*" and self.route not in ROUTES:
            raise ValueError(f"unknown route {self.route!r}; one of {', '.join(ROUTES)} or '*'")
        allowed = _ONLY_ON.get(self.kind)
        if allowed and self.route not in allowed:
            raise ValueError(f"fault {self.kind!r} applies to {sorted(allowed)} only")
        if self.times is not None and self.times < 1 or self.after < 0:
            raise ValueError("times must be >= 1 (or None) and after >= 0")

    def matches(self, route: str, paged: bool) -> bool:
        if self.route not in ("*", route):
            return False
        return paged or self.kind not in _PAGED_ONLY

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class FaultBook:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pick(self, route: str, paged: bool) -> Fault | None:
        """Count this request against every matching rule; return the first that fires."""
        chosen = None
        with self._lock:
            for fault in self._faults:
                if fault.exhausted or not fault.matches(route, paged):
                    continue
                fault.seen += 1
                if chosen is None and fault.seen > fault.after:
                    fault.fired += 1
                    chosen = fault
        return chosen

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.to_dict() for f in self._faults]


@dataclass
class LoggedRequest:
    method: str
    route: str                      # esearch, efetch, studies, study, feeds, or "unknown"
    path: str
    params: dict[str, str]
    time: float = field(default_factory=time.time)
    status: int | None = None       # None until answered (or when the connection was cut)
    fault: str | None = None        # the fault kind that fired, if any

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    def __init__(self) -> None:
        self._entries: list[LoggedRequest] = []
        self._lock = threading.Lock()

    def add(self, entry: LoggedRequest) -> LoggedRequest:
        with self._lock:
            self._entries.append(entry)
        return entry

    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def count(self, route: str | None = None) -> int:
        with self._lock:
            return sum(1 for e in self._entries if route is None or e.route == route)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
