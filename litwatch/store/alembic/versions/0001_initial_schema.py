"""The original schema: tables, full-text search, listing indexes.

Exactly what the numbered migration steps 1-3 made before litwatch moved to alembic
(step 1: the SQLModel tables as they then were; step 2: an FTS5 external-content
table kept in step by triggers on SQLite, a weighted generated tsvector column with a
GIN index on PostgreSQL; step 3: the listing indexes), written out so that the
revision stays what it is when the models change.  A database made by those steps is
stamped at this revision instead of running it (see litwatch.store.migrations).

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The steps this revision replaces, recorded in schema_version as they were, so that an
# older litwatch opening the database finds nothing left to do.
LEGACY_STEPS = [(1, "tables"), (2, "full-text search"), (3, "listing indexes")]


def upgrade() -> None:
    create_tables()
    full_text_search()
    listing_indexes()
    op.execute(sa.text("INSERT INTO schema_version (version, description, applied_at) "
                       "VALUES " + ", ".join(f"({v}, '{d}', CURRENT_TIMESTAMP)"
                                             for v, d in LEGACY_STEPS)))


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for trigger in ("record_fts_au", "record_fts_ad", "record_fts_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS record_fts")
    for table in ("trial_change", "label", "flag", "watermark", "sync_run", "schema_version",
                  "record", "link", "feed_state", "digest_run"):
        op.drop_table(table)


def _dt() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def create_tables() -> None:
    """Step 1: the tables, columns, constraints and indexes of the models of the time."""
    op.create_table(
        "digest_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(), nullable=False),
        sa.Column("window_start", sa.String(), nullable=False),
        sa.Column("window_end", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created", _dt(), nullable=False),
        sa.Column("sent_at", _dt(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(), nullable=False),
        sa.Column("archive_path", sa.String(), nullable=False),
        sa.Column("message_id", sa.String(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("html_bytes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_digest_run_week", "digest_run", ["week"])

    op.create_table(
        "feed_state",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("etag", sa.String(), nullable=False),
        sa.Column("last_modified", sa.String(), nullable=False),
        sa.Column("updated_at", _dt(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )

    op.create_table(
        "link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pmid", sa.String(), nullable=False),
        sa.Column("nct_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("found_in", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pmid", "nct_id", "kind", name="uq_link"),
    )
    op.create_index("ix_link_nct", "link", ["nct_id"])
    op.create_index("ix_link_pmid", "link", ["pmid"])

    op.create_table(
        "record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("source_id", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=False),
        sa.Column("journal", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("doi", sa.String(), nullable=True),
        sa.Column("pub_date", sa.String(), nullable=False),
        sa.Column("entry_date", sa.String(), nullable=True),
        sa.Column("source_modified", sa.String(), nullable=True),
        sa.Column("first_seen", _dt(), nullable=False),
        sa.Column("last_changed", _dt(), nullable=False),
        sa.Column("fetched_at", _dt(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("matched_queries", sa.String(), nullable=False),
        sa.Column("design", sa.String(), nullable=True),
        sa.Column("phase", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("sample_size", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("retracted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "source_id", name="uq_record_source_id"),
    )
    op.create_index("ix_record_design", "record", ["design"])
    op.create_index("ix_record_doi", "record", ["doi"])
    op.create_index("ix_record_entry_date", "record", ["entry_date"])
    op.create_index("ix_record_source", "record", ["source"])

    op.create_table(
        "schema_version",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("applied_at", _dt(), nullable=False),
        sa.PrimaryKeyConstraint("version"),
    )

    op.create_table(
        "sync_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("query", sa.String(), nullable=False),
        sa.Column("window_start", sa.String(), nullable=True),
        sa.Column("window_end", sa.String(), nullable=True),
        sa.Column("started", _dt(), nullable=False),
        sa.Column("finished", _dt(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_run_source", "sync_run", ["source"])

    op.create_table(
        "watermark",
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("query", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("updated_at", _dt(), nullable=False),
        sa.PrimaryKeyConstraint("source", "query"),
    )

    op.create_table(
        "flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("ref_pmid", sa.String(), nullable=False),
        sa.Column("evidence", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "kind", "ref_pmid", name="uq_flag"),
        sa.ForeignKeyConstraint(["record_id"], ["record.id"]),
    )
    op.create_index("ix_flag_record_id", "flag", ["record_id"])

    op.create_table(
        "label",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("family", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("evidence", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["record_id"], ["record.id"]),
    )
    op.create_index("ix_label_family_value", "label", ["family", "value"])
    op.create_index("ix_label_record_id", "label", ["record_id"])

    op.create_table(
        "trial_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("nct_id", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("before", sa.String(), nullable=False),
        sa.Column("after", sa.String(), nullable=False),
        sa.Column("source_date", sa.String(), nullable=True),
        sa.Column("detected_at", _dt(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["record_id"], ["record.id"]),
    )
    op.create_index("ix_trial_change_nct_id", "trial_change", ["nct_id"])
    op.create_index("ix_trial_change_record_id", "trial_change", ["record_id"])


_SQLITE_FTS = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS record_fts USING fts5(
           title, abstract, content='record', content_rowid='id',
           tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS record_fts_ai AFTER INSERT ON record BEGIN
           INSERT INTO record_fts(rowid, title, abstract)
           VALUES (new.id, new.title, new.abstract);
       END""",
    """CREATE TRIGGER IF NOT EXISTS record_fts_ad AFTER DELETE ON record BEGIN
           INSERT INTO record_fts(record_fts, rowid, title, abstract)
           VALUES ('delete', old.id, old.title, old.abstract);
       END""",
    """CREATE TRIGGER IF NOT EXISTS record_fts_au AFTER UPDATE OF title, abstract ON record BEGIN
           INSERT INTO record_fts(record_fts, rowid, title, abstract)
           VALUES ('delete', old.id, old.title, old.abstract);
           INSERT INTO record_fts(rowid, title, abstract)
           VALUES (new.id, new.title, new.abstract);
       END""",
    "INSERT INTO record_fts(record_fts) VALUES ('rebuild')",
]

_POSTGRES_FTS = [
    """ALTER TABLE record ADD COLUMN IF NOT EXISTS search_vector tsvector
           GENERATED ALWAYS AS (
               setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
               setweight(to_tsvector('english', coalesce(abstract, '')), 'B')
           ) STORED""",
    "CREATE INDEX IF NOT EXISTS ix_record_search_vector ON record USING GIN (search_vector)",
]


def full_text_search() -> None:
    """Step 2 (idempotent: also completes a database made before the step existed)."""
    dialect = op.get_context().dialect.name
    for statement in _SQLITE_FTS if dialect == "sqlite" else _POSTGRES_FTS:
        op.execute(sa.text(statement))


def listing_indexes() -> None:
    """Step 3: date listings filtered by source, label lookups per record and family
    (idempotent, like step 2)."""
    op.create_index("ix_record_source_entry", "record", ["source", "entry_date"],
                    if_not_exists=True)
    op.create_index("ix_label_record_family", "label", ["record_id", "family"],
                    if_not_exists=True)
