"""ORM tables of a vault. Answers are rows, not one blob: that is what makes field-level sync,
audit and history possible. Only the storage package imports this module."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, ForeignKeyConstraint, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Small key/value facts about the vault itself (device id, audit head, clock)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(32), default="nieuw", index=True)
    client_language: Mapped[str] = mapped_column(String(16), default="nl")
    # Denormalised from the answers so the case list never has to read every answer.
    display_name: Mapped[str] = mapped_column(String(200), default="")
    bsn: Mapped[str] = mapped_column(String(16), default="")
    v_number: Mapped[str] = mapped_column(String(16), default="")
    target_group: Mapped[str] = mapped_column(String(32), default="")
    next_deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Where the officer was, so reopening a case resumes at the last question.
    last_question_id: Mapped[str] = mapped_column(String(80), default="")
    last_entry_id: Mapped[str] = mapped_column(String(40), default="")
    is_demo: Mapped[int] = mapped_column(Integer, default=0)


class Answer(Base):
    __tablename__ = "answers"
    case_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    # "" outside repeat groups; a stable id of the entry inside one.
    entry_id: Mapped[str] = mapped_column(String(40), primary_key=True, default="")
    value_json: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(80))
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[str] = mapped_column(String(32))


class Change(Base):
    """The outbox: every answer change, in order, waiting to be pushed to the server."""

    __tablename__ = "changes"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(32), ForeignKey("cases.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(80))
    entry_id: Mapped[str] = mapped_column(String(40), default="")
    value_json: Mapped[str | None] = mapped_column(Text, nullable=True)  # None: a deletion (tombstone)
    version: Mapped[str] = mapped_column(String(80))
    base_version: Mapped[str | None] = mapped_column(String(80), nullable=True)
    # Pushed or waiting: the seq against the number in intake_app.storage.outbox (migration 0007).

    __table_args__ = (
        Index("ix_changes_removals", "case_id", sqlite_where=text("value_json IS NULL")),  # see migration 0006
    )


class AuditEntry(Base):
    """Append-only, hash-chained: who did what to which case, when. Never answer values."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))
    officer: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[str] = mapped_column(String(32), default="")
    detail: Mapped[str] = mapped_column(String(200), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class PlanVersion(Base):
    """A numbered PIP version with its dagtekening. Append-only: a new version never overwrites one."""

    __tablename__ = "plan_versions"
    case_id: Mapped[str] = mapped_column(String(32), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(120))
    dagtekening: Mapped[str] = mapped_column(String(10))
    route: Mapped[str] = mapped_column(String(32))
    amendment_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    form_version: Mapped[str] = mapped_column(String(32))
    decision_json: Mapped[str] = mapped_column(Text)
    content_json: Mapped[str] = mapped_column(Text)


class PlanDocument(Base):
    """A generated PIP PDF, kept inside the vault; it reaches the disk only on an explicit export."""

    __tablename__ = "plan_documents"
    case_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    created_at: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (
        ForeignKeyConstraint(
            ["case_id", "number"], ["plan_versions.case_id", "plan_versions.number"], ondelete="CASCADE"
        ),
    )
