"""The sync server's first schema.

Revision ID: s0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "municipalities",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "officers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("municipality_id", sa.Integer(), sa.ForeignKey("municipalities.id"), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_officers_municipality_id", "officers", ["municipality_id"])
    op.create_table(
        "enrolment_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("officers.id"), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.Column("used_at", sa.String(32), nullable=True),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("officers.id"), nullable=False),
        sa.Column("municipality_id", sa.Integer(), sa.ForeignKey("municipalities.id"), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_devices_officer_id", "devices", ["officer_id"])
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(32), primary_key=True),
        sa.Column("municipality_id", sa.Integer(), sa.ForeignKey("municipalities.id"), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_cases_municipality_id", "cases", ["municipality_id"])
    op.create_table(
        "answers",
        sa.Column("case_id", sa.String(32), primary_key=True),
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("entry_id", sa.String(40), primary_key=True),
        sa.Column("value_json", sa.Text(), nullable=True),
        sa.Column("version", sa.String(80), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
    )
    op.create_table(
        "log",
        sa.Column("municipality_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("entry_id", sa.String(40), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=True),
        sa.Column("version", sa.String(80), nullable=True),
        sa.Column("base_version", sa.String(80), nullable=True),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("officer", sa.String(120), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("extra_json", sa.Text(), nullable=True),
    )
    op.create_index("ix_log_version", "log", ["version"])
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("entry_id", sa.String(40), nullable=False),
        sa.Column("kept_value_json", sa.Text(), nullable=True),
        sa.Column("kept_version", sa.String(80), nullable=True),
        sa.Column("kept_by", sa.String(120), nullable=False),
        sa.Column("kept_at", sa.String(32), nullable=False),
        sa.Column("kept_device", sa.Integer(), nullable=True),
        sa.Column("other_value_json", sa.Text(), nullable=True),
        sa.Column("other_version", sa.String(80), nullable=False),
        sa.Column("other_by", sa.String(120), nullable=False),
        sa.Column("other_at", sa.String(32), nullable=False),
        sa.Column("other_device", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.String(32), nullable=False),
        sa.Column("resolved_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_conflicts_open", "conflicts", ["case_id", "resolved_at"])
    op.create_index("ix_conflicts_other_version", "conflicts", ["other_version"])
    op.create_table(
        "batches",
        sa.Column("batch_id", sa.String(36), primary_key=True),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("response_json", sa.Text(), nullable=False),
        sa.UniqueConstraint("batch_id", "device_id", name="uq_batches_device"),
    )


def downgrade() -> None:
    for table in ("batches", "conflicts", "log", "answers", "cases", "devices", "enrolment_codes", "officers",
                  "municipalities"):
        op.drop_table(table)
