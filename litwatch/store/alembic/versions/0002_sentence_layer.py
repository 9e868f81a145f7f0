"""The sentence layer: a `sentence` table, and the sentence a label was found in.

Every record is split once into sentences with their field and role (results and
conclusions sentences also carry a finding direction and their numbers, as JSON);
`label.sentence_idx` names the sentence (`sentence.idx` of the same record) that holds
a label's evidence, NULL for labels from structured fields.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sentence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("direction", sa.String(), nullable=True),
        sa.Column("numbers", sa.Text(), server_default="[]", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "idx", name="uq_sentence_record_idx"),
        sa.ForeignKeyConstraint(["record_id"], ["record.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_sentence_record_id", "sentence", ["record_id"])
    op.add_column("label", sa.Column("sentence_idx", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("label", "sentence_idx")
    op.drop_index("ix_sentence_record_id", table_name="sentence")
    op.drop_table("sentence")
