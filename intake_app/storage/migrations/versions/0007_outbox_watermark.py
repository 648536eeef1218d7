"""The outbox's pushed rows as one number instead of a flag per row.

Pushed rows are always the oldest (see ``intake_app.storage.outbox``), so "pushed through seq N" in
the meta table replaces the ``pushed`` column and its index: marking a batch pushed no longer
rewrites ten thousand rows, and a save no longer maintains the index.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Just before the oldest waiting row; should a waiting row ever sit among pushed ones, it is
    # sent again rather than lost (the server knows a change it has by its version).
    op.execute(
        "INSERT OR REPLACE INTO meta (key, value) SELECT 'outbox_pushed_through', CAST(coalesce("
        "(SELECT min(seq) - 1 FROM changes WHERE pushed = 0), (SELECT max(seq) FROM changes), 0) AS TEXT)"
    )
    op.drop_index("ix_changes_pending", "changes")
    op.execute("ALTER TABLE changes DROP COLUMN pushed")


def downgrade() -> None:
    op.execute("ALTER TABLE changes ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0")
    op.execute(
        "UPDATE changes SET pushed = 1 WHERE seq <= coalesce("
        "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_pushed_through'), 0)"
    )
    op.execute("DELETE FROM meta WHERE key = 'outbox_pushed_through'")
    op.create_index("ix_changes_pending", "changes", ["pushed", "seq"])
