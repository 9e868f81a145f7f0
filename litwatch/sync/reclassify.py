"""Re-derive every stored record from its stored payload, without the network.

After a taxonomy or parser change the labels, row columns (title and full text
included), links and flags are rebuilt from the raw payload, re-parsed so parser
fixes apply too, through the same pipeline as a sync; one transaction per batch.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, Table, select

from litwatch.records import FeedItem, Record
from litwatch.sources.ctgov_json import parse_study
from litwatch.sources.pubmed_xml import parse_efetch
from litwatch.store.codec import decompress, load_record
from litwatch.store.tables import RecordRow
from litwatch.sync.indexing import update_search_index
from litwatch.sync.pipeline import Incoming, rederive

# SQLModel sets `__table__` on table classes at runtime; its stubs do not declare it.
RECORD: Table = RecordRow.__table__  # type: ignore[attr-defined]


def reparse(row: Any) -> tuple[Record, bytes]:
    """The record as parsed from its raw payload (falls back to the stored JSON)."""
    raw = decompress(row.raw)
    if row.source == "pubmed" and raw:
        papers = parse_efetch(b"<PubmedArticleSet>" + raw + b"</PubmedArticleSet>").papers
        if papers:
            return papers[0], raw
    if row.source == "ctgov" and raw:
        return parse_study(json.loads(raw)), raw
    if row.source == "feed" and raw:
        return FeedItem(**json.loads(raw)), raw
    return load_record(row), raw


def reclassify_all(engine: Engine, batch: int = 500,
                   progress: Callable[[int], None] = lambda n: None) -> int:
    done, last_id = 0, 0
    columns = (RECORD.c.id, RECORD.c.source, RECORD.c.raw, RECORD.c.data,
               RECORD.c.matched_queries)
    while True:
        with engine.connect() as conn:
            rows = conn.execute(select(*columns).where(RECORD.c.id > last_id)
                                .order_by(RECORD.c.id).limit(batch)).all()
        if not rows:
            update_search_index(engine)
            return done
        stored = []
        for row in rows:
            record, raw = reparse(row)
            stored.append((row.id, Incoming(record, raw, None,
                                            json.loads(row.matched_queries or "[]"))))
        rederive(engine, stored)
        last_id = rows[-1].id
        done += len(rows)
        progress(len(rows))
