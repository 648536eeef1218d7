"""Frozen records the storage layer hands upward (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

# A stored answer value: whatever JSON can hold (text, numbers, booleans, ISO dates, lists).
AnswerValue = Any
AnswerKey = tuple[str, str]  # (question id, repeat entry id; "" outside repeat groups)


class CaseStatus(StrEnum):
    NEW = "nieuw"
    INTAKE_IN_PROGRESS = "intake_bezig"
    DRAFT_PIP = "concept_pip"
    PIP_FIXED = "pip_vastgesteld"
    TRANSFERRED = "overgedragen"
    CLOSED = "gesloten"


@dataclass(frozen=True)
class CaseSummary:
    id: str
    display_name: str
    bsn: str
    v_number: str
    status: CaseStatus
    target_group: str
    client_language: str
    next_deadline: date | None
    updated_at: str
    last_question_id: str
    last_entry_id: str
    is_demo: bool
