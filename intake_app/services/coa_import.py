"""Importing COA's information form (the handover of a permit holder) as a new case.

The file format is documented in ``docs/coa-import.md``: one UTF-8 JSON object, grouped in sections,
field names chosen to match the questionnaire. Reading it is two steps:

1. :func:`preview` reads and checks the file and lists every problem per field, in Dutch. Values are
   validated by the forms engine (the same validators as the wizard: BSN 11-test, V-number, dates,
   choice values, lengths); an answer the questionnaire would not use (say, an AZC address for someone
   who no longer lives there) is a warning. Nothing is written.
2. :func:`import_preview` writes the case with all its answers in one transaction, and records the
   file's SHA-256: the same file a second time is refused. :func:`undo_import` removes the whole case
   again; both leave an audit entry.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from intake_app.forms import Form, Interview, QuestionKind, ValidationContext, load_intake_form, validate_answer
from intake_app.forms.answers import AnswerKey
from intake_app.forms.validators import check_date
from intake_app.i18n import N_
from intake_app.i18n.languages import CLIENT_LANGUAGES
from intake_app.services.case_service import ImportRecord, NewCase, Origin
from intake_app.services.vault_service import VaultSession

FORMAT: Final = "intake_app.coa_handover"
VERSION: Final = 1
MAX_BYTES: Final = 1_000_000  # a real form is a few kilobytes
IMPORT_KIND: Final = "coa"

MSG_TOO_BIG = N_("Het bestand is te groot ({size}). Een COA-overdracht is hooguit {limit}; is dit het goede bestand?")
MSG_EMPTY = N_("Het bestand is leeg.")
MSG_UNREADABLE = N_("Het bestand kan niet worden gelezen.")
MSG_ENCODING = N_(
    "Het bestand is geen UTF-8-tekst: onleesbaar teken bij byte {position}. Laat COA het bestand als UTF-8 opslaan."
)
MSG_JSON = N_("Het bestand is geen geldige JSON: {problem} (regel {line}, kolom {column}).")
MSG_NOT_OBJECT = N_("Het bestand moet één JSON-object zijn, tussen {{ en }}.")
MSG_FORMAT = N_("Dit is geen COA-overdracht: ‘format’ moet ‘{expected}’ zijn.")
MSG_VERSION = N_("Versie {version} van het formaat kent deze app niet; alleen versie {supported}.")
MSG_UNKNOWN_FIELD = N_("Onbekend veld; dit wordt niet geïmporteerd.")
MSG_UNKNOWN_FIELD_HINT = N_("Onbekend veld; bedoelde u ‘{suggestion}’?")
MSG_MISSING = N_("Verplicht veld ontbreekt.")
MSG_SECTION = N_("Hier hoort een groep velden, tussen {{ en }}.")
MSG_LIST = N_("Hier hoort een lijst, tussen [ en ].")
MSG_TEXT = N_("Hier hoort tekst, tussen aanhalingstekens.")
MSG_CHOICE = N_("Onbekende waarde ‘{value}’. Mogelijk: {allowed}.")
MSG_CHOICES = N_("Onbekende waarde(n) ‘{value}’. Mogelijk: {allowed}.")
MSG_DUPLICATE = N_("Dit bestand is al geïmporteerd (op {at}, door {officer}).")
MSG_SAME_V_NUMBER = N_(
    "Er is al een dossier met dit V-nummer ({name}). Controleer of het om dezelfde persoon gaat."
)
MSG_NOT_USED = N_(
    "Dit antwoord telt in de vragenlijst nu niet mee (de vraag is niet van toepassing); het wordt wel bewaard."
)
MSG_NO_NAME = N_("(geen naam)")


class Severity(StrEnum):
    ERROR = "fout"
    WARNING = "waarschuwing"


@dataclass(frozen=True)
class ImportProblem:
    """One problem with one field (``path`` is where it is in the file, e.g. ``person.bsn``)."""

    path: str
    message: str  # Dutch msgid with named placeholders
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity = Severity.ERROR
    label: str = ""  # the question's Dutch label, when the field maps onto one

    def render(self, gettext: Callable[[str], str] = lambda text: text) -> str:
        where = f"{self.path} ({gettext(self.label)})" if self.label else self.path
        return f"{where}: {gettext(self.message).format(**self.params)}"


@dataclass(frozen=True)
class PreviewLine:
    """One answer as the preview shows it: section, question label, value in words."""

    section: str
    label: str
    value: str
    key: AnswerKey
    value_is_label: bool = False  # a choice label (a Dutch msgid: translate it), not the person's text


@dataclass(frozen=True)
class CoaPreview:
    sha256: str
    answers: tuple[tuple[AnswerKey, Any], ...]
    lines: tuple[PreviewLine, ...]
    problems: tuple[ImportProblem, ...]
    display_name: str = ""
    client_language: str = "nl"
    prepared_by: str = ""
    duplicate_of: ImportRecord | None = None

    @property
    def errors(self) -> tuple[ImportProblem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[ImportProblem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    @property
    def can_import(self) -> bool:
        return not self.errors and bool(self.answers)


@dataclass(frozen=True)
class ImportResult:
    case_id: str
    import_id: str
    answers: int


class CoaImportRefused(Exception):
    """The preview has errors; nothing was written."""

    def __init__(self, preview: CoaPreview) -> None:
        super().__init__(f"{len(preview.errors)} problems")
        self.preview = preview


# -- the format: section -> file field -> question id ---------------------------------------------


@dataclass(frozen=True)
class Repeat:
    group: str
    fields: Mapping[str, str]
    required: frozenset[str] = frozenset()


Mapping_ = Mapping[str, "str | Repeat"]

SECTIONS: Final[Mapping[str, Mapping_]] = {
    "person": {
        "family_name": "family_name", "given_names": "given_names", "preferred_name": "preferred_name",
        "date_of_birth": "date_of_birth", "sex": "sex", "bsn": "bsn", "v_number": "v_number",
        "nationality": "nationality", "country_of_birth": "country_of_birth", "refugee_subgroup": "refugee_subgroup",
        "phone_number": "phone_number",
    },
    "dates": {
        "residence_permit_start_date": "residence_permit_start_date", "duo_notification_date": "duo_notification_date",
        "municipality_link_date": "municipality_link_date", "brp_registration_date": "brp_registration_date",
        "housing_date": "housing_date",
    },
    "household": {
        "marital_status": "marital_status", "partner_in_netherlands": "partner_in_netherlands",
        "partner_name": "partner_name", "partner_also_obliged": "partner_also_obliged",
        "partner_abroad_expected": "partner_abroad_expected", "has_children": "has_children",
        "household_size": "household_size",
        "children": Repeat(
            "children",
            {"date_of_birth": "child_date_of_birth", "lives_with_client": "child_lives_with_client",
             "school": "child_school"},
            frozenset({"date_of_birth"}),
        ),
    },
    "languages": {
        "mother_tongues": "mother_tongues", "mother_tongue_other": "mother_tongue_other",
        "other_languages": "other_languages", "literate_own_script": "literate_own_script", "own_script": "own_script",
        "literate_latin_script": "literate_latin_script", "dutch_level_speaking": "dutch_level_speaking",
        "dutch_level_writing": "dutch_level_writing", "english_level": "english_level",
    },
    "education": {
        "has_education": "has_education", "years_of_schooling": "years_of_schooling",
        "educations": Repeat(
            "educations",
            {"level": "education_level", "field": "education_field", "country": "education_country",
             "years": "education_years", "completed": "education_completed", "diploma_held": "education_diploma_held"},
            frozenset({"level"}),
        ),
    },
    "work": {
        "has_work_experience": "has_work_experience",
        "jobs": Repeat(
            "jobs",
            {"occupation": "job_occupation", "tasks": "job_tasks", "sector": "job_sector", "country": "job_country",
             "start_year": "job_start_year", "end_year": "job_end_year", "employment_type": "job_employment_type"},
            frozenset({"occupation"}),
        ),
        "has_driving_licence": "has_driving_licence", "driving_licence_country": "driving_licence_country",
    },
    "health": {
        "visible_limitations": "health_limitations", "limitations_other": "health_limitations_other",
        "aids": "health_aids",
    },
    "azc": {
        "lives_in_azc": "lives_in_azc", "location": "azc_location", "contact_person": "azc_contact_person",
        "contact_phone": "azc_contact_phone",
    },
    "handover": {"warm_handover_held": "warm_handover_held"},
}
SECTION_TITLES: Final[Mapping[str, str]] = {
    "person": N_("Persoon"), "dates": N_("Data"), "household": N_("Huishouden"), "languages": N_("Talen"),
    "education": N_("Opleiding"), "work": N_("Werkervaring"), "health": N_("Zichtbare beperkingen"),
    "azc": N_("AZC"), "handover": N_("Overdracht"),
}
TOP_LEVEL: Final = frozenset({"format", "version", "prepared_on", "prepared_by", *SECTIONS})
REQUIRED: Final[Mapping[str, frozenset[str]]] = {
    "person": frozenset({"family_name", "given_names", "date_of_birth", "v_number"}),
}
# Always true of a COA handover: the newcomer is a permit holder and the profile arrived.
IMPLIED: Final[Mapping[str, Any]] = {"target_group": "asylum_permit_holder", "coa_profile_received": "yes"}
# The questionnaire's language codes where the app's client languages use another.
_CLIENT_LANGUAGE_OF = {"prs": "fa_AF", "kmr": "ku"}
# Dutch field names a COA export might use: suggested in the problem message.
_DUTCH_NAMES = {
    "achternaam": "family_name", "familienaam": "family_name", "voornamen": "given_names", "voornaam": "given_names",
    "roepnaam": "preferred_name", "geboortedatum": "date_of_birth", "geslacht": "sex", "burgerservicenummer": "bsn",
    "v_nummer": "v_number", "vnummer": "v_number", "vreemdelingennummer": "v_number", "nationaliteit": "nationality",
    "geboorteland": "country_of_birth", "land_van_herkomst": "country_of_birth", "moedertaal": "mother_tongues",
    "moedertalen": "mother_tongues", "talen": "other_languages", "opleidingen": "educations", "opleiding": "education",
    "werkervaring": "work", "banen": "jobs", "beroep": "occupation", "gezondheid": "health", "beperkingen":
    "visible_limitations", "huishouden": "household", "kinderen": "children", "persoon": "person", "datums": "dates",
    "locatie": "location", "adres": "location", "contactpersoon": "contact_person", "telefoon": "contact_phone",
}
_TEXT_KINDS = frozenset({QuestionKind.TEXT, QuestionKind.LONG_TEXT, QuestionKind.DATE})
_CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.YES_NO_UNKNOWN})


def _size_text(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",") if size >= 100_000 else f"{size / 1000:.0f} kB"


def _too_big(size: int) -> ImportProblem:
    return ImportProblem("bestand", MSG_TOO_BIG, {"size": _size_text(size), "limit": _size_text(MAX_BYTES)})


def read_bytes(path: Path) -> tuple[bytes | None, ImportProblem | None]:
    """The file's bytes, refusing a file that is too big before reading it."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, _too_big(size)
        return path.read_bytes(), None
    except OSError:
        return None, ImportProblem("bestand", MSG_UNREADABLE)


