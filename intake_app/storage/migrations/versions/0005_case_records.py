"""Case records sync: plan versions, case status and deletions travel beside the answers.

The outbox of case records and the batch in flight, the sync identity and server order of each plan
version, and the version of each case's status in force. Plan versions made before this revision
get their identity (and are queued) at the first sync.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_outbox",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("version", sa.String(80), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("record_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_record_outbox_case_id", "record_outbox", ["case_id"])
    op.create_table(
        "record_outgoing",
        sa.Column("batch_id", sa.String(36), primary_key=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "plan_version_sync",
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version", sa.String(80), primary_key=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("server_seq", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_plan_version_sync_number", "plan_version_sync", ["case_id", "number"])
    op.create_table(
        "case_sync_state",
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("status_version", sa.String(80), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("case_sync_state")
    op.drop_index("ix_plan_version_sync_number", "plan_version_sync")
    op.drop_table("plan_version_sync")
    op.drop_table("record_outgoing")
    op.drop_index("ix_record_outbox_case_id", "record_outbox")
    op.drop_table("record_outbox")
