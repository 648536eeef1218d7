"""How far the outbox has been pushed: one number in the meta table, not a flag on every row.

The server acknowledges outbox rows a batch at a time and a batch always ends the waiting rows up to
its last one, so the pushed rows are always the oldest ones: "pushed through seq N" says all of it.
Marking a batch of ten thousand rows pushed is then one small write instead of ten thousand row and
index updates (half of a big push's time on the laptop), and an officer's save no longer maintains
an index of waiting rows.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

PUSHED_THROUGH_KEY = "outbox_pushed_through"

# The number as an SQL expression (0 before the first push), for "waiting" conditions in one statement.
SQL_PUSHED_THROUGH = (
    f"(SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM meta WHERE key = '{PUSHED_THROUGH_KEY}')"
)
SQL_WAITING = f"seq > {SQL_PUSHED_THROUGH}"  # an outbox row the server has not acknowledged


def pushed_through(connection: Connection) -> int:
    """The newest outbox row the server has acknowledged, with every older one (0: none)."""
    return int(connection.execute(text(f"SELECT {SQL_PUSHED_THROUGH}")).scalar_one())


def mark_pushed_through(connection: Connection, seq: int) -> None:
    """The server acknowledged outbox rows up to ``seq`` (never moves back: a re-sent older batch
    acknowledged again changes nothing)."""
    connection.execute(
        text(
            "INSERT INTO meta (key, value) VALUES (:key, :seq) ON CONFLICT (key) DO UPDATE SET"
            " value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))"
        ),
        {"key": PUSHED_THROUGH_KEY, "seq": str(seq)},
    )
