"""Parse RSS 2.0 / RSS 1.0 (RDF) / Atom feeds into FeedItems with feedparser.

Feed text is untrusted: titles arrive with escaped HTML (PubMed RSS sends
`&lt;em&gt;`), so every field is reduced to plain text here and escaped again
wherever it is shown.  Entity declarations are refused before parsing and the
number of entries is bounded.
"""

from __future__ import annotations

import html
import re
import time
import xml.sax
from collections.abc import Iterable

import feedparser

from litwatch.errors import BadPayload
from litwatch.records import FeedItem
from litwatch.sources.pubmed_xml import declares_entities

MAX_ENTRIES = 2000
_TAG = re.compile(r"<[^>]*>")
_PMID_GUID = re.compile(r"^pubmed:(\d+)$")
_PMID_LINK = re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d+)")
_DOI = re.compile(r"(10\.\d{4,9}/\S+)")


def plain_text(value: str | None) -> str:
    """Strip tags, unescape entities, squeeze whitespace."""
    if not value:
        return ""
    text = html.unescape(_TAG.sub(" ", value))
    text = _TAG.sub(" ", text)          # escaped markup becomes real markup after unescape
    return " ".join(text.split())


def parse_feed(body: bytes, feed_name: str, max_entries: int = MAX_ENTRIES) -> tuple[str,
                                                                                  list[FeedItem]]:
    """Return (feed title, items).  Raise BadPayload when the body is not a feed."""
    if declares_entities(body):
        raise BadPayload(f"feed {feed_name}: XML entity declarations are refused")
    parsed = feedparser.parse(body, sanitize_html=True, resolve_relative_uris=False)
    if parsed.bozo and isinstance(parsed.get("bozo_exception"), xml.sax.SAXParseException):
        # feedparser recovers what it can from broken XML; a truncated feed would then
        # look complete and its missing entries would never be fetched again.
        raise BadPayload(f"feed {feed_name}: malformed XML ({parsed.bozo_exception})")
    if parsed.bozo and not parsed.entries:
        raise BadPayload(f"feed {feed_name}: not a readable feed ({parsed.get('bozo_exception')})")
    if not parsed.get("version") and not parsed.entries:
        raise BadPayload(f"feed {feed_name}: not an RSS or Atom document")
    title = plain_text(parsed.feed.get("title"))
    return title, [_item(e, feed_name, title) for e in parsed.entries[:max_entries]]


def _item(entry: feedparser.FeedParserDict, feed_name: str, feed_title: str) -> FeedItem:
    link = (entry.get("link") or "").strip()
    guid = (entry.get("id") or link or entry.get("title", "")).strip()
    pmid = _pmid(guid, link)
    identifier = entry.get("dc_identifier", "") or ""
    doi_match = _DOI.search(identifier) if identifier.lower().startswith("doi:") else None
    return FeedItem(
        guid=f"pubmed:{pmid}" if pmid else guid,
        title=plain_text(entry.get("title")),
        link=link,
        summary=plain_text(entry.get("summary")),
        published=_date(entry),
        authors=[plain_text(a.get("name")) for a in entry.get("authors", []) if a.get("name")],
        pmid=pmid,
        doi=doi_match.group(1) if doi_match else None,
        feed_name=feed_name,
        feed_title=feed_title,
    )


def _pmid(guid: str, link: str) -> str | None:
    found = _PMID_GUID.match(guid) or _PMID_LINK.search(link)
    return found.group(1) if found else None


def _date(entry: feedparser.FeedParserDict) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None


def mentions_any(item: FeedItem, terms: Iterable[str]) -> bool:
    """True when the title or summary names one of the drug terms (whole words)."""
    text = f"{item.title} {item.summary}"
    return any(re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", text, re.I) for t in terms)
