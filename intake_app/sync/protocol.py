"""The wire protocol, version 1: what a laptop and the server send each other (JSON over HTTPS).

``POST /v1/enrol``  one-time code → device token (the server keeps only its hash)
``POST /v1/push``   a batch of outbox changes; the batch id makes a re-sent batch change nothing
``GET  /v1/pull``   events after a server sequence number, paged (``after``, ``limit``)
``GET  /v1/cases``  the case ids of the device's municipality

A change names the version it was based on. The server applies it when that is the version it
holds, merges repeat-group entry lists, and otherwise keeps both values as a conflict.

A push carries its changes as **rows** (JSON arrays in a fixed column order, see ``CHANGE_COLUMNS``)
rather than objects: a push of a thousand intakes is 150,000 changes, and rows halve the bytes to
send, parse and check. The answer has one server sequence number per change (``seqs``) for the
common case, a change applied as sent; every other outcome (merged, conflict, duplicate...) comes
as a full ``ChangeResult`` naming the change by its ``index``, with the server's state of the answer
afterwards, so the laptop converges on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, NamedTuple

import orjson
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

API_PREFIX = "/v1"
MAX_BATCH_CHANGES = 10_000
# One change is at most ~80 KB (20,000 characters of 4 UTF-8 bytes): a batch of one always fits.
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_TEXT_CHARS = 20_000
MAX_LIST_ITEMS = 200
MAX_PULL_LIMIT = 2000
MAX_SEQ = 2**63 - 1  # sequence numbers are the database's BIGINT
DEFAULT_PULL_LIMIT = 1000

CASE_ID = r"^[0-9a-f]{32}$"
QUESTION_ID = r"^[a-z][a-z0-9_]{0,79}$"
ENTRY_ID = r"^[A-Za-z0-9_-]{0,40}$"
VERSION = r"^[0-9]{15}-[0-9]{5}-[A-Za-z0-9_.]{1,40}$"
BATCH_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

MAX_ITEM_CHARS = 100  # choice values and entry ids are short: a list never outgrows a batch
Text = Annotated[StrictStr, Field(max_length=MAX_TEXT_CHARS)]
Item = Annotated[StrictStr, Field(max_length=MAX_ITEM_CHARS)]
Value = Text | StrictBool | StrictInt | StrictFloat | Annotated[list[Item], Field(max_length=MAX_LIST_ITEMS)]
VersionText = Annotated[str, Field(pattern=VERSION)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChangeStatus(StrEnum):
    APPLIED = "applied"  # based on the server's version: now the server's value
    MERGED = "merged"  # an entry list merged with the server's (union, in order)
    CONFLICT = "conflict"  # based on another version: kept beside the server's value
    DUPLICATE = "duplicate"  # this version was already received
    SAME = "same"  # another laptop already made the same edit
    GONE = "gone"  # the case was erased on the server: the change is dropped


class EventKind(StrEnum):
    CHANGE = "change"
    CONFLICT = "conflict"


MAX_RESOLVES = 20
CHANGE_COLUMNS = ("case_id", "question_id", "entry_id", "value", "version", "base_version", "resolves")
CaseIdText = Annotated[str, Field(pattern=CASE_ID)]
QuestionIdText = Annotated[str, Field(pattern=QUESTION_ID)]
EntryIdText = Annotated[str, Field(pattern=ENTRY_ID)]
Resolves = Annotated[list[StrictInt], Field(max_length=MAX_RESOLVES)]
# value None: the answer was removed (a tombstone); resolves: the conflict ids this change settles.
ChangeRow = (
    tuple[CaseIdText, QuestionIdText, EntryIdText, Value | None, VersionText, VersionText | None]
    | tuple[CaseIdText, QuestionIdText, EntryIdText, Value | None, VersionText, VersionText | None, Resolves]
)


class PushRequest(_Model):
    """What ``POST /v1/push`` takes; documents the body that :func:`parse_push` reads (a test keeps them equal)."""

    batch_id: Annotated[str, Field(pattern=BATCH_ID)]
    changes: Annotated[list[ChangeRow], Field(min_length=1, max_length=MAX_BATCH_CHANGES)]


class WireChange(NamedTuple):
    """One change of a push, as read from its row (see ``CHANGE_COLUMNS``)."""

    case_id: str
    question_id: str
    entry_id: str
    value: Any
    version: str
    base_version: str | None
    resolves: list[int]

    @classmethod
    def of(cls, row: list[Any]) -> WireChange:
        return cls(row[0], row[1], row[2], row[3], row[4], row[5], row[6] if len(row) == 7 else [])


@dataclass(frozen=True)
class PushBatch:
    batch_id: str
    # The rows as parsed (lists in CHANGE_COLUMNS order, 6 or 7 long): the server's short path reads
    # them as they are; WireChange.of(row) names the columns where speed does not matter.
    rows: list[list[Any]]

    @property
    def changes(self) -> list[WireChange]:
        return [WireChange.of(row) for row in self.rows]


class PayloadError(ValueError):
    """A push body that does not follow the protocol; ``reason`` is Dutch, ``index`` names the change."""

    def __init__(self, reason: str, index: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.index = reason, index


def _exact(pattern: str) -> Any:
    # "$" would also match before a trailing newline in Python (not in pydantic's regex engine).
    return re.compile(pattern.removesuffix("$") + r"\Z").match


_is_case_id = _exact(CASE_ID)
_is_question_id = _exact(QUESTION_ID)
_is_entry_id = _exact(ENTRY_ID)
_is_version = _exact(VERSION)
_is_batch_id = _exact(BATCH_ID)


def _is_value(value: Any) -> bool:
    kind = type(value)
    if kind is str:
        return len(value) <= MAX_TEXT_CHARS
    if kind is list:
        return len(value) <= MAX_LIST_ITEMS and all(
            type(item) is str and len(item) <= MAX_ITEM_CHARS for item in value
        )
    return value is None or kind is bool or kind is int or kind is float


def parse_push(body: bytes) -> PushBatch:
    """Read and check a push body: the same rules as :class:`PushRequest`, at a fraction of the cost.

    Hand-written because it is the server's hot path (a pydantic model spent 5 µs per change on it,
    more than the database). Raises :class:`PayloadError` for the first thing that is wrong.
    """
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise PayloadError("geen geldige JSON") from None
    if type(document) is not dict or set(document) != {"batch_id", "changes"}:
        raise PayloadError("verwacht precies de velden batch_id en changes")
    batch_id, rows = document["batch_id"], document["changes"]
    if type(batch_id) is not str or not _is_batch_id(batch_id):
        raise PayloadError("batch_id: geen geldige batch-id")
    if type(rows) is not list or not 1 <= len(rows) <= MAX_BATCH_CHANGES:
        raise PayloadError(f"changes: een lijst van 1 tot {MAX_BATCH_CHANGES} wijzigingen")
    RowCheck().all(rows)
    return PushBatch(batch_id, rows)


_VERSION_BODY = VERSION.removeprefix("^").removesuffix("$")
# Versions joined by newlines, all valid (the pattern holds no newline: see RowCheck._all_fine).
_are_versions = re.compile(rf"(?:{_VERSION_BODY}\n)*{_VERSION_BODY}").fullmatch


class RowCheck:
    """The rules for the rows of a push body (see :func:`parse_push`): a whole batch at once in a
    few passes that run in C, and row by row to name the first wrong one."""

    def __init__(self) -> None:
        self.known_cases: set[str] = set()
        self.known_questions: set[str] = set()

    def all(self, rows: list[Any]) -> None:
        """Raise :class:`PayloadError` for the first wrong row."""
        if not self._all_fine(rows):
            for index, row in enumerate(rows):
                self(row, index)

    def _all_fine(self, rows: list[Any]) -> bool:
        """The rules of __call__ for every row at once: True when all rows pass. Never more lenient
        than __call__ (False sends the batch through it row by row, which then decides)."""
        try:
            if not all(type(row) is list and len(row) == 6 for row in rows):
                return False  # rows resolving a conflict (seven columns) are few: one by one
            case_ids, question_ids, entry_ids, values, versions, bases = zip(*rows, strict=True)
            based = [base for base in bases if base is not None]
            versions_text, bases_text = "\n".join(versions), "\n".join(based)  # TypeError: not a string
            distinct = (set(case_ids), set(question_ids), set(entry_ids))  # TypeError: not hashable
        except TypeError:
            return False
        # A newline inside a version would split it in two that might each look right: count them.
        if versions_text.count("\n") != len(versions) - 1 or not _are_versions(versions_text):
            return False
        if based and (bases_text.count("\n") != len(based) - 1 or not _are_versions(bases_text)):
            return False
        cases, questions, entries = distinct
        if not all(type(case_id) is str and _is_case_id(case_id) for case_id in cases):
            return False
        if not all(type(question_id) is str and _is_question_id(question_id) for question_id in questions):
            return False
        if not all(type(entry_id) is str and (not entry_id or _is_entry_id(entry_id)) for entry_id in entries):
            return False
        for value in values:
            if type(value) is str:
                if len(value) > MAX_TEXT_CHARS:
                    return False
            elif not _is_value(value):
                return False
        return True

    def __call__(self, row: Any, index: int) -> None:
        if type(row) is not list:
            raise PayloadError("een wijziging is een rij van 6 of 7 kolommen", index)
        if len(row) == 6:
            case_id, question_id, entry_id, value, version, base_version = row
        elif len(row) == 7:
            case_id, question_id, entry_id, value, version, base_version, resolves = row
            if (type(resolves) is not list or len(resolves) > MAX_RESOLVES
                    or not all(type(item) is int for item in resolves)):
                raise PayloadError(f"resolves: een lijst van hoogstens {MAX_RESOLVES} conflictnummers", index)
        else:
            raise PayloadError("een wijziging is een rij van 6 of 7 kolommen", index)
        # Type first (a list is not hashable), then the pattern once per distinct id.
        if type(case_id) is not str or (case_id not in self.known_cases and not _is_case_id(case_id)):
            raise PayloadError("case_id: geen geldig dossiernummer", index)
        self.known_cases.add(case_id)
        if type(question_id) is not str or (
            question_id not in self.known_questions and not _is_question_id(question_id)
        ):
            raise PayloadError("question_id: geen geldige vraag-id", index)
        self.known_questions.add(question_id)
        if type(entry_id) is not str or (entry_id and not _is_entry_id(entry_id)):
            raise PayloadError("entry_id: geen geldige regel-id", index)
        if type(value) is str:
            if len(value) > MAX_TEXT_CHARS:
                raise PayloadError("value: te lange tekst", index)
        elif not _is_value(value):
            raise PayloadError("value: verkeerd soort of te lange waarde", index)
        if type(version) is not str or not _is_version(version):
            raise PayloadError("version: geen geldige versie", index)
        if base_version is not None and (type(base_version) is not str or not _is_version(base_version)):
            raise PayloadError("base_version: geen geldige versie", index)


def change_row(change: WireChange) -> list[Any]:
    """The row of a change as it travels (the inverse of :func:`parse_push` for one change)."""
    row: list[Any] = [change.case_id, change.question_id, change.entry_id, change.value, change.version,
                      change.base_version]
    if change.resolves:
        row.append(change.resolves)
    return row


class ConflictSnapshot(_Model):
    id: int
    case_id: str
    question_id: str
    entry_id: str
    kept_value: Value | None  # the server's value
    kept_version: str | None
    kept_by: str
    kept_at: str
    kept_device: int | None
    other_value: Value | None  # the value that met it
    other_version: str
    other_by: str
    other_at: str
    other_device: int
    resolved: bool = False


class ChangeResult(_Model):
    """The server's state of one answer after the batch, for every change not simply applied."""

    index: int  # which change of the batch
    version: str
    status: ChangeStatus
    server_value: Value | None = None
    server_version: str | None = None
    server_seq: int | None = None
    server_by: str = ""
    server_at: str = ""
    conflict: ConflictSnapshot | None = None
    resolved: list[int] = []  # conflicts this change closed


