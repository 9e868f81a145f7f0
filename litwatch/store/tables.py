"""SQLModel tables: the shape of the store.

One `record` row per (source, source_id) with the parsed record as JSON and the
raw payload compressed, so everything can be re-parsed and re-classified
offline.  Labels, links, flags and trial changes hang off it.  Runs, watermarks
and digest sends are recorded so that unattended operation can be audited.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, Index, LargeBinary, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model, for INSERTs and UPDATEs that skip the ORM.

    SQLModel sets `__table__` on `table=True` classes at runtime, but its stubs do
    not declare it; this reads it once, checked, instead of an ignore at every use."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


class RecordRow(SQLModel, table=True):
    __tablename__ = "record"
    __table_args__ = (UniqueConstraint("source", "source_id", name="uq_record_source_id"),
                      Index("ix_record_entry_date", "entry_date"),
                      Index("ix_record_change_seq", "change_seq", "id"))

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True)            # pubmed | ctgov | feed
    source_id: str                             # PMID, NCT id, feed guid
    title: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    abstract: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    journal: str = ""
    year: int | None = None
    doi: str | None = Field(default=None, index=True)
    pub_date: str = ""
    entry_date: str | None = None              # EDAT / first posted / feed date (ISO)
    source_modified: str | None = None         # DateRevised / lastUpdatePostDate (ISO)
    first_seen: datetime = Field(default_factory=utcnow)
    last_changed: datetime = Field(default_factory=utcnow)   # our copy last changed
    fetched_at: datetime = Field(default_factory=utcnow)
    content_hash: str = ""
    raw: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))  # zlib
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    matched_queries: str = "[]"                # JSON list of query names / feed names
    # Denormalised classification, for filters and ordering.
    design: str | None = Field(default=None, index=True)
    phase: str | None = None
    status: str | None = None                  # trial overall status
    sample_size: int | None = None
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    retracted: bool = False
    # Stamped by the store on every write of the row (litwatch.store.changes): derived
    # indexes catch up from the rows stamped after the last one they applied.
    change_seq: int | None = Field(default=None, sa_column=Column(BigInteger))


class LabelRow(SQLModel, table=True):
    __tablename__ = "label"
    __table_args__ = (Index("ix_label_family_value", "family", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    family: str          # indication | route | design | drug | comparator | phase | masking ...
    value: str
    field: str = ""      # where the evidence was found: title, abstract, mesh, intervention...
    evidence: str = ""   # the matched phrase
    sentence_idx: int | None = None   # SentenceRow.idx of the sentence the evidence is in


class SentenceRow(SQLModel, table=True):
    """One sentence of a record (title, abstract, trial text) with its field and role."""

    __tablename__ = "sentence"
    __table_args__ = (UniqueConstraint("record_id", "idx", name="uq_sentence_record_idx"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", ondelete="CASCADE", index=True)
    idx: int                            # position within the record, from 0
    field: str                          # title | abstract | brief_summary | ...
    role: str                           # background | objective | methods | results | ...
    text: str = Field(sa_type=Text)
    direction: str | None = None        # finding direction of results/conclusions sentences
    numbers: str = Field(default="[]", sa_type=Text,   # JSON list of typed numbers
                         sa_column_kwargs={"server_default": "[]"})


class LinkRow(SQLModel, table=True):
    __tablename__ = "link"
    __table_args__ = (UniqueConstraint("pmid", "nct_id", "kind", name="uq_link"),
                      Index("ix_link_nct", "nct_id"))

    id: int | None = Field(default=None, primary_key=True)
    pmid: str = Field(index=True)
    nct_id: str
    kind: str            # databank | text | RESULT | BACKGROUND | DERIVED
    found_in: str = ""   # pubmed | ctgov


# What makes a flag one flag: the columns of uq_flag, the conflict target of its upserts.
FLAG_KEY = ("record_id", "kind", "ref_pmid")


class FlagRow(SQLModel, table=True):
    __tablename__ = "flag"
    __table_args__ = (UniqueConstraint(*FLAG_KEY, name="uq_flag"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    kind: str            # retracted | erratum | expression_of_concern | publication_gap
    ref_pmid: str = ""
    evidence: str = ""


class TrialChangeRow(SQLModel, table=True):
    __tablename__ = "trial_change"

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    nct_id: str = Field(index=True)
    field: str
    before: str = ""
    after: str = ""
    source_date: str | None = None      # lastUpdatePostDate of the new version
    detected_at: datetime = Field(default_factory=utcnow)


class SyncRunRow(SQLModel, table=True):
    __tablename__ = "sync_run"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True)
    query: str = ""
    window_start: str | None = None
    window_end: str | None = None
    started: datetime = Field(default_factory=utcnow)
    finished: datetime | None = None
    status: str = "running"             # running | ok | failed
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    requests: int = 0
    error: str = ""


class WatermarkRow(SQLModel, table=True):
    __tablename__ = "watermark"

    source: str = Field(primary_key=True)
    query: str = Field(primary_key=True)
    value: str                          # ISO date the last successful window ended
    updated_at: datetime = Field(default_factory=utcnow)


class FeedStateRow(SQLModel, table=True):
    __tablename__ = "feed_state"

    name: str = Field(primary_key=True)
    etag: str = ""
    last_modified: str = ""
    updated_at: datetime = Field(default_factory=utcnow)


class DigestRunRow(SQLModel, table=True):
    __tablename__ = "digest_run"

    id: int | None = Field(default=None, primary_key=True)
    week: str = Field(index=True)       # "2026-W46" or "since..until"
    window_start: str = ""
    window_end: str = ""
    status: str = "rendered"            # rendered | sent | failed
    created: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    attempts: int = 0
    error: str = ""
    archive_path: str = ""
    message_id: str = ""
    item_count: int = 0
    html_bytes: int = 0


class SchemaVersionRow(SQLModel, table=True):
    __tablename__ = "schema_version"

    version: int = Field(primary_key=True)
    description: str = ""
    applied_at: datetime = Field(default_factory=utcnow)
