"""The 10,000-case vault of the save and unlock benchmarks, built once and cached under /tmp.

Built through the product (``Vault.create`` with ``KdfParams.DEFAULT``, so unlocking it costs what
a real unlock costs), then filled with direct bulk inserts on the vault's own engine: going through
``save_answer`` would take hours. The content is shaped like a vault after a year or two of use:

* 10,000 cases, each with 30–60 answers (scalar questions and repeat-group entries), names, BSN,
  V-number and target group copied onto the case row as ``save_answer`` does;
* one outbox row per answer (all pushed except the newest 200) and a valid hash-chained audit log
  (create, one edit per answer, some opens and unlocks), since nothing prunes either table yet.

The cache key is :data:`VERSION` plus the schema head: change the shape here, bump VERSION.
Benchmarks work on a copy (:func:`working_copy`), so the cached file never changes.
"""

from __future__ import annotations

import json
import random
import shutil
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks._common import WORK_ROOT

VERSION = "v1"
CASES = 10_000
ANSWERS_PER_CASE = (30, 60)
UNPUSHED_CHANGES = 200
OFFICER = "Bench Consulent"
PASSPHRASE = "paarse kameel fietst naar Dokkum 10k"
SEED = 10_000

# Question ids as the questionnaire uses them: plain names, repeat groups with an entry id.
LISTED = ("given_names", "family_name", "bsn", "v_number", "target_group")
SCALAR_QUESTIONS = (
    "birth_date", "birth_place", "nationality", "gender", "phone", "email", "street", "house_number",
    "postcode", "municipality", "arrival_date", "permit_date", "permit_type", "coa_location",
    "household_size", "marital_status", "mother_tongue", "other_languages", "literacy_latin",
    "literacy_mother_tongue", "years_of_schooling", "highest_education", "diploma_recognised",
    "dutch_level_listening", "dutch_level_reading", "dutch_level_speaking", "dutch_level_writing",
    "learnability_test_done", "learnability_score", "work_experience_years", "last_occupation",
    "wants_work", "wants_study", "health_limitations", "health_notes", "childcare_needed",
    "travel_distance_km", "has_bicycle", "has_driving_licence", "debts", "income_source",
    "benefit_start", "housing_status", "participation_statement_date", "km_module_done",
    "map_started", "map_provider", "route_preference", "route_advice", "officer_notes",
    "client_goals", "client_strengths", "interpreter_needed", "interpreter_language",
    "consent_data_sharing", "consent_date", "intake_location", "intake_date",
)
REPEAT_GROUPS = {
    "child": ("child_name", "child_birth_date", "child_school"),
    "education": ("education_type", "education_country", "education_years", "education_finished"),
    "job": ("job_title", "job_country", "job_years"),
}
_GIVEN = ("Amina", "Yonas", "Farid", "Sara", "Hamid", "Lina", "Tesfay", "Nour", "Ahmad", "Meron",
          "Zahra", "Omar", "Helen", "Karim", "Leyla", "Dawit", "Maryam", "Samir", "Rahel", "Yusuf")
_FAMILY = ("Haddad", "Tesfamariam", "Rahimi", "Ahmadi", "Karimi", "Mohammed", "Hussein", "Nazari",
           "Berhane", "Hosseini", "Farah", "Yilmaz", "Demir", "García", "Warsame", "Dubois")
_GROUPS = ("asylum_permit_holder", "asylum_permit_holder", "family_migrant", "other_migrant")
_STATUSES = ("nieuw", "intake_bezig", "intake_bezig", "concept_pip", "pip_vastgesteld", "overgedragen",
             "gesloten", "gesloten")
_LANGUAGES = ("ar", "ti", "fa", "ps", "so", "tr", "en", "fr", "es", "ku")
_NOTE = ("Cliënt wil graag snel aan het werk in de zorg; eerst taal op B1. Kinderopvang is geregeld "
         "via de buurvrouw. Afspraak met werkcoach gepland. ")


def cache_folder() -> Path:
    from intake_app.storage.migrate import SCHEMA_HEAD

    return WORK_ROOT / f"vault10k-{VERSION}-schema{SCHEMA_HEAD}"


