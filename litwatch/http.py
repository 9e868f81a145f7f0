"""One HTTP layer for every source: timeouts, proactive rate limits, retries.

Sources never call `requests` themselves.  They hand `HttpClient.fetch` a
`parse` function; a body that fails to parse (truncated transfer, an NCBI error
page served with status 200, malformed JSON) is retried like a 5xx, and after
the last retry the source fails loudly with `SourceError`, never with "0 records".
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import requests

from litwatch.config.loader import HttpSettings

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class SourceError(RuntimeError):
    """A source could not be read after all retries; the run must fail."""


class BadPayload(ValueError):
    """The body arrived but is not what the API promises (retryable)."""


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
        """Send one logical request, retrying until `parse` accepts a reply."""
        ok = set(ok_statuses)
        attempts = self.settings.max_retries + 1
        last_problem = ""
        for attempt in range(attempts):
            limiter = self.limiters.get(source)
            if limiter:
                limiter.wait()
            self.requests_made[source] += 1
            try:
                reply = self._send(method, url, params, data, headers)
            except (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError, BadPayload) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
                delay = self._backoff(attempt, None)
            else:
                if reply.status in ok:
                    try:
                        return parse(reply)
                    except BadPayload as exc:
                        last_problem = f"bad payload: {exc}"
                        delay = self._backoff(attempt, None)
                elif reply.status in RETRY_STATUSES:
                    last_problem = f"HTTP {reply.status}"
                    delay = self._backoff(attempt, reply.headers.get("Retry-After"))
                else:
                    snippet = reply.body[:200].decode("utf-8", "replace")
                    raise SourceError(self.redact(
                        f"{source}: HTTP {reply.status} from {reply.url}: {snippet}"))
            if attempt + 1 < attempts:
                log.warning("%s", self.redact(f"{source}: {last_problem} from {url}; "
                                              f"retry {attempt + 1} in {delay:.1f}s"))
                self.sleep(delay)
        raise SourceError(self.redact(
            f"{source}: giving up on {url} after {attempts} attempts: {last_problem}"))

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
