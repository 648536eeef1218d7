"""The log is the server's state: drop the duplicate ``answers`` table; cases can be erased.

Every applied change was written twice (log and answers). The current value of an answer is the
newest ``change`` row of its key in the log, found through an index on the key, so a push now
writes each change once. ``cases.deleted_at`` marks a case erased on a municipality's request;
``batches.case_ids`` says which cases a stored push answer speaks of, so an erasure removes those too.

Revision ID: s0002
Revises: s0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("answers")
    op.drop_index("ix_log_version", table_name="log")
    op.create_index("ix_log_key", "log", ["case_id", "question_id", "entry_id", "seq"])
    with op.batch_alter_table("cases") as table:
        table.add_column(sa.Column("deleted_at", sa.String(32), nullable=True))
    with op.batch_alter_table("batches") as table:
        table.add_column(sa.Column("case_ids", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("batches") as table:
        table.drop_column("case_ids")
    with op.batch_alter_table("cases") as table:
        table.drop_column("deleted_at")
    op.drop_index("ix_log_key", table_name="log")
    op.create_index("ix_log_version", "log", ["version"])
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
    op.execute(
        "INSERT INTO answers (case_id, question_id, entry_id, value_json, version, seq, updated_by, updated_at,"
        " device_id) SELECT case_id, question_id, entry_id, value_json, version, seq, officer, at, device_id"
        " FROM log l WHERE kind = 'change' AND seq = (SELECT max(seq) FROM log m WHERE m.kind = 'change'"
        " AND m.case_id = l.case_id AND m.question_id = l.question_id AND m.entry_id = l.entry_id)"
    )
