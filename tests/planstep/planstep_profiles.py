"""Newcomer profiles as stored answers, for the plan step's tests (``{(question_id, entry_id): value}``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from intake_app.services.vault_service import VaultSession, create_vault
from intake_app.storage.keys import KdfParams

from support import OFFICER, PASSPHRASE

REFERENCE = date(2024, 6, 1)

Answers = dict[tuple[str, str], Any]


def answers(entries: dict[str, list[dict[str, Any]]] | None = None, **values: Any) -> Answers:
    """Flat answers plus repeat-group entries (entry ids ``<group>-1``, ``<group>-2`` …)."""
    stored: Answers = {(question, ""): value for question, value in values.items()}
    for group, items in (entries or {}).items():
        ids = [f"{group}-{number}" for number in range(1, len(items) + 1)]
        stored[(group, "")] = ids
        for entry_id, item in zip(ids, items, strict=True):
            stored.update({(question, entry_id): value for question, value in item.items()})
    return stored


def refugee(entries: dict[str, list[dict[str, Any]]] | None = None, **overrides: Any) -> Answers:
    """A 34-year-old refugee on social assistance, literate, no school finished, LBT 32 in May 2024."""
    base: dict[str, Any] = {
        "given_names": "Meron", "family_name": "Tesfamariam", "date_of_birth": "1990-01-15",
        "bsn": "111222333", "v_number": "1234567890", "target_group": "asylum_permit_holder",
        "refugee_subgroup": "asylum_applicant", "duo_notification_date": "2024-03-01",
        "municipality_link_date": "2024-03-10", "literate_own_script": "yes", "literate_latin_script": "yes",
        "lbt_status": "done", "lbt_date": "2024-05-01", "lbt_score": 32, "lbt_outcome": "b1_feasible",
        "has_education": "no", "study_ambition": "none", "main_goal": "paid_work",
        "desired_occupation": "Kok", "dual_trajectory_interest": "yes", "health_limitations": ["none"],
        "social_assistance": "receiving", "social_assistance_start_date": "2024-03-15",
        "ontzorgen_start_date": "2024-04-01", "ontzorgen_rent": "yes", "ontzorgen_energy": "yes",
        "ontzorgen_health_insurance": "yes", "has_children": "no",
    }
    base.update(overrides)
    return answers(entries, **{key: value for key, value in base.items() if value is not None})


def family_migrant(entries: dict[str, list[dict[str, Any]]] | None = None, **overrides: Any) -> Answers:
    """A 29-year-old family migrant with a bachelor, LBT 33 in May 2024, no social assistance."""
    base: dict[str, Any] = {
        "given_names": "Carmen", "family_name": "García", "date_of_birth": "1994-11-30",
        "bsn": "123456782", "v_number": "9876543210", "target_group": "family_migrant",
        "family_migrant_subgroup": "family_formation", "duo_notification_date": "2024-04-15",
        "literate_own_script": "yes", "literate_latin_script": "yes", "lbt_status": "done",
        "lbt_date": "2024-05-20", "lbt_score": 33, "lbt_outcome": "b1_feasible", "has_education": "yes",
        "study_ambition": "higher_professional", "main_goal": "work_and_study",
        "desired_occupation": "Verpleegkundige", "dual_trajectory_interest": "no", "social_assistance": "none",
        "health_limitations": ["none"], "has_children": "no",
    }
    base.update(overrides)
    education = entries if entries is not None else {"educations": [{"education_level": "bachelor",
                                                                     "education_completed": "yes"}]}
    return answers(education, **{key: value for key, value in base.items() if value is not None})


def vault_with_case(folder: Path, stored: Answers, *, client_language: str = "en") -> tuple[VaultSession, str]:
    session = create_vault(folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    case_id = session.create_case(client_language=client_language)
    session.apply_changes(case_id, list(stored.items()))
    return session, case_id
