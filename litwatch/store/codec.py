"""How a record is kept in its row: JSON of the parsed record, the raw payload compressed."""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import TYPE_CHECKING, Any

from litwatch.records import Record, record_from_dict

if TYPE_CHECKING:
    from lxml import etree

# Fields that change between downloads without the record changing.
_VOLATILE = {"version_holder"}


def serialize_record(record: Record) -> tuple[str, str]:
    """(content hash, JSON of the record); one serialisation serves both when possible."""
    data = record.to_dict()
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    hashed = text
    if any(k in data for k in _VOLATILE):
        hashed = json.dumps({k: v for k, v in data.items() if k not in _VOLATILE},
                            sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(hashed.encode()).hexdigest(), text


def content_hash(record: Record) -> str:
    return serialize_record(record)[0]


def compress(raw: bytes) -> bytes:
    # Level 1: raw payloads are re-read rarely; speed of ingest matters more.
    return zlib.compress(raw, 1)


def decompress(blob: bytes) -> bytes:
    return zlib.decompress(blob) if blob else b""


def record_of(source: str, data: str) -> Record:
    """The parsed record back from a row's `data` column."""
    return record_from_dict(source, json.loads(data))


def load_record(row: Any) -> Record:
    return record_of(row.source, row.data)


def payload_xml(raw: bytes) -> etree._Element | None:
    """A row's compressed efetch payload as XML, for the fields the parsed record does
    not keep (volume, issue, pages, MedlineTA); None when absent or damaged.  The payload
    was parsed safely on the way in; still, nothing is resolved or fetched."""
    if not raw:
        return None
    from lxml import etree  # here, not at import: the search CLI never needs it

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(decompress(raw), parser=parser)
    except (zlib.error, etree.XMLSyntaxError, ValueError):
        return None             # test stores and old rows may hold no real payload
