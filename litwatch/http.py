"""One HTTP layer for every source: timeouts, proactive rate limits, retries.

Sources never call `requests` themselves.  They hand `HttpClient.fetch` a
`parse` function; a body that fails to parse (truncated transfer, an NCBI error
page served with status 200, malformed JSON) is retried like a 5xx, and after
the last retry the source fails loudly with `SourceError`, never with "0 records".
A host that does not resolve or refuses connections is not overloaded but absent:
it is tried three times within a second and a half, then reported in one line, and
every later request to it in the same run fails at once (`HttpClient.dead_hosts`).
"""

from __future__ import annotations

import email.utils
import errno
import logging
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

from litwatch.config.loader import HttpSettings

# Defined in litwatch.errors (parsers import them from there); the sync layer still
# imports them from here.
from litwatch.errors import BadPayload, SourceError

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Waits before the 2nd and 3rd try of a host that does not resolve or refuses
# connections: long enough to ride out a resolver or service restart, short enough
# that a machine without network fails in seconds (the 5xx backoff reaches minutes).
UNREACHABLE_DELAYS = (0.5, 1.0)
_UNREACHABLE_ERRNOS = {errno.ECONNREFUSED: "connection refused",
                       errno.ENETUNREACH: "network unreachable",
                       errno.EHOSTUNREACH: "host unreachable"}


@dataclass
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str


