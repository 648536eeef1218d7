"""Opening, using and locking a vault, for the UI and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from intake_app.services.case_service import CaseService
from intake_app.services.paths import default_vault_folder, vault_files_present
from intake_app.storage import backup, keys, plans
from intake_app.storage.audit import AuditAction, AuditProblem
from intake_app.storage.database import DATABASE_NAME
from intake_app.storage.errors import CaseNotFound
from intake_app.storage.passphrase import PassphraseCheck, check_passphrase
from intake_app.storage.records import AnswerKey, AnswerValue, CaseStatus, CaseSummary
from intake_app.storage.vault import Vault

__all__ = [
    "AuditAction",
    "AuditProblem",
    "BackupInfo",
    "CaseStatus",
    "CaseSummary",
    "PassphraseCheck",
    "VaultSession",
    "check_passphrase",
    "create_vault",
    "default_vault_folder",
    "list_backups",
    "restore_newest_backup",
    "unlock_vault",
    "vault_files_present",
]


class VaultSession:
    """One officer's open vault. All methods commit before they return."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._cases: CaseService | None = None

    @property
    def cases(self) -> CaseService:
        """The case list and life cycle (close, delete, retention, imports)."""
        if self._cases is None:
            self._cases = CaseService(self._vault)
        return self._cases

    @property
    def vault(self) -> Vault:
        """The storage vault, for other services (sync, plans); the UI uses this session's methods."""
        return self._vault

    @property
    def officer(self) -> str:
        return self._vault.officer

    @property
    def folder(self) -> Path:
        return self._vault.folder

    @property
    def is_open(self) -> bool:
        return self._vault.is_open

    def lock(self) -> None:
        self._vault.close()

    def list_cases(self) -> list[CaseSummary]:
        return self._vault.list_cases()

    def create_case(self, client_language: str = "nl", *, is_demo: bool = False) -> str:
        return self._vault.create_case(client_language=client_language, is_demo=is_demo)

    def case(self, case_id: str) -> CaseSummary:
        return self._vault.case(case_id)

    def has_case(self, case_id: str) -> bool:
        """False once the case is gone: deleted here, or by a colleague and erased by a sync."""
        try:
            self._vault.case(case_id)
        except CaseNotFound:
            return False
        return True

    def open_case(self, case_id: str) -> CaseSummary:
        return self._vault.open_case(case_id)

    def answers(self, case_id: str) -> dict[AnswerKey, AnswerValue]:
        return self._vault.answers(case_id)

    def save_answer(self, case_id: str, key: AnswerKey, value: AnswerValue) -> str:
        version = self._vault.save_answer(case_id, key, value)
        self.cases.answers_changed(case_id, (key[0],))  # the list's deadline, when it depends on this
        return version

    def checkpoint(self) -> None:
        self._vault.checkpoint()

    def clear_answer(self, case_id: str, key: AnswerKey) -> None:
        self._vault.clear_answer(case_id, key)
        self.cases.answers_changed(case_id, (key[0],))

    def apply_changes(self, case_id: str, changes: list[tuple[AnswerKey, AnswerValue | None]]) -> list[str]:
        versions = self._vault.apply_changes(case_id, changes)
        self.cases.answers_changed(case_id, {key[0] for key, _value in changes})
        return versions

    def set_position(self, case_id: str, key: AnswerKey) -> None:
        self._vault.set_position(case_id, key)

    def set_case_fields(self, case_id: str, **fields: Any) -> None:
        self._vault.set_case_fields(case_id, **fields)

    def change_passphrase(self, old: str, new: str) -> None:
        self._vault.change_passphrase(old, new)

    def record(self, action: AuditAction, case_id: str = "", detail: str = "") -> None:
        self._vault.record(action, case_id, detail)

    def verify_audit(self) -> list[AuditProblem]:
        return self._vault.verify_audit()

    def integrity_problems(self) -> list[str]:
        return self._vault.integrity_problems()

    def pending_changes(self) -> int:
        return self._vault.pending_changes()

    # -- plan versions and their PDFs (append-only; see storage.plans) ----------------------------

    def plan_versions(self, case_id: str) -> list[plans.PlanVersionRecord]:
        return plans.versions(self._vault, case_id)

    def plan_version(self, case_id: str, number: int | None = None) -> plans.PlanVersionRecord | None:
        return plans.version(self._vault, case_id, number)

    def save_plan_version(self, case_id: str, **fields: Any) -> plans.PlanVersionRecord:
        return plans.save_version(self._vault, case_id, **fields)

    def plan_document(self, case_id: str, number: int, language: str) -> plans.PlanDocumentRecord | None:
        return plans.document(self._vault, case_id, number, language)

    def store_plan_document(self, case_id: str, number: int, language: str, pdf: bytes) -> plans.PlanDocumentRecord:
        return plans.store_document(self._vault, case_id, number, language, pdf)

    def record_plan_export(self, case_id: str, number: int, language: str) -> None:
        plans.record_export(self._vault, case_id, number, language)


def create_vault(
    folder: Path, officer: str, passphrase: str, *, recovery_public_key: Path | None = None,
    kdf: keys.KdfParams | None = None,
) -> VaultSession:
    public_key = keys.load_recovery_public_key(recovery_public_key) if recovery_public_key else None
    return VaultSession(
        Vault.create(folder, officer, passphrase, recovery_public_key=public_key, kdf=kdf)
    )


def unlock_vault(folder: Path, officer: str, passphrase: str) -> VaultSession:
    return VaultSession(Vault.unlock(folder, officer, passphrase))


def recover_vault(
    folder: Path, recovery_key: Path, officer: str, new_passphrase: str, *, key_passphrase: str | None = None
) -> VaultSession:
    """Open with the municipal recovery key and give ``officer`` a new passphrase."""
    private_key = keys.load_recovery_private_key(recovery_key, key_passphrase)
    keyfile_path = folder / keys.KEY_FILE_NAME
    keyfile = keys.KeyFile.load(keyfile_path)
    data_key = keyfile.recover(private_key)
    keyfile.reset_passphrase(officer, new_passphrase, data_key)
    keyfile.save(keyfile_path)
    return VaultSession(Vault.recover(folder, private_key, keys.display_name(officer)))


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    size: int


def list_backups(folder: Path) -> list[BackupInfo]:
    return [
        BackupInfo(p, datetime.fromtimestamp(p.stat().st_mtime, UTC), p.stat().st_size)
        for p in backup.list_backups(folder)
    ]


def restore_newest_backup(folder: Path) -> Path:
    """Put the newest backup in place; the damaged files are kept aside. Returns where they went."""
    backups = backup.list_backups(folder)
    if not backups:
        raise FileNotFoundError("no backup")
    return backup.restore_backup(folder / DATABASE_NAME, backups[0])
