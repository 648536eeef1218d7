"""The case-records channel, beside the answer stream: plan versions, case status and case deletion.

``POST /v1/records``  a batch of records; the batch id and each record's version make a re-sent
                      batch (or a record sent again in another batch) change nothing
``GET  /v1/records``  the municipality's records after a sequence number, paged (``after``, ``limit``)

A record is ``{"kind", "case_id", "version", "data"}``. ``version`` is a hybrid-logical-clock
version (``storage.hlc``) made on the laptop: unique (it names the laptop), so it is the record's id.

- ``plan_version``: one version of a case's plan, as stored in the vault (no PDF: every laptop renders
  it from the content when asked). Append-only: versions never conflict. Their order is the order
  in which the server received them (``seq``), the same on every laptop.
- ``status``: the status an officer set (closed, transferred, reopened). The newest version wins on
  the server and on every laptop; older ones stay in the stream as history.
- ``deletion``: the case was erased on request. The server erases everything it holds of the case
  and keeps this record as the tombstone: case id, when, by whom and a reason *category* (a fixed
  word, never free text) — no personal data.

The server numbers records per municipality (``seq``, its own counter, apart from the answers').
Records of an erased case are erased too, so a pull may skip numbers.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, model_validator

from intake_app.sync.protocol import API_PREFIX, BATCH_ID, CASE_ID, MAX_SEQ, VERSION

__all__ = [
    "MAX_BATCH_RECORDS",
    "MAX_PULL_RECORDS",
    "MAX_SEQ",
    "RECORDS_PATH",
    "DeletionData",
    "PlanVersionData",
    "PulledRecord",
    "RecordKind",
    "RecordPage",
    "RecordPush",
    "RecordPushResponse",
    "RecordResult",
    "RecordStatus",
    "StatusData",
    "WireDeletion",
    "WirePlanVersion",
    "WireRecord",
    "WireStatus",
]

RECORDS_PATH = f"{API_PREFIX}/records"
MAX_BATCH_RECORDS = 100
MAX_PULL_RECORDS = 200
DEFAULT_PULL_RECORDS = 50
# A page of pulled records stops growing past this many bytes of record data (at least one record).
PULL_PAGE_BYTES = 2 * 1024 * 1024
# A laptop starts a new batch past this many bytes (well below the server's body limit).
PUSH_BATCH_BYTES = 1024 * 1024
MAX_CONTENT_CHARS = 500_000  # a plan's content: about 5 KB in practice
MAX_DECISION_CHARS = 200_000

TIMESTAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})?$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
WORD = r"^[a-z0-9_]{1,40}$"  # a route, an amendment reason, a deletion reason category

CaseId = Annotated[str, Field(pattern=CASE_ID)]
VersionText = Annotated[str, Field(pattern=VERSION)]
Timestamp = Annotated[StrictStr, Field(pattern=TIMESTAMP, max_length=40)]
Status = Literal["nieuw", "intake_bezig", "concept_pip", "pip_vastgesteld", "overgedragen", "gesloten"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RecordKind(StrEnum):
    PLAN_VERSION = "plan_version"
    STATUS = "status"
    DELETION = "deletion"


def _json_object(text: str, name: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise ValueError(f"{name}: geen geldige JSON") from None
    if not isinstance(value, dict):
        raise ValueError(f"{name}: geen JSON-object")
    return value


class PlanVersionData(_Model):
    """The columns of a vault's ``plan_versions`` row, as its author saved it."""

    number: Annotated[StrictInt, Field(ge=1, le=10_000)]  # the number its author gave it (also in the content)
    created_at: Timestamp
    created_by: Annotated[StrictStr, Field(min_length=1, max_length=120)]
    dagtekening: Annotated[StrictStr, Field(pattern=DATE)]
    route: Annotated[StrictStr, Field(pattern=WORD)]
    amendment_reason: Annotated[StrictStr, Field(pattern=WORD)] | None = None
    form_version: Annotated[StrictStr, Field(max_length=32)]
    state: Literal["concept", "vastgesteld"]
    decision_json: Annotated[StrictStr, Field(max_length=MAX_DECISION_CHARS)]
    content_json: Annotated[StrictStr, Field(max_length=MAX_CONTENT_CHARS)]

    @model_validator(mode="after")
    def _texts_are_objects(self) -> PlanVersionData:
        decision = _json_object(self.decision_json, "decision_json")
        _json_object(self.content_json, "content_json")
        if decision.get("state", "concept") != self.state:
            raise ValueError("state: komt niet overeen met decision_json")
        return self


class StatusData(_Model):
    status: Status
    closed_at: Timestamp | None = None
    closed_from_status: Status | None = None


class DeletionData(_Model):
    reason: Annotated[StrictStr, Field(pattern=WORD)]  # a category such as "verzoek_betrokkene"


class WirePlanVersion(_Model):
    kind: Literal["plan_version"]
    case_id: CaseId
    version: VersionText
    data: PlanVersionData


class WireStatus(_Model):
    kind: Literal["status"]
    case_id: CaseId
    version: VersionText
    data: StatusData


class WireDeletion(_Model):
    kind: Literal["deletion"]
    case_id: CaseId
    version: VersionText
    data: DeletionData


WireRecord = Annotated[WirePlanVersion | WireStatus | WireDeletion, Field(discriminator="kind")]


class RecordPush(_Model):
    batch_id: Annotated[str, Field(pattern=BATCH_ID)]
    records: Annotated[list[WireRecord], Field(min_length=1, max_length=MAX_BATCH_RECORDS)]


class RecordStatus(StrEnum):
    APPLIED = "applied"  # stored and numbered
    DUPLICATE = "duplicate"  # this version was received before: nothing changed
    SUPERSEDED = "superseded"  # a status older than the server's: kept in the history, not in force
    CASE_DELETED = "case_deleted"  # the case was erased: the record is dropped


class RecordResult(_Model):
    version: str
    status: RecordStatus
    seq: int | None = None  # the record's number in the municipality's stream (None when dropped)


class RecordPushResponse(_Model):
    batch_id: str
    results: list[RecordResult]
    latest_seq: int
    at: str


class PulledRecord(_Model):
    seq: int
    kind: RecordKind
    case_id: str
    version: str
    by: str  # the officer whose laptop sent it
    device: int
    at: str  # when the server received it
    data: dict[str, Any]


class RecordPage(_Model):
    records: list[PulledRecord]
    next_after: int
    latest_seq: int
    more: bool