class RateLimiter:
    """Spaces requests to one host at least 1/rate seconds apart, across threads."""

    def __init__(self, rate_per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval = 1.0 / rate_per_second
        self.clock, self.sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self.sleep(start - now)


class HttpClient:
    """The single `requests.Session` every source shares."""

    def __init__(self, settings: HttpSettings, secrets: Iterable[str] = (),
                 sleep: Callable[[float], None] = time.sleep,
                 jitter: Callable[[], float] = random.random):
        self.settings = settings
        self.session = requests.Session()
        self.session.headers["User-Agent"] = settings.user_agent
        self.secrets = [s for s in secrets if s]
        self.sleep, self.jitter = sleep, jitter
        self.limiters: dict[str, RateLimiter] = {}
        self.requests_made: Counter[str] = Counter()
        # host[:port] -> why it could not be reached; later requests to it fail at once.
        self.dead_hosts: dict[str, str] = {}
        self._dead_lock = threading.Lock()

    def set_rate(self, source: str, rate_per_second: float) -> None:
        self.limiters[source] = RateLimiter(rate_per_second, sleep=self.sleep)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def fetch(self, method: str, url: str, *, source: str, parse: Callable[[Reply], T],
              params: Mapping[str, Any] | None = None, data: Mapping[str, Any] | None = None,
              headers: Mapping[str, str] | None = None,
              ok_statuses: Iterable[int] = (200,)) -> T:
        """Send one logical request, retrying until `parse` accepts a reply.

        429/5xx/timeouts/bad bodies back off exponentially; a host that does not
        resolve or refuses connections gets UNREACHABLE_DELAYS and is then given up
        on for the rest of this client's life (one run), so a run without network
        fails in seconds with one line per source instead of minutes of retries.
        """
        host = host_of(url)
        self._refuse_dead(source, host)
        ok = set(ok_statuses)
        attempts = self.settings.max_retries + 1
        retry, unreachable = _Retry(""), 0
        for attempt in range(attempts):
            limiter = self.limiters.get(source)
            if limiter:
                limiter.wait()
            self.requests_made[source] += 1
            result = self._attempt(method, url, source, parse, ok, attempt,
                                   params, data, headers)
            if not isinstance(result, _Retry):
                return result
            retry = result
            if retry.unreachable:
                unreachable += 1
                if unreachable > len(UNREACHABLE_DELAYS) or attempt + 1 == attempts:
                    self._mark_dead(host, retry.unreachable)
                    raise SourceError(f"{source}: cannot reach {host}: {retry.unreachable} "
                                      f"({unreachable} attempts)")
                retry.delay = UNREACHABLE_DELAYS[unreachable - 1]
            if attempt + 1 < attempts:
                # Unreachable hosts retry at INFO: one summary line is what the operator
                # needs, not a warning per attempt.
                log.log(logging.INFO if retry.unreachable else logging.WARNING, "%s",
                        self.redact(f"{source}: {retry.problem} from {url}; "
                                    f"retry {attempt + 1} in {retry.delay:.1f}s"))
                self.sleep(retry.delay)
        raise SourceError(self.redact(
            f"{source}: giving up on {url} after {attempts} attempts: {retry.problem}"))

    def _attempt(self, method: str, url: str, source: str, parse: Callable[[Reply], T],
                 ok: set[int], attempt: int, params: Mapping[str, Any] | None,
                 data: Mapping[str, Any] | None,
                 headers: Mapping[str, str] | None) -> T | _Retry:
        """One request: the parsed value, or a _Retry saying what went wrong."""
        try:
            reply = self._send(method, url, params, data, headers)
        except (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError, BadPayload) as exc:
            reason = unreachable_reason(exc)
            problem = reason or f"{type(exc).__name__}: {root_message(exc)}"
            return _Retry(problem, self._backoff(attempt, None), reason)
        if reply.status in ok:
            try:
                return parse(reply)
            except BadPayload as exc:
                return _Retry(f"bad payload: {exc}", self._backoff(attempt, None))
        if reply.status in RETRY_STATUSES:
            return _Retry(f"HTTP {reply.status}",
                          self._backoff(attempt, reply.headers.get("Retry-After")))
        snippet = reply.body[:200].decode("utf-8", "replace")
        raise SourceError(self.redact(
            f"{source}: HTTP {reply.status} from {reply.url}: {snippet}"))

    def _refuse_dead(self, source: str, host: str) -> None:
        reason = self.dead_hosts.get(host)
        if reason:
            raise SourceError(f"{source}: cannot reach {host}: {reason} "
                              "(earlier in this run; not tried again)")

    def _mark_dead(self, host: str, reason: str) -> None:
        with self._dead_lock:
            self.dead_hosts.setdefault(host, reason)

    def _send(self, method: str, url: str, params: Mapping[str, Any] | None,
              data: Mapping[str, Any] | None, headers: Mapping[str, str] | None) -> Reply:
        timeout = self.settings.timeout_seconds
        limit = int(self.settings.max_response_mb * 1024 * 1024)
        with self.session.request(method, url, params=params, data=data, headers=headers,
                                  timeout=(timeout, timeout), stream=True) as resp:
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise SourceError(f"{url}: response of {declared} bytes exceeds "
                                  f"http.max_response_mb")
            chunks, size = [], 0
            for chunk in resp.iter_content(chunk_size=1 << 16):
                size += len(chunk)
                if size > limit:
                    raise SourceError(self.redact(
                        f"{resp.url}: response exceeds http.max_response_mb"))
                chunks.append(chunk)
            return Reply(resp.status_code, resp.headers, b"".join(chunks), resp.url)

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        cap = self.settings.max_backoff_seconds
        server = parse_retry_after(retry_after)
        if server is not None:
            return min(server, cap)
        base = self.settings.backoff_seconds * (2 ** attempt)
        return min(base * (0.5 + self.jitter()), cap)


@dataclass
class _Retry:
    """Why an attempt failed and how long to wait; `unreachable` when the host is."""

    problem: str
    delay: float = 0.0
    unreachable: str | None = None


def host_of(url: str) -> str:
    """host, or host:port when the URL names a port: what dead_hosts is keyed by."""
    parts = urlsplit(url)
    host = parts.hostname or url
    return f"{host}:{parts.port}" if parts.port else host


def _causes(exc: BaseException) -> Iterable[BaseException]:
    """exc and everything it wraps: requests -> urllib3 MaxRetryError.reason -> OSError."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [current.__cause__, current.__context__, getattr(current, "reason", None),
                   *current.args]
        stack.extend(w for w in wrapped if isinstance(w, BaseException))


def unreachable_reason(exc: BaseException) -> str | None:
    """"host name not resolved", "connection refused"... or None for other failures.

    Timeouts are not unreachability: a slow or overloaded host may still answer.
    """
    if isinstance(exc, requests.Timeout):
        return None
    for cause in _causes(exc):
        # urllib3 2.x raises NameResolutionError (from socket.gaierror); 1.x the gaierror.
        if isinstance(cause, socket.gaierror) or type(cause).__name__ == "NameResolutionError":
            return "host name not resolved"
        if isinstance(cause, OSError) and cause.errno in _UNREACHABLE_ERRNOS:
            return _UNREACHABLE_ERRNOS[cause.errno]
    return None


def root_message(exc: BaseException) -> str:
    """The innermost cause's message: urllib3's pool banner helps nobody in a log line."""
    innermost = exc
    for cause in _causes(exc):
        if str(cause):
            innermost = cause
    return " ".join(str(innermost).split())


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)
