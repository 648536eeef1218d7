"""The first vault schema: cases, answers, outbox, audit log, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("client_language", sa.String(16), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("bsn", sa.String(16), nullable=False),
        sa.Column("v_number", sa.String(16), nullable=False),
        sa.Column("target_group", sa.String(32), nullable=False),
        sa.Column("next_deadline", sa.Date(), nullable=True),
        sa.Column("last_question_id", sa.String(80), nullable=False),
        sa.Column("last_entry_id", sa.String(40), nullable=False),
        sa.Column("is_demo", sa.Integer(), nullable=False),
    )
    op.create_index("ix_cases_updated_at", "cases", ["updated_at"])
    op.create_index("ix_cases_status", "cases", ["status"])
    op.create_table(
        "answers",
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("question_id", sa.String(80), primary_key=True),
        sa.Column("entry_id", sa.String(40), primary_key=True),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.Column("version", sa.String(80), nullable=False),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "changes",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("entry_id", sa.String(40), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=True),
        sa.Column("version", sa.String(80), nullable=False),
        sa.Column("base_version", sa.String(80), nullable=True),
        sa.Column("pushed", sa.Integer(), nullable=False),
    )
    op.create_index("ix_changes_pending", "changes", ["pushed", "seq"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("officer", sa.String(120), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("audit_log", "changes", "answers", "cases", "meta"):
        op.drop_table(table)
