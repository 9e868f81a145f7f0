"""Serve feed files with the validators real feed servers send (ETag, Last-Modified).

The file is re-read when it changes on disk, so a test can rewrite a feed between
two syncs and watch the client get 200 instead of 304.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
from pathlib import Path

from testkit.emulator.wire import Request, Response, text_response

RSS = "application/rss+xml; charset=utf-8"


class Feed:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self.body = b""
        self.etag = ""
        self.last_modified = ""
        self.mtime = 0.0
        self._refresh()

    def _refresh(self) -> None:
        stat = self.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp == self._stamp:
                return
            self.body = self.path.read_bytes()
            self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'
            self.mtime = int(stat.st_mtime)
            self.last_modified = email.utils.formatdate(self.mtime, usegmt=True)
            self._stamp = stamp

    def serve(self, request: Request) -> Response:
        try:
            self._refresh()
        except OSError:
            return text_response(404, "Not Found")
        headers = {"ETag": self.etag, "Last-Modified": self.last_modified}
        if self._not_modified(request.headers):
            return Response(304, b"", RSS, headers)
        kind = "application/atom+xml; charset=utf-8" if b"<feed" in self.body[:500] else RSS
        return Response(200, self.body, kind, headers)

    def _not_modified(self, headers: dict[str, str]) -> bool:
        # If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 13.2.2).
        if_none_match = headers.get("if-none-match")
        if if_none_match is not None:
            tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
            return "*" in tags or self.etag in tags
        since = headers.get("if-modified-since")
        if since:
            try:
                parsed = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            return parsed.timestamp() >= self.mtime
        return False
