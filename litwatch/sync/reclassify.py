"""Re-label every stored record from its stored payload, without the network.

After a taxonomy change the labels, denormalised columns, links and flags are
rebuilt from the raw payload (re-parsed, so parser fixes apply too), in batches
of one transaction each.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session, select

from litwatch.classify import classify_record
from litwatch.classify import links as linking
from litwatch.records import FeedItem, Record
from litwatch.sources.ctgov_json import parse_study
from litwatch.sources.pubmed_xml import parse_efetch
from litwatch.store.derived import replace_labels, store_links_and_flags
from litwatch.store.tables import RecordRow
from litwatch.store.upsert import decompress, load_record, serialize_record


def reparse(row: RecordRow) -> Record:
    """The record as parsed from its raw payload (falls back to the stored JSON)."""
    raw = decompress(row.raw)
    if row.source == "pubmed" and raw:
        papers = parse_efetch(b"<PubmedArticleSet>" + raw + b"</PubmedArticleSet>").papers
        if papers:
            return papers[0]
    if row.source == "ctgov" and raw:
        return parse_study(json.loads(raw))
    if row.source == "feed" and raw:
        return FeedItem(**json.loads(raw))
    return load_record(row)


def reclassify_all(engine: Engine, batch: int = 500,
                   progress: Callable[[int], None] = lambda n: None) -> int:
    done, last_id = 0, 0
    while True:
        with Session(engine) as session, session.begin():
            rows = session.exec(select(RecordRow).where(RecordRow.id > last_id)
                                .order_by(RecordRow.id).limit(batch)).all()
            if not rows:
                return done
            for row in rows:
                record = reparse(row)
                cls = classify_record(record, json.loads(row.matched_queries or "[]"))
                row.data = serialize_record(record)[1]
                row.design, row.phase = cls.first("design"), cls.first("phase")
                row.sample_size, row.summary = cls.sample_size, cls.summary
                row.retracted = linking.is_retracted(record)
                session.add(row)
                replace_labels(session.connection(), row.id, cls)
                store_links_and_flags(session.connection(), row.id, record)
            last_id = rows[-1].id
            done += len(rows)
            progress(len(rows))