def cached_vault(log: bool = True) -> Path:
    """The folder of the cached vault, built first if it is missing."""
    folder = cache_folder()
    if (folder / "complete").is_file():
        return folder
    started = time.perf_counter()
    if log:
        print(f"building the {CASES:,}-case vault once (cached in {folder}) ...", flush=True)
    building = folder.with_name(folder.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    _build(building / "vault")
    shutil.rmtree(folder, ignore_errors=True)
    building.rename(folder)
    (folder / "complete").write_text(f"{VERSION}\n", encoding="utf-8")
    if log:
        size = (folder / "vault" / "vault.db").stat().st_size
        print(f"  built in {time.perf_counter() - started:.1f} s, {size / 1e6:.0f} MB", flush=True)
    return folder


def working_copy(into: Path) -> Path:
    """A private copy of the cached vault folder (benchmarks write to it)."""
    source = cached_vault() / "vault"
    target = into / "vault"
    shutil.copytree(source, target)
    return target


def _value(rng: random.Random, question: str) -> object:
    if question.endswith("_date") or question == "birth_date":
        return f"{rng.randint(1960, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if question.startswith(("has_", "wants_", "consent_", "literacy_", "diploma_", "km_", "map_s", "childcare")):
        return rng.random() < 0.5
    if question.endswith(("_years", "_size", "_km", "_score", "years_of_schooling")):
        return rng.randint(0, 20)
    if question in ("officer_notes", "client_goals", "client_strengths", "health_notes", "route_advice"):
        return (_NOTE * rng.randint(1, 3)).strip()
    return rng.choice(("A1", "A2", "B1", "ja", "nee", "onbekend", "Amsterdam", "Eritrea", "Syrië", "mbo 2"))


def _answers(rng: random.Random, listed: dict[str, object]) -> Iterator[tuple[str, str, object]]:
    count = rng.randint(*ANSWERS_PER_CASE)
    yield from ((q, "", v) for q, v in listed.items())
    count -= len(listed)
    groups = [(g, qs) for g, qs in REPEAT_GROUPS.items() if rng.random() < 0.5]
    for _group, questions in groups:
        for _ in range(rng.randint(1, 3)):
            if count <= 0:
                return
            entry = uuid.UUID(int=rng.getrandbits(128)).hex[:12]
            for question in questions:
                yield question, entry, _value(rng, question)
                count -= 1
    for question in rng.sample(SCALAR_QUESTIONS, max(0, min(count, len(SCALAR_QUESTIONS)))):
        yield question, "", _value(rng, question)


def _build(folder: Path) -> None:
    from intake_app.storage import audit, outbox
    from intake_app.storage.keys import KdfParams
    from intake_app.storage.vault import Vault

    vault = Vault.create(folder, OFFICER, PASSPHRASE, kdf=KdfParams.DEFAULT)
    officer, device = vault.officer, vault.device_id
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    cases, answers, changes, audit_events = [], [], [], []
    for i in range(CASES):
        created = now - timedelta(days=3 * 365 * (CASES - i) / CASES, seconds=rng.randint(0, 3600))
        updated = created + timedelta(days=rng.randint(0, 60), seconds=rng.randint(0, 86_400))
        updated = min(updated, now)
        case_id = uuid.UUID(int=rng.getrandbits(128)).hex
        given, family = rng.choice(_GIVEN), rng.choice(_FAMILY)
        listed: dict[str, object] = {
            "given_names": given, "family_name": family, "bsn": str(rng.randint(100_000_000, 999_999_999)),
            "v_number": str(rng.randint(10**9, 10**10 - 1)), "target_group": rng.choice(_GROUPS),
        }
        rows = list(_answers(rng, listed))
        last_question, last_entry = rows[-1][0], rows[-1][1]
        deadline = (updated + timedelta(days=rng.randint(10, 300))).date().isoformat() if rng.random() < 0.8 else None
        cases.append((
            case_id, created.isoformat(timespec="microseconds"), updated.isoformat(timespec="microseconds"),
            rng.choice(_STATUSES), rng.choice(_LANGUAGES), f"{given} {family}", listed["bsn"],
            listed["v_number"], listed["target_group"], deadline, last_question, last_entry, 0,
        ))
        audit_events.append((created, "create_case", case_id, ""))
        span = (updated - created).total_seconds()
        for n, (question, entry, value) in enumerate(rows):
            at = created + timedelta(seconds=span * (n + 1) / (len(rows) + 1))
            millis = int(at.timestamp() * 1000)
            version = f"{millis:015d}-{0:05d}-{device}"
            value_json = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            stamp = at.isoformat(timespec="microseconds")
            answers.append((case_id, question, entry, value_json, version, officer, stamp))
            changes.append((millis, case_id, question, entry, value_json, version))
            audit_events.append((at, "edit", case_id, question))
        for _ in range(rng.randint(0, 5)):
            audit_events.append((created + timedelta(seconds=rng.uniform(0, span)), "open_case", case_id, ""))
    for day in range(0, 3 * 365, 2):
        moment = now - timedelta(days=day, hours=rng.uniform(0, 8))
        audit_events += [(moment, "unlock", "", ""), (moment + timedelta(hours=1), "lock", "", "")]

    changes.sort()
    change_rows = [
        (case_id, question, entry, value_json, version, None)
        for _millis, case_id, question, entry, value_json, version in changes
    ]
    pushed_through = len(changes) - UNPUSHED_CHANGES  # outbox rows are numbered from 1 in this new vault
    audit_events.sort(key=lambda event: event[0])

    connection = vault.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("PRAGMA synchronous = OFF")  # a build, not a durability test
        head = cursor.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()[0]
        seq, prev_hash = audit._parse_head(head)
        audit_rows = []
        for at, action, case_id, detail in audit_events:
            seq += 1
            stamp = at.isoformat(timespec="microseconds")
            digest = audit._row_hash(prev_hash, seq, stamp, officer, action, case_id, detail)
            audit_rows.append((seq, stamp, officer, action, case_id, detail, prev_hash, digest))
            prev_hash = digest
        cursor.executemany("INSERT INTO cases VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", cases)
        cursor.executemany(
            "INSERT INTO answers (case_id, question_id, entry_id, value_json, version, updated_by, updated_at) "
            "VALUES (?,?,?,?,?,?,?)", answers,
        )
        cursor.executemany(
            "INSERT INTO changes (case_id, question_id, entry_id, value_json, version, base_version) "
            "VALUES (?,?,?,?,?,?)", change_rows,
        )
        cursor.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                       (outbox.PUSHED_THROUGH_KEY, str(pushed_through)))
        cursor.executemany("INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?)", audit_rows)
        cursor.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{seq}:{prev_hash}",))
        connection.commit()
        cursor.close()
    finally:
        connection.close()
    vault.close(make_backup=False)
    if not (folder / "vault.db").is_file():
        raise RuntimeError("the vault was not written")


def summary(folder: Path) -> str:
    size = (folder / "vault.db").stat().st_size
    return f"{CASES:,} cases, {size / 1e6:.0f} MB ({VERSION}, {folder})"
