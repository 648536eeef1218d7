"""Sync bookkeeping: known server versions, the batch in flight, conflicts and their resolutions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_known",
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("entry_id", sa.String(40), primary_key=True),
        sa.Column("version", sa.String(80), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("outbox_seq", sa.Integer(), nullable=False),
    )
    op.create_table(
        "sync_outgoing",
        sa.Column("batch_id", sa.String(36), primary_key=True),
        sa.Column("last_change_seq", sa.Integer(), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("conflict_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("entry_id", sa.String(40), nullable=False),
        sa.Column("local_value_json", sa.Text(), nullable=True),
        sa.Column("local_version", sa.String(80), nullable=False),
        sa.Column("local_by", sa.String(120), nullable=False),
        sa.Column("local_at", sa.String(32), nullable=False),
        sa.Column("remote_value_json", sa.Text(), nullable=True),
        sa.Column("remote_version", sa.String(80), nullable=False),
        sa.Column("remote_by", sa.String(120), nullable=False),
        sa.Column("remote_at", sa.String(32), nullable=False),
        sa.Column("detected_at", sa.String(32), nullable=False),
        sa.Column("resolved_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_sync_conflicts_case_id", "sync_conflicts", ["case_id"])
    op.create_table(
        "sync_resolutions",
        sa.Column("version", sa.String(80), primary_key=True),
        sa.Column("conflict_id", sa.Integer(), primary_key=True, autoincrement=False),
    )


def downgrade() -> None:
    for table in ("sync_resolutions", "sync_conflicts", "sync_outgoing", "sync_known"):
        op.drop_table(table)