class PushResponse(_Model):
    batch_id: str
    # Per change: its sequence number when it was applied as sent (its time is ``at``), else 0 and
    # a ChangeResult in ``results`` says what happened.
    seqs: list[int]
    results: list[ChangeResult]
    latest_seq: int
    at: str  # when the server received the batch


class Event(_Model):
    seq: int
    kind: EventKind
    case_id: str
    question_id: str
    entry_id: str
    value: Value | None = None
    version: str | None = None
    base_version: str | None = None
    by: str = ""
    at: str = ""
    resolves: list[int] = []
    conflict: ConflictSnapshot | None = None


class PullResponse(_Model):
    events: list[Event]
    next_after: int  # ask again with this ``after``
    latest_seq: int  # the newest sequence number of the municipality: for a progress bar
    more: bool


class EnrolRequest(_Model):
    code: Annotated[str, Field(min_length=8, max_length=64)]
    device_name: Annotated[str, Field(min_length=1, max_length=120)]


class EnrolResponse(_Model):
    token: str
    device: int
    officer: str
    municipality: str


class CaseList(_Model):
    case_ids: list[str]


class Problem(_Model):
    """The body of every 4xx: a stable code for programs and a Dutch reason for people."""

    code: str
    reason: str
    index: int | None = None  # which change of a batch, when one change spoiled it
