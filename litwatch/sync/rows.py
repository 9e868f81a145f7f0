"""The record row's columns, label rows and sentence rows, from a parsed record.

Built in exactly one place, for sync, load and reclassify alike, so the title,
full text, denormalised labels, sentences and payload of a row never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from litwatch.classify.labels import Classification
from litwatch.classify.sentences import Sentence
from litwatch.records import FeedItem, Paper, Record, Trial
from litwatch.store.codec import compress, serialize_record


def record_values(record: Record, raw: bytes, cls: Classification,
                  retracted: bool) -> dict[str, Any]:
    """Every record column but the identity, the timestamps and the matched queries."""
    digest, data = serialize_record(record)
    values: dict[str, Any] = {
        "title": record.title, "abstract": body_text(record), "content_hash": digest,
        "raw": compress(raw), "data": data,
        "design": cls.first("design"), "phase": cls.first("phase"),
        "sample_size": cls.sample_size, "summary": cls.summary, "retracted": retracted,
        "journal": "", "year": None, "doi": None, "pub_date": "", "entry_date": None,
        "source_modified": None, "status": None,
    }
    values.update(_source_columns(record))
    return values


def _source_columns(record: Record) -> dict[str, Any]:
    if isinstance(record, Paper):
        return {"journal": record.journal, "year": record.pub_year, "doi": record.doi,
                "pub_date": record.pub_date, "entry_date": record.entrez_date,
                "source_modified": record.modified_date}
    if isinstance(record, Trial):
        posted = record.first_post_date
        return {"journal": record.sponsor, "status": record.overall_status,
                "year": int(posted[:4]) if posted else None, "pub_date": posted or "",
                "entry_date": posted, "source_modified": record.last_update_post_date}
    if isinstance(record, FeedItem):
        published = record.published
        return {"journal": record.feed_title, "doi": record.doi,
                "pub_date": published or "", "entry_date": published,
                "year": int(published[:4]) if published else None}
    return {}


def body_text(record: Record) -> str:
    """The full text indexed beside the title."""
    if isinstance(record, Paper):
        return record.abstract
    if isinstance(record, Trial):
        parts = [record.official_title, record.brief_summary, "; ".join(record.conditions),
                 "; ".join(i.name for i in record.interventions)]
        return "\n".join(p for p in parts if p)
    return record.summary


# Stored evidence is clipped; the whole sentence is in the sentence row it names.
_EVIDENCE_CHARS = 500


def label_rows(cls: Classification) -> list[dict[str, Any]]:
    """One row per label; `sentence_idx` names the sentence row holding its evidence."""
    return [{"family": label.family, "value": label.value, "field": label.field,
             "evidence": label.evidence[:_EVIDENCE_CHARS], "sentence_idx": label.sentence_index}
            for label in cls.labels]


def sentence_rows(sentences: Sequence[Sentence]) -> list[dict[str, Any]]:
    """One row per sentence: position, field, role, text, finding direction, numbers."""
    return [{"idx": s.index, "field": s.field, "role": s.role, "text": s.text,
             "direction": s.direction, "numbers": _numbers_json(s)} for s in sentences]


def _numbers_json(sentence: Sentence) -> str:
    if not sentence.numbers:
        return "[]"                  # most sentences: what json.dumps([]) gives, for free
    return json.dumps([{"kind": n.kind, "value": n.value, "unit": n.unit, "text": n.text,
                        "threshold": n.threshold} for n in sentence.numbers],
                      ensure_ascii=False, separators=(",", ":"))
