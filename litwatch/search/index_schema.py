"""What the search index holds for a record, and how its text is cut into terms.

The index is derived from the store and holds nothing else: the title and full
text (analysed: Unicode words, lower-cased, accents folded, English-stemmed, the
nearest tantivy has to FTS5's `porter unicode61 remove_diacritics 2`), every value
a search filter tests, and the listing order.  Nothing but the record id is stored;
hits are read back from the store.

Filter values mirror litwatch.search.filters exactly: label families from the label
table, the source, phases (record.phase and phase labels, upper-cased), the trial
status upper-cased, and the entry date as a number that sorts like the ISO text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import tantivy

# Bump when the schema, the analyser or what goes into a document changes: an index
# of another version is rebuilt from the store.
INDEX_VERSION = 2
ANALYZER = "litwatch_en"
TEXT_FIELDS = ("title", "abstract")
LABEL_FIELDS = ("indication", "route", "design", "drug")
KEYWORD_FIELDS = (*LABEL_FIELDS, "source", "phase", "status")
# Label families the index reads from the store.
INDEXED_FAMILIES = (*LABEL_FIELDS, "phase")

_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(60))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("english"))
            .build())


def folder() -> tantivy.TextAnalyzer:
    """The analyser without the stemmer: a prefix is also tried as typed."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build())


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # Signed: tantivy-py turns a Python int into an i64 term, so deleting by the id term
    # (how an updated record replaces its old document) only matches an i64 field.
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=ANALYZER, index_option="position")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    # date_key: entry date as YYYYMMDD (missing parts 0, no date 0); sort_key orders
    # listings as `entry_date DESC NULLS LAST, id DESC` does.
    builder.add_unsigned_field("date_key", indexed=True, fast=True)
    builder.add_unsigned_field("sort_key", fast=True)
    return builder.build()


def date_key(value: str | date | None) -> int:
    """An ISO date (or its year / year-month prefix) as a number in the text's order:
    "2006" < "2006-11" < "2006-11-01" as text, and 20060000 < 20061100 < 20061101."""
    if value is None:
        return 0
    if isinstance(value, date):
        return value.year * 10_000 + value.month * 100 + value.day
    found = _ISO_PREFIX.match(value)
    if not found:
        return 0
    year, month, day = (int(part or 0) for part in found.groups())
    return year * 10_000 + month * 100 + day


def sort_key(entry_date: str | None, record_id: int) -> int:
    return (date_key(entry_date) << 32) | (record_id & 0xFFFF_FFFF)


def document(row: Mapping[str, Any], labels: Mapping[str, Iterable[str]]) -> tantivy.Document:
    """The index document of a record row and its labels (family -> values)."""
    record_id = int(row["id"])
    doc = tantivy.Document()
    doc.add_integer("id", record_id)
    doc.add_text("title", row["title"] or "")
    doc.add_text("abstract", row["abstract"] or "")
    doc.add_text("source", row["source"] or "")
    for family in LABEL_FIELDS:
        for value in dict.fromkeys(labels.get(family, ())):
            doc.add_text(family, value)
    phases = [row["phase"] or "", *labels.get("phase", ())]
    for phase in dict.fromkeys(p.upper() for p in phases if p):
        doc.add_text("phase", phase)
    if row["status"]:
        doc.add_text("status", row["status"].upper())
    doc.add_unsigned("date_key", date_key(row["entry_date"]))
    doc.add_unsigned("sort_key", sort_key(row["entry_date"], record_id))
    return doc
