"""The server's tables (its own metadata and Alembic migrations, apart from the vault's).

``log`` is the municipality's ordered stream that laptops pull: every applied change and every
conflict snapshot, numbered per municipality (``municipalities.last_seq``). Pushes of one
municipality are serialised on its row, so sequence numbers become visible in order and a pull
never skips a change that commits later.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class ServerBase(DeclarativeBase):
    pass


class Municipality(ServerBase):
    __tablename__ = "municipalities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class Officer(ServerBase):
    __tablename__ = "officers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[str] = mapped_column(String(32))


class EnrolmentCode(ServerBase):
    __tablename__ = "enrolment_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class Device(ServerBase):
    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"))
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token, never the token
    created_at: Mapped[str] = mapped_column(String(32))
    revoked_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class ServerCase(ServerBase):
    """Which municipality a case belongs to: the first push of a case claims it."""

    __tablename__ = "cases"
    case_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"), index=True)
    created_at: Mapped[str] = mapped_column(String(32))
    deleted_at: Mapped[str | None] = mapped_column(String(32), nullable=True)  # erased on request


class LogEntry(ServerBase):
    """The municipality's ordered stream, and the server's state: an answer's value is its newest change."""

    __tablename__ = "log"
    municipality_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[str] = mapped_column(String(32))
    question_id: Mapped[str] = mapped_column(String(80))
    entry_id: Mapped[str] = mapped_column(String(40))
    value_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[str | None] = mapped_column(String(80), nullable=True)
    base_version: Mapped[str | None] = mapped_column(String(80), nullable=True)
    device_id: Mapped[int] = mapped_column(Integer)
    officer: Mapped[str] = mapped_column(String(120))
    at: Mapped[str] = mapped_column(String(32))
    extra_json: Mapped[str | None] = mapped_column(Text, nullable=True)  # resolves, or a conflict snapshot

    # The current value of an answer is its newest ``change`` row: found through this index.
    __table_args__ = (Index("ix_log_key", "case_id", "question_id", "entry_id", "seq"),)


class ServerConflict(ServerBase):
    __tablename__ = "conflicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    municipality_id: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[str] = mapped_column(String(32))
    question_id: Mapped[str] = mapped_column(String(80))
    entry_id: Mapped[str] = mapped_column(String(40))
    kept_value_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    kept_version: Mapped[str | None] = mapped_column(String(80), nullable=True)
    kept_by: Mapped[str] = mapped_column(String(120))
    kept_at: Mapped[str] = mapped_column(String(32))
    kept_device: Mapped[int | None] = mapped_column(Integer, nullable=True)
    other_value_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    other_version: Mapped[str] = mapped_column(String(80))
    other_by: Mapped[str] = mapped_column(String(120))
    other_at: Mapped[str] = mapped_column(String(32))
    other_device: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[str] = mapped_column(String(32))
    resolved_at: Mapped[str | None] = mapped_column(String(32), nullable=True)

    __table_args__ = (Index("ix_conflicts_open", "case_id", "resolved_at"),
                      Index("ix_conflicts_other_version", "other_version"))


class Batch(ServerBase):
    """A received batch and the answer given, so a re-sent batch gets the same answer again."""

    __tablename__ = "batches"
    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[str] = mapped_column(String(32))
    response_json: Mapped[str] = mapped_column(Text)  # may hold answer values (merged, conflicting)
    case_ids: Mapped[str | None] = mapped_column(Text, nullable=True)  # space-separated: erased with a case

    __table_args__ = (UniqueConstraint("batch_id", "device_id", name="uq_batches_device"),)
