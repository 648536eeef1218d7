"""The case-records channel: plan versions, case status and deletions beside the answer stream.

``records`` is the municipality's ordered stream of case records (numbered by ``record_sequences``,
apart from the answers' ``log``), ``case_statuses`` the status in force per case (the newest
version wins) and ``record_batches`` the answer to each records batch, for a batch sent again.

Revision ID: s0003
Revises: s0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "s0003"
down_revision = "s0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "records",
        sa.Column("municipality_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("version", sa.String(80), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("officer", sa.String(120), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("data_json", sa.Text(), nullable=False),
        sa.UniqueConstraint("municipality_id", "version", name="uq_records_version"),
    )
    op.create_index("ix_records_case", "records", ["case_id"])
    op.create_table(
        "record_sequences",
        sa.Column("municipality_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "case_statuses",
        sa.Column("case_id", sa.String(32), primary_key=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("version", sa.String(80), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "record_batches",
        sa.Column("batch_id", sa.String(36), primary_key=True),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("response_json", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in ("record_batches", "case_statuses", "record_sequences"):
        op.drop_table(table)
    op.drop_index("ix_records_case", table_name="records")
    op.drop_table("records")
