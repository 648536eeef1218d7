"""Plan versions and their PDFs in the vault: append-only, each write with its audit entry.

A version is never changed: saving a decision adds version N+1, with its own dagtekening. Once a
version is *fixed* (vastgesteld), a later version is an amendment and names one of the three legal
reasons. The decision and the content are JSON made by the service layer; this module keeps them
as text and does not look inside, apart from the version's state.

A generated PDF is stored once per (version, language) with its SHA-256; asking again returns the
stored one, so a plan that was handed out can always be shown exactly as it was. It reaches the
disk only through an explicit export, which the service records as ``AuditAction.EXPORT``.

Versions travel to colleagues' laptops (``storage.sync_records``): each saved version queues its
record in the same transaction. A version's ``number`` is its place in the list, 1, 2, 3…, the same
on every laptop once synced: when two laptops each added a version of a case offline, the one that
reached the server second moves up a place (with its stored PDFs), audited as ``plan_renumbered``.
The content and a stored PDF keep the number their author gave them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from intake_app.i18n import N_
from intake_app.storage import audit, sync_records
from intake_app.storage.audit import AuditAction
from intake_app.storage.errors import CaseNotFound, VaultError
from intake_app.storage.models import Case, PlanDocument, PlanVersion
from intake_app.storage.records import CaseStatus
from intake_app.storage.vault import Vault

# The three legal reasons for amending a fixed plan (values of plan.amendments.AmendmentReason).
AMENDMENT_REASONS = frozenset({"wijziging_leerroute", "afschalen_naar_a2", "verhuizing_andere_gemeente"})


class PlanFixedNeedsReason(VaultError):
    message = N_(
        "Dit plan is al vastgesteld. Een nieuwe versie is een wijziging en vraagt een van de drie "
        "wettelijke redenen: wijziging van de leerroute, afschalen naar A2 of verhuizing."
    )


class PlanNotFixedYet(VaultError):
    message = N_("Er is nog geen vastgesteld plan; een wijzigingsreden hoort pas bij een vastgesteld plan.")


class UnknownAmendmentReason(VaultError):
    message = N_("Deze reden voor een wijziging kent de wet niet.")


class PlanVersionConflict(VaultError):
    message = N_("Intussen is er een nieuwere versie van dit plan opgeslagen. Open het plan opnieuw.")


class PlanVersionNotFound(VaultError):
    message = N_("Deze versie van het plan bestaat niet.")


class VersionState(StrEnum):
    CONCEPT = "concept"
    FIXED = "vastgesteld"


@dataclass(frozen=True)
class PlanVersionRecord:
    case_id: str
    number: int
    created_at: str
    created_by: str
    dagtekening: date
    route: str
    amendment_reason: str | None
    form_version: str
    state: VersionState
    decision_json: str
    content_json: str


@dataclass(frozen=True)
class PlanDocumentRecord:
    case_id: str
    number: int
    language: str
    created_at: str
    sha256: str
    pdf: bytes


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def save_version(
    vault: Vault,
    case_id: str,
    *,
    number: int,
    state: VersionState,
    dagtekening: date,
    route: str,
    form_version: str,
    decision_json: str,
    content_json: str,
    amendment_reason: str | None = None,
    next_deadline: date | None = None,
) -> PlanVersionRecord:
    """Append version ``number`` (N+1) and move the case to ``concept_pip`` or ``pip_vastgesteld``, in one transaction.

    Raises :class:`CaseNotFound`; :class:`PlanFixedNeedsReason` when a plan that was fixed is
    changed without a legal amendment reason, :class:`PlanNotFixedYet` for a reason while nothing
    was fixed yet.
    ``decision_json`` must carry the same ``state`` (the service writes it there);
    :class:`PlanVersionConflict` when ``number`` is not the next one.
    """
    if amendment_reason is not None and amendment_reason not in AMENDMENT_REASONS:
        raise UnknownAmendmentReason()
    now = _now()
    with vault.engine.begin() as connection:
        status = connection.execute(select(Case.status).where(Case.id == case_id)).scalar()
        if status is None:
            raise CaseNotFound()
        fixed_before = _has_fixed_version(connection, case_id)
        if fixed_before and amendment_reason is None:
            raise PlanFixedNeedsReason()
        if not fixed_before and amendment_reason is not None:
            raise PlanNotFixedYet()
        latest = connection.execute(
            select(func.coalesce(func.max(PlanVersion.number), 0)).where(PlanVersion.case_id == case_id)
        ).scalar_one()
        if number != latest + 1:  # the content was built for another number: never renumber it
            raise PlanVersionConflict()
        connection.execute(
            insert(PlanVersion).values(
                case_id=case_id, number=number, created_at=now, created_by=vault.officer,
                dagtekening=dagtekening.isoformat(), route=route, amendment_reason=amendment_reason,
                form_version=form_version, decision_json=decision_json, content_json=content_json,
            )
        )
        new_status = CaseStatus.PIP_FIXED if state is VersionState.FIXED or fixed_before else CaseStatus.DRAFT_PIP
        values: dict[str, object] = {"status": new_status.value, "updated_at": now}
        if next_deadline is not None:
            values["next_deadline"] = next_deadline
        connection.execute(update(Case).where(Case.id == case_id).values(**values))
        audit.append(connection, vault.officer, AuditAction.EDIT, case_id, f"plan_version:{number}:{state.value}")
        sync_records.track_plan_versions(connection, vault, case_id)  # queued for colleagues' laptops
    vault.mark_changed()
    return PlanVersionRecord(
        case_id, number, now, vault.officer, dagtekening, route, amendment_reason, form_version, state,
        decision_json, content_json,
    )


def _has_fixed_version(connection: Connection, case_id: str) -> bool:
    rows = connection.execute(select(PlanVersion.decision_json).where(PlanVersion.case_id == case_id))
    return any(_state_of(text) is VersionState.FIXED for (text,) in rows)


def _state_of(decision_json: str) -> VersionState:
    state = json.loads(decision_json).get("state", VersionState.CONCEPT.value)
    return VersionState(state)


def versions(vault: Vault, case_id: str) -> list[PlanVersionRecord]:
    """Every version of the case's plan, oldest first."""
    with vault.engine.connect() as connection:
        rows = connection.execute(
            select(PlanVersion.__table__).where(PlanVersion.case_id == case_id).order_by(PlanVersion.number)
        )
        return [_version(row) for row in rows]


