"""Vault tables of the sync (migration 0003). Only the storage package imports this module.

- ``sync_known``: per answer, the newest version this laptop knows the server holds, and the server
  sequence number it got there. A base for the next push and a filter for echoes of our own pushes.
- ``sync_outgoing``: the batch in flight, written before it is sent, so a cut push is re-sent
  byte for byte under the same batch id (the server answers a known batch id from its record).
- ``sync_conflicts``: the same answer edited on two laptops; both values, who and when, kept until
  a person resolves it. ``sync_resolutions`` links an outbox change to the conflicts it resolves.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake_app.storage.models import Base


class SyncKnown(Base):
    __tablename__ = "sync_known"
    case_id: Mapped[str] = mapped_column(String(32), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(40), primary_key=True, default="")
    version: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int] = mapped_column(Integer)
    outbox_seq: Mapped[int] = mapped_column(Integer, default=0)  # newest outbox row when this was taken


class SyncOutgoing(Base):
    __tablename__ = "sync_outgoing"
    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_change_seq: Mapped[int] = mapped_column(Integer)  # outbox rows up to here are in this batch
    payload: Mapped[bytes] = mapped_column(LargeBinary)  # the JSON body as sent, zlib-compressed (migration 0007)
    created_at: Mapped[str] = mapped_column(String(32))


class SyncConflict(Base):
    __tablename__ = "sync_conflicts"
    conflict_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # the server's id
    case_id: Mapped[str] = mapped_column(String(32), ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(80))
    entry_id: Mapped[str] = mapped_column(String(40), default="")
    local_value_json: Mapped[str | None] = mapped_column(Text, nullable=True)  # None: removed
    local_version: Mapped[str] = mapped_column(String(80))
    local_by: Mapped[str] = mapped_column(String(120))
    local_at: Mapped[str] = mapped_column(String(32))
    remote_value_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    remote_version: Mapped[str] = mapped_column(String(80))
    remote_by: Mapped[str] = mapped_column(String(120))
    remote_at: Mapped[str] = mapped_column(String(32))
    detected_at: Mapped[str] = mapped_column(String(32))
    resolved_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class SyncResolution(Base):
    __tablename__ = "sync_resolutions"
    version: Mapped[str] = mapped_column(String(80), primary_key=True)  # the outbox change that resolves
    conflict_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