def _fail(data: bytes, problem: ImportProblem) -> CoaPreview:
    return CoaPreview(hashlib.sha256(data).hexdigest(), (), (), (problem,))


def parse(data: bytes, *, today: date | None = None, form: Form | None = None) -> CoaPreview:
    """Check a file's bytes against the format and the questionnaire. Pure: no vault needed."""
    today = today or date.today()
    form = form or load_intake_form()
    sha256 = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_BYTES:
        return _fail(data, _too_big(len(data)))
    if not data.strip():
        return _fail(data, ImportProblem("bestand", MSG_EMPTY))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _fail(data, ImportProblem("bestand", MSG_ENCODING, {"position": error.start}))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return _fail(data, ImportProblem("bestand", MSG_JSON, {"problem": error.msg, "line": error.lineno,
                                                               "column": error.colno}))
    if not isinstance(document, dict):
        return _fail(data, ImportProblem("bestand", MSG_NOT_OBJECT))
    reader = _Reader(form, today)
    reader.read(document)
    return CoaPreview(
        sha256=sha256, answers=tuple(reader.answers.items()), lines=tuple(reader.lines),
        problems=tuple(reader.problems), display_name=reader.display_name(),
        client_language=reader.client_language(), prepared_by=reader.prepared_by,
    )


class _Reader:
    def __init__(self, form: Form, today: date) -> None:
        self.form = form
        self.context = ValidationContext(today)
        self.answers: dict[AnswerKey, Any] = {}
        self.lines: list[PreviewLine] = []
        self.problems: list[ImportProblem] = []
        self.prepared_by = ""

    def problem(
        self, path: str, message: str, label: str = "", severity: Severity = Severity.ERROR,
        params: Mapping[str, Any] | None = None, **more: Any,
    ) -> None:
        self.problems.append(ImportProblem(path, message, {**(params or {}), **more}, severity, label))

    def read(self, document: dict[str, Any]) -> None:
        if document.get("format") != FORMAT:
            self.problem("format", MSG_FORMAT, expected=FORMAT)
            return
        if document.get("version") != VERSION:
            self.problem("version", MSG_VERSION, version=document.get("version"), supported=VERSION)
            return
        self._unknown(document, TOP_LEVEL, "")
        prepared_on = document.get("prepared_on")
        if prepared_on is not None and not check_date(prepared_on).ok:
            self.problem("prepared_on", check_date(prepared_on).message, params=check_date(prepared_on).params)
        prepared_by = document.get("prepared_by", "")
        if isinstance(prepared_by, str):
            self.prepared_by = prepared_by.strip()[:200]
        else:
            self.problem("prepared_by", MSG_TEXT)
        for name, fields in SECTIONS.items():
            section = document.get(name)
            if section is None:
                for missing in sorted(REQUIRED.get(name, ())):
                    self.problem(f"{name}.{missing}", MSG_MISSING, self._label(fields[missing]))
                continue
            if not isinstance(section, dict):
                self.problem(name, MSG_SECTION)
                continue
            self._section(name, section, fields)
        if any(p.severity is Severity.ERROR for p in self.problems):
            return
        for question_id, value in IMPLIED.items():
            self.answers.setdefault(AnswerKey(question_id), value)
        self._relevance()

    def _unknown(self, data: Mapping[str, Any], known: frozenset[str] | Mapping[str, Any], prefix: str) -> None:
        for key in data:
            if key in known:
                continue
            hint = _DUTCH_NAMES.get(str(key).lower().replace("-", "_").replace(" ", "_"))
            close = [hint] if hint in known else difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
            if close:
                self.problem(prefix + str(key), MSG_UNKNOWN_FIELD_HINT, suggestion=close[0])
            else:
                self.problem(prefix + str(key), MSG_UNKNOWN_FIELD)

    def _section(self, name: str, section: dict[str, Any], fields: Mapping_) -> None:
        self._unknown(section, fields, f"{name}.")
        for missing in sorted(REQUIRED.get(name, frozenset()) - section.keys()):
            self.problem(f"{name}.{missing}", MSG_MISSING, self._label(fields[missing]))
        for field_name, target in fields.items():
            if field_name not in section or section[field_name] is None:
                continue
            path = f"{name}.{field_name}"
            if isinstance(target, Repeat):
                self._repeat(name, path, section[field_name], target)
            else:
                self._value(name, path, AnswerKey(target), section[field_name])

    def _repeat(self, section: str, path: str, items: Any, spec: Repeat) -> None:
        if not isinstance(items, list):
            self.problem(path, MSG_LIST, self._label(spec.group))
            return
        group = self.form.question(spec.group)
        entries: list[str] = []
        for number, item in enumerate(items, start=1):
            where = f"{path}[{number}]"
            if not isinstance(item, dict):
                self.problem(where, MSG_SECTION, self._label(spec.group))
                continue
            self._unknown(item, spec.fields, f"{where}.")
            for missing in sorted(spec.required - item.keys()):
                self.problem(f"{where}.{missing}", MSG_MISSING, self._label(spec.fields[missing]))
            entry = uuid.uuid4().hex
            entries.append(entry)
            for field_name, question_id in spec.fields.items():
                if item.get(field_name) is not None:
                    self._value(section, f"{where}.{field_name}", AnswerKey(question_id, entry), item[field_name],
                                entry_label=f"{group.entry_label or group.label} {number}")
        if entries:
            result = validate_answer(group, entries, self.context)
            if not result.ok:
                self.problem(path, result.message, self._label(spec.group), params=result.params)
            self.answers[AnswerKey(spec.group)] = entries

    def _value(self, section: str, path: str, key: AnswerKey, raw: Any, entry_label: str = "") -> None:
        question = self.form.question(key.question_id)
        value = _convert(question.kind, raw)
        label = question.label
        if question.kind is QuestionKind.MULTIPLE_CHOICE and not isinstance(value, list):
            self.problem(path, MSG_LIST, label)
            return
        if question.kind in _TEXT_KINDS and not isinstance(value, str):
            self.problem(path, MSG_TEXT, label)
            return
        if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO_UNKNOWN) and not (
            isinstance(value, str) and value in {c.value for c in question.options}
        ):
            self.problem(path, MSG_CHOICE, label, value=_show(raw), allowed=_allowed(question))
            return
        if question.kind is QuestionKind.MULTIPLE_CHOICE and isinstance(value, list):
            allowed = {c.value for c in question.options}
            unknown = [item for item in value if not isinstance(item, str) or item not in allowed]
            if unknown:
                self.problem(path, MSG_CHOICES, label, value=", ".join(map(_show, unknown)),
                             allowed=_allowed(question))
                return
        result = validate_answer(question, value, self.context)
        if not result.ok:
            self.problem(path, result.message, label, params=result.params)
            return
        if isinstance(value, str) and not value:
            return
        self.answers[key] = value
        title = SECTION_TITLES[section] if not entry_label else f"{SECTION_TITLES[section]} — {entry_label}"
        is_label = question.kind in _CHOICE_KINDS
        self.lines.append(PreviewLine(title, label, _words(question, value), key, is_label))

    def _relevance(self) -> None:
        interview = Interview(self.form, self.answers, reference_date=self.context.reference_date)
        paths = {line.key: line for line in self.lines}
        for key in interview.irrelevant_answers():
            line = paths.get(key)
            if line is not None:
                self.problem(self._path_of(key), MSG_NOT_USED, line.label, Severity.WARNING)

    def _path_of(self, key: AnswerKey) -> str:
        for section, fields in SECTIONS.items():
            for name, target in fields.items():
                if target == key.question_id:
                    return f"{section}.{name}"
                if isinstance(target, Repeat) and key.question_id in target.fields.values():
                    field_name = next(f for f, q in target.fields.items() if q == key.question_id)
                    return f"{section}.{name}[].{field_name}"
        return key.question_id

    def _label(self, target: str | Repeat) -> str:
        question_id = target.group if isinstance(target, Repeat) else target
        return self.form.question(question_id).label

    def display_name(self) -> str:
        parts = [self.answers.get(AnswerKey("given_names")), self.answers.get(AnswerKey("family_name"))]
        return " ".join(str(part) for part in parts if part)

    def client_language(self) -> str:
        tongues = self.answers.get(AnswerKey("mother_tongues")) or []
        for tongue in tongues:
            language = _CLIENT_LANGUAGE_OF.get(str(tongue), str(tongue))
            if language in CLIENT_LANGUAGES:
                return language
        return "nl"