def version(vault: Vault, case_id: str, number: int | None = None) -> PlanVersionRecord | None:
    """One version (the latest when ``number`` is None), or None when there is none."""
    query = select(PlanVersion.__table__).where(PlanVersion.case_id == case_id)
    if number is None:
        query = query.order_by(PlanVersion.number.desc()).limit(1)
    else:
        query = query.where(PlanVersion.number == number)
    with vault.engine.connect() as connection:
        row = connection.execute(query).first()
        return None if row is None else _version(row)


def _version(row: Row[Any]) -> PlanVersionRecord:
    return PlanVersionRecord(
        case_id=row.case_id, number=row.number, created_at=row.created_at, created_by=row.created_by,
        dagtekening=date.fromisoformat(row.dagtekening), route=row.route, amendment_reason=row.amendment_reason,
        form_version=row.form_version, state=_state_of(row.decision_json), decision_json=row.decision_json,
        content_json=row.content_json,
    )


def store_document(vault: Vault, case_id: str, number: int, language: str, pdf: bytes) -> PlanDocumentRecord:
    """Keep the PDF of a version in a language; if one is stored already, that one stays and is returned."""
    with vault.engine.begin() as connection:
        existing = _document(connection, case_id, number, language)
        if existing is not None:
            return existing
        exists = connection.execute(
            select(PlanVersion.number).where(PlanVersion.case_id == case_id, PlanVersion.number == number)
        ).scalar()
        if exists is None:
            raise PlanVersionNotFound()
        record = PlanDocumentRecord(case_id, number, language, _now(), hashlib.sha256(pdf).hexdigest(), pdf)
        connection.execute(
            insert(PlanDocument).values(
                case_id=case_id, number=number, language=language, created_at=record.created_at,
                sha256=record.sha256, pdf=pdf,
            )
        )
        audit.append(connection, vault.officer, AuditAction.EDIT, case_id, f"plan_document:{number}:{language}")
    vault.mark_changed()
    return record


def document(vault: Vault, case_id: str, number: int, language: str) -> PlanDocumentRecord | None:
    with vault.engine.connect() as connection:
        return _document(connection, case_id, number, language)


def _document(connection: Connection, case_id: str, number: int, language: str) -> PlanDocumentRecord | None:
    row = connection.execute(
        select(PlanDocument.__table__).where(
            PlanDocument.case_id == case_id, PlanDocument.number == number, PlanDocument.language == language
        )
    ).first()
    if row is None:
        return None
    return PlanDocumentRecord(row.case_id, row.number, row.language, row.created_at, row.sha256, row.pdf)


def record_export(vault: Vault, case_id: str, number: int, language: str) -> None:
    """The audit entry for a PDF that leaves the vault (never the path: it may hold a name)."""
    vault.record(AuditAction.EXPORT, case_id, f"plan_document:{number}:{language}")
