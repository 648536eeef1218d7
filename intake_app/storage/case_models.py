"""Vault tables of the case life cycle (migration 0004). Only the storage package imports this module.

- ``case_admin``: one row per case with what the case list needs beyond the ``cases`` row (the kind
  of the next deadline, whether an LBT result is known, when the row was derived from the answers),
  and the life cycle: when it was closed and from which status, where it came from (a COA import, a
  transfer from another municipality) and a PIP date known from outside the plan versions.
- ``case_imports``: one row per imported file (COA handover, transfer package), by the SHA-256 of
  its bytes, so importing the same file twice is noticed and an import can be undone as a whole.

Both cascade with the case: deleting a case leaves only its audit entries behind.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intake_app.storage.models import Base


class CaseAdmin(Base):
    __tablename__ = "case_admin"
    case_id: Mapped[str] = mapped_column(String(32), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    # Derived from the answers (and plan versions) by the services; ``derived_at`` older than the
    # case's ``updated_at`` means it must be derived again (e.g. after answers arrived by sync).
    deadline_kind: Mapped[str | None] = mapped_column(String(40), nullable=True)
    lbt_result: Mapped[int] = mapped_column(Integer, default=0)
    derived_at: Mapped[str] = mapped_column(String(32), default="")
    # Life cycle.
    closed_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    closed_from_status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    pip_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    origin: Mapped[str] = mapped_column(String(20), default="")  # "", "coa_import", "transfer_in"
    origin_detail: Mapped[str] = mapped_column(String(200), default="")  # e.g. the sending municipality


class CaseImport(Base):
    __tablename__ = "case_imports"
    import_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # "coa", "transfer"
    case_id: Mapped[str] = mapped_column(String(32), ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    imported_at: Mapped[str] = mapped_column(String(32))
    imported_by: Mapped[str] = mapped_column(String(120))