def _convert(kind: QuestionKind, raw: Any) -> Any:
    """Friendly spellings: JSON true/false for yes/no, text trimmed."""
    if kind is QuestionKind.YES_NO_UNKNOWN and isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, str):
        return raw.strip()
    return raw


def _show(value: Any) -> str:
    return value if isinstance(value, str) else str(json.dumps(value, ensure_ascii=False))


def _allowed(question: Any) -> str:
    return ", ".join(choice.value for choice in question.options)


def _words(question: Any, value: Any) -> str:
    labels = {choice.value: choice.label for choice in question.options}
    if isinstance(value, list):
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(value, str) and value in labels:
        return str(labels[value])
    return str(value)


# -- with a vault ----------------------------------------------------------------------------------


def preview(session: VaultSession, path: Path, *, today: date | None = None) -> CoaPreview:
    """Read and check the file; duplicates (same bytes imported before) are an error. Writes nothing."""
    data, problem = read_bytes(path)
    if data is None:
        assert problem is not None
        return CoaPreview("", (), (), (problem,))
    return check_against_vault(session, parse(data, today=today))


def check_against_vault(session: VaultSession, found: CoaPreview) -> CoaPreview:
    problems = list(found.problems)
    earlier = session.cases.find_import(found.sha256)
    if earlier is not None:
        at = earlier.imported_at[:16].replace("T", " ")
        problems.insert(0, ImportProblem("bestand", MSG_DUPLICATE, {"at": at, "officer": earlier.imported_by}))
    v_number = dict(found.answers).get(AnswerKey("v_number"))
    if v_number:
        for row in session.cases.rows():
            if row.v_number == v_number:
                problems.append(ImportProblem("person.v_number", MSG_SAME_V_NUMBER,
                                              {"name": row.display_name or MSG_NO_NAME}, Severity.WARNING))
                break
    return CoaPreview(
        found.sha256, found.answers, found.lines, tuple(problems), found.display_name, found.client_language,
        found.prepared_by, earlier,
    )


def import_preview(session: VaultSession, found: CoaPreview) -> ImportResult:
    """Create the case from a checked preview, all or nothing. Raises CoaImportRefused on errors."""
    if not found.can_import:
        raise CoaImportRefused(found)
    new = NewCase(
        answers=list(found.answers), client_language=found.client_language, origin=Origin.COA_IMPORT.value,
        origin_detail=found.prepared_by,
    )
    case_id, import_id = session.cases.create(new, import_kind=IMPORT_KIND, sha256=found.sha256)
    return ImportResult(case_id, import_id, len(found.answers))


def import_file(session: VaultSession, path: Path, *, today: date | None = None) -> ImportResult:
    return import_preview(session, preview(session, path, today=today))


def undo_import(session: VaultSession, import_id: str) -> str:
    """Remove the case the import created, with everything since; the audit keeps the undo."""
    return session.cases.undo_import(import_id)
