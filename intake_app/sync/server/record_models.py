"""The server's tables of the case-records channel (migration s0003), on the same metadata as ``models``.

- ``records``: the municipality's ordered stream of case records (plan versions, status changes,
  deletions), numbered per municipality by ``record_sequences`` (apart from the answers' ``log``).
  A record's ``version`` is unique in its municipality: a record sent again is recognised.
- ``case_statuses``: the status in force per case, the newest version of the status records.
- ``record_batches``: the answer given to each records batch, so a re-sent batch gets it again.

Erasing a case removes its records and its status; the stream keeps only its ``deletion`` record:
case id, when, by whom and a reason category — no personal data.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intake_app.sync.server.models import ServerBase


class RecordEntry(ServerBase):
    __tablename__ = "records"
    municipality_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(80))
    device_id: Mapped[int] = mapped_column(Integer)
    officer: Mapped[str] = mapped_column(String(120))
    at: Mapped[str] = mapped_column(String(32))
    data_json: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("municipality_id", "version", name="uq_records_version"),
        Index("ix_records_case", "case_id"),
    )


class RecordSequence(ServerBase):
    __tablename__ = "record_sequences"
    municipality_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class CaseStatusRow(ServerBase):
    __tablename__ = "case_statuses"
    case_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int] = mapped_column(BigInteger)


class RecordBatch(ServerBase):
    __tablename__ = "record_batches"
    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[str] = mapped_column(String(32))
    response_json: Mapped[str] = mapped_column(Text)
