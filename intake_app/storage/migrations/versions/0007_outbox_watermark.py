"""The outbox's pushed rows as one number instead of a flag per row; stored batches compressed.

Pushed rows are always the oldest (see ``intake_app.storage.outbox``), so "pushed through seq N" in
the meta table replaces the ``pushed`` column and its index: marking a batch pushed no longer
rewrites ten thousand rows, and a save no longer maintains the index.

A push batch waiting for the server's answer is kept zlib-compressed (``payload``): a tenth of the
pages to encrypt and write, and to wipe again once answered. Batches stored in the old form are
dropped: their changes are batched anew and the server knows the ones it took by their versions.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
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
    _sync_outgoing(sa.Column("payload", sa.LargeBinary(), nullable=False))


def downgrade() -> None:
    _sync_outgoing(sa.Column("payload_json", sa.Text(), nullable=False))
    op.execute("ALTER TABLE changes ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0")
    op.execute(
        "UPDATE changes SET pushed = 1 WHERE seq <= coalesce("
        "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_pushed_through'), 0)"
    )
    op.execute("DELETE FROM meta WHERE key = 'outbox_pushed_through'")
    op.create_index("ix_changes_pending", "changes", ["pushed", "seq"])


def _sync_outgoing(payload: sa.Column[object]) -> None:
    op.drop_table("sync_outgoing")
    op.create_table(
        "sync_outgoing",
        sa.Column("batch_id", sa.String(36), primary_key=True),
        sa.Column("last_change_seq", sa.Integer(), nullable=False),
        payload,
        sa.Column("created_at", sa.String(32), nullable=False),
    )
