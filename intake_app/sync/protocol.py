"""The wire protocol, version 1: what a laptop and the server send each other (JSON over HTTPS).

``POST /v1/enrol``  one-time code → device token (the server keeps only its hash)
``POST /v1/push``   a batch of outbox changes; the batch id makes a re-sent batch change nothing
``GET  /v1/pull``   events after a server sequence number, paged (``after``, ``limit``)
``GET  /v1/cases``  the case ids of the device's municipality

A change names the version it was based on. The server applies it when that is the version it
holds, merges repeat-group entry lists, and otherwise keeps both values as a conflict. Each result
carries the server's state of the answer afterwards, so the laptop converges on it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

API_PREFIX = "/v1"
MAX_BATCH_CHANGES = 1000
# One change is at most ~80 KB (20,000 characters of 4 UTF-8 bytes): a batch of one always fits.
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_TEXT_CHARS = 20_000
MAX_LIST_ITEMS = 200
MAX_PULL_LIMIT = 2000
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


class EventKind(StrEnum):
    CHANGE = "change"
    CONFLICT = "conflict"


class WireChange(_Model):
    case_id: Annotated[str, Field(pattern=CASE_ID)]
    question_id: Annotated[str, Field(pattern=QUESTION_ID)]
    entry_id: Annotated[str, Field(pattern=ENTRY_ID)] = ""
    value: Value | None  # None: the answer was removed (a tombstone)
    version: VersionText
    base_version: VersionText | None = None
    resolves: Annotated[list[StrictInt], Field(max_length=20)] = []


class PushRequest(_Model):
    batch_id: Annotated[str, Field(pattern=BATCH_ID)]
    changes: Annotated[list[WireChange], Field(min_length=1, max_length=MAX_BATCH_CHANGES)]


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
    """The server's state of one answer after the batch. For a plain ``applied`` change that state
    is the change itself, so only ``server_seq`` is sent (the time is the response's ``at``)."""

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
