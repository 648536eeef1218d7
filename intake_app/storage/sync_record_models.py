"""Vault tables of the case-records sync (migration 0005). Only the storage package imports this module.

- ``record_outbox``: case records waiting to be pushed (a plan version, a status change, a deletion),
  each with its version (its id) and the record exactly as it is sent. No foreign key to the case:
  a deletion record outlives the case it erased. A record leaves the outbox once the server has it.
- ``record_outgoing``: the records batch in flight, re-sent unchanged under the same batch id.
- ``plan_version_sync``: per plan version its sync identity (the version of its record), where it
  came from (made here, or pulled from the server) and its number in the server's stream, which
  orders the versions of a case the same way on every laptop.
- ``case_sync_state``: per case the version of the status in force, so the newest one wins.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake_app.storage.models import Base


class RecordOutbox(Base):
    __tablename__ = "record_outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    record_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))

    # Numbers are never given out twice: a batch in flight names its rows as "up to number N".
    __table_args__ = ({"sqlite_autoincrement": True},)


class RecordOutgoing(Base):
    __tablename__ = "record_outgoing"
    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)  # outbox rows up to here are in this batch
    payload_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))


class PlanVersionSync(Base):
    __tablename__ = "plan_version_sync"
    case_id: Mapped[str] = mapped_column(String(32), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[str] = mapped_column(String(80), primary_key=True)  # the record's version: its id everywhere
    number: Mapped[int] = mapped_column(Integer)  # = plan_versions.number (they move together)
    origin: Mapped[str] = mapped_column(String(16))  # "local" or "server"
    server_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: not on the server yet
    received_at: Mapped[str | None] = mapped_column(String(32), nullable=True)  # pulled at

    __table_args__ = (Index("ix_plan_version_sync_number", "case_id", "number"),)


class CaseSyncState(Base):
    __tablename__ = "case_sync_state"
    case_id: Mapped[str] = mapped_column(String(32), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    status_version: Mapped[str] = mapped_column(String(80))
