"""An index of the outbox's removals by case.

A push asks, for every batch, whether any answer of its cases was ever removed here (a re-added
answer must then be based on that removal). Removals are few: a partial index holds just them, so
the question no longer reads every outbox row of those cases.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_changes_removals", "changes", ["case_id"], sqlite_where=sa.text("value_json IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_changes_removals", "changes")
