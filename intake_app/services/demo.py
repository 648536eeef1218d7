"""A demo vault with fictitious newcomers, so a fresh install shows a living workspace.

Every name, number and story here is invented. BSNs are generated to pass the 11-test but come
from a range of made-up numbers; the vault is marked DEMO and thrown away when the app closes.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from intake_app.services.vault_service import CaseStatus, VaultSession, create_vault
from intake_app.storage import keys

DEMO_OFFICER = "Demo Consulent"
DEMO_PASSPHRASE = "demo"  # public on purpose: a demo vault holds only invented people

_GIVEN = ["Amina", "Yonas", "Farid", "Sara", "Hamid", "Lina", "Tesfay", "Nour", "Ahmad", "Meron",
          "Zahra", "Omar", "Helen", "Karim", "Leyla", "Dawit", "Maryam", "Samir", "Rahel", "Yusuf",
          "Ayşe", "Mehmet", "Carmen", "Luis", "Fatima", "Abdi", "Hodan", "Jean", "Marie", "Reza"]
_FAMILY = ["Haddad", "Tesfamariam", "Rahimi", "Ahmadi", "Karimi", "Mohammed", "Ghebremedhin", "Hussein",
           "Nazari", "Berhane", "Hosseini", "Farah", "Yilmaz", "Demir", "García", "Martínez", "Warsame",
           "Abdullahi", "Dubois", "Laurent", "Sultani", "Osman", "Kaya", "Haile", "Mansour", "Said",
           "Ali", "Jama", "Noori", "Tekle"]
_LANGUAGES = ["ar", "ti", "fa", "fa_AF", "ps", "so", "tr", "en", "fr", "es", "ku", "ckb"]
_GROUPS = ["asylum_permit_holder"] * 3 + ["family_migrant", "other_migrant"]


def fictitious_bsn(rng: random.Random) -> str:
    """A 9-digit number that passes the 11-test (invented: never look one up)."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


def fill_demo_cases(session: VaultSession, count: int = 30, seed: int = 2026) -> list[str]:
    rng = random.Random(seed)
    statuses = list(CaseStatus)
    case_ids: list[str] = []
    today = date.today()
    for i in range(count):
        case_id = session.create_case(client_language=_LANGUAGES[i % len(_LANGUAGES)], is_demo=True)
        session.save_answer(case_id, ("given_names", ""), _GIVEN[i % len(_GIVEN)])
        session.save_answer(case_id, ("family_name", ""), _FAMILY[(i * 7) % len(_FAMILY)])
        session.save_answer(case_id, ("bsn", ""), fictitious_bsn(rng))
        session.save_answer(case_id, ("v_number", ""), "".join(str(rng.randint(0, 9)) for _ in range(10)))
        session.save_answer(case_id, ("target_group", ""), _GROUPS[i % len(_GROUPS)])
        session.set_case_fields(
            case_id,
            status=statuses[i % len(statuses)],
            next_deadline=today + timedelta(days=rng.randint(-10, 70)),
        )
        case_ids.append(case_id)
    return case_ids


@dataclass
class DemoVault:
    folder: Path
    officer: str = DEMO_OFFICER
    passphrase: str = DEMO_PASSPHRASE

    @classmethod
    def create(cls, folder: Path | None = None, count: int = 30) -> DemoVault:
        folder = folder or Path(tempfile.mkdtemp(prefix="intake-demo-")) / "vault"
        session = create_vault(folder, DEMO_OFFICER, DEMO_PASSPHRASE, kdf=keys.KdfParams.FAST_FOR_TESTS)
        fill_demo_cases(session, count)
        session.lock()
        return cls(folder)

    def remove(self) -> None:
        shutil.rmtree(self.folder.parent if self.folder.parent.name.startswith("intake-demo-")
                      else self.folder, ignore_errors=True)
