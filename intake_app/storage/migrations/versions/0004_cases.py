"""Case life cycle: derived list facts, closing and origin per case; imported files by hash.

Also an index on the outbox by case: deleting a case cascades into ``changes``, which without it
means a scan of the whole outbox per deleted case.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_admin",
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("deadline_kind", sa.String(40), nullable=True),
        sa.Column("lbt_result", sa.Integer(), nullable=False),
        sa.Column("derived_at", sa.String(32), nullable=False),
        sa.Column("closed_at", sa.String(32), nullable=True),
        sa.Column("closed_from_status", sa.String(32), nullable=True),
        sa.Column("pip_date", sa.String(10), nullable=True),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("origin_detail", sa.String(200), nullable=False),
    )
    op.create_table(
        "case_imports",
        sa.Column("import_id", sa.String(32), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
        sa.Column("imported_by", sa.String(120), nullable=False),
    )
    op.create_index("ix_case_imports_case_id", "case_imports", ["case_id"])
    op.create_index("ix_changes_case", "changes", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_changes_case", "changes")
    op.drop_table("case_imports")
    op.drop_table("case_admin")
