"""A change sequence on every record row, for derived indexes to catch up from.

`record.change_seq` is stamped by the store (litwatch.store.changes) on every insert,
update and re-derivation of a record: a number greater than every stamp committed
before it.  A search index kept beside the store (one per machine, on a shared
PostgreSQL store) applies the rows with `change_seq > last_applied`, so every
machine's search sees every writer's records.  Rows that exist when the revision
runs get stamp 1; PostgreSQL hands out later stamps from the sequence
`record_change_seq`.  Rows written in one transaction share its stamp; readers page by
(change_seq, id), which is what the index on both columns serves.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("record", sa.Column("change_seq", sa.BigInteger(), nullable=True))
    op.create_index("ix_record_change_seq", "record", ["change_seq", "id"])
    op.execute(sa.text("UPDATE record SET change_seq = 1"))
    if op.get_context().dialect.name == "postgresql":
        op.execute(sa.text("CREATE SEQUENCE IF NOT EXISTS record_change_seq START 2"))


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(sa.text("DROP SEQUENCE IF EXISTS record_change_seq"))
    op.drop_index("ix_record_change_seq", table_name="record")
    op.drop_column("record", "change_seq")
