"""Plan versions (append-only) and the PDFs generated for them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_versions",
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("dagtekening", sa.String(10), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("amendment_reason", sa.String(40), nullable=True),
        sa.Column("form_version", sa.String(32), nullable=False),
        sa.Column("decision_json", sa.Text(), nullable=False),
        sa.Column("content_json", sa.Text(), nullable=False),
    )
    op.create_table(
        "plan_documents",
        sa.Column("case_id", sa.String(32), primary_key=True),
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("language", sa.String(16), primary_key=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id", "number"], ["plan_versions.case_id", "plan_versions.number"], ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("plan_documents")
    op.drop_table("plan_versions")
