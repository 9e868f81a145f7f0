"""Fetch one feed with conditional GET (ETag / Last-Modified) through HttpClient."""

from __future__ import annotations

from dataclasses import dataclass, field

from litwatch.http import HttpClient, Reply
from litwatch.records import FeedItem
from litwatch.sources.feed_parse import parse_feed

SOURCE = "feeds"


@dataclass
class FeedFetch:
    not_modified: bool
    title: str = ""
    items: list[FeedItem] = field(default_factory=list)
    etag: str = ""
    last_modified: str = ""
    raw: bytes = b""


def fetch_feed(http: HttpClient, name: str, url: str, etag: str = "",
               last_modified: str = "") -> FeedFetch:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    def parse(reply: Reply) -> FeedFetch:
        if reply.status == 304:
            return FeedFetch(True, etag=etag, last_modified=last_modified)
        title, items = parse_feed(reply.body, name)
        return FeedFetch(False, title, items, reply.headers.get("ETag", ""),
                         reply.headers.get("Last-Modified", ""), reply.body)

    return http.fetch("GET", url, source=SOURCE, headers=headers, parse=parse,
                      ok_statuses=(200, 304))
