"""The push body's two readers agree: ``parse_push`` (the server's fast path) and ``PushRequest``
(the model that documents the body in the OpenAPI). Whatever one accepts, the other does too."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from intake_app.storage import sync_store
from intake_app.sync import protocol

CASE = "0123456789abcdef" * 2
VERSION = "001700000000000-00001-dev1"

case_ids = st.sampled_from([CASE, "a" * 32, "A" * 32, "a" * 31, CASE + "\n", 5, None, ["x"]])
question_ids = st.sampled_from(["given_names", "q_1", "Given", "1abc", "a" * 81, "", 3, None])
entry_ids = st.sampled_from(["", "e1", "E-1_x", "e 1", "x" * 41, None, 0])
values = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.sampled_from(["x" * protocol.MAX_TEXT_CHARS, "x" * (protocol.MAX_TEXT_CHARS + 1)]),
    st.lists(st.text(max_size=5), max_size=3), st.lists(st.integers(-9, 9), min_size=1, max_size=2),
    st.just(["x" * (protocol.MAX_ITEM_CHARS + 1)]), st.just(["a"] * (protocol.MAX_LIST_ITEMS + 1)),
    st.dictionaries(st.text(max_size=3), st.integers(0, 9), min_size=1, max_size=1),
)
versions = st.sampled_from([VERSION, "1-2-3", VERSION + "\n", "001700000000000-00001-dev/1", 7, None])
resolves = st.one_of(st.lists(st.integers(0, 99), max_size=3), st.just(list(range(21))), st.just(["1"]), st.none())


@st.composite
def rows(draw: st.DrawFn) -> Any:
    row = [draw(case_ids), draw(question_ids), draw(entry_ids), draw(values), draw(versions), draw(versions)]
    shape = draw(st.sampled_from(["six", "seven", "short", "long", "object"]))
    if shape == "seven":
        row.append(draw(resolves))
    elif shape == "short":
        row = row[:draw(st.integers(0, 5))]
    elif shape == "long":
        row += [[], None]
    elif shape == "object":
        return dict(zip(protocol.CHANGE_COLUMNS, row, strict=False))
    return row


def _pydantic_accepts(body: bytes) -> bool:
    try:
        protocol.PushRequest.model_validate_json(body)
    except ValidationError:
        return False
    return True


def _parse_accepts(body: bytes) -> bool:
    try:
        protocol.parse_push(body)
    except protocol.PayloadError:
        return False
    return True


@settings(max_examples=400, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=1, max_size=3), st.sampled_from([str(uuid.uuid4()), "x", 5]))
def test_the_fast_reader_and_the_documented_model_accept_the_same_bodies(changes: list[Any], batch_id: Any) -> None:
    body = orjson.dumps({"batch_id": batch_id, "changes": changes})
    assert _parse_accepts(body) == _pydantic_accepts(body), body


@pytest.mark.parametrize("body", [
    b"", b"[]", b"{", b'{"batch_id": "x"}', b'{"changes": []}',
    orjson.dumps({"batch_id": str(uuid.uuid4()), "changes": []}),
    orjson.dumps({"batch_id": str(uuid.uuid4()), "changes": [[CASE, "q", "", 1, VERSION, None]] * 10_001}),
    orjson.dumps({"batch_id": str(uuid.uuid4()), "changes": [[CASE, "q", "", 1, VERSION, None]], "x": 1}),
])
def test_bodies_both_readers_refuse(body: bytes) -> None:
    assert not _parse_accepts(body) and not _pydantic_accepts(body)


def test_a_refusal_names_the_change_and_says_why_in_dutch() -> None:
    good = [CASE, "given_names", "", "Meron", VERSION, None]
    bad = [CASE, "given_names", "", "Meron", "gisteren", None]
    with pytest.raises(protocol.PayloadError) as raised:
        protocol.parse_push(orjson.dumps({"batch_id": str(uuid.uuid4()), "changes": [good, bad]}))
    assert raised.value.index == 1 and "geen geldige versie" in raised.value.reason


def test_the_vault_builds_rows_in_the_protocols_column_order() -> None:
    assert sync_store.CHANGE_COLUMNS == protocol.CHANGE_COLUMNS
    batch = protocol.parse_push(orjson.dumps({"batch_id": str(uuid.uuid4()), "changes": [
        [CASE, "given_names", "", "Meron", VERSION, None, [4]]]}))
    [change] = batch.changes
    assert (change.question_id, change.value, change.resolves) == ("given_names", "Meron", [4])
    assert protocol.change_row(change) == batch.rows[0]


sneaky_versions = st.sampled_from([VERSION, f"{VERSION}\n{VERSION}", f"{VERSION}\n", "", None, 7, VERSION[:-1] + "é"])


@st.composite
def six_column_rows(draw: st.DrawFn) -> list[Any]:
    return [draw(case_ids), draw(question_ids), draw(entry_ids), draw(values), draw(sneaky_versions),
            draw(sneaky_versions)]


def _row_by_row_accepts(rows: list[Any]) -> bool:
    check = protocol.RowCheck()
    try:
        for index, row in enumerate(rows):
            check(row, index)
    except protocol.PayloadError:
        return False
    return True


@settings(max_examples=600, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(six_column_rows(), min_size=1, max_size=4))
def test_the_whole_batch_check_is_never_more_lenient_than_the_row_by_row_one(rows: list[Any]) -> None:
    """The batch check passes a batch in a few passes over joined versions and distinct ids (a
    version with a newline inside must not pass as two); whatever it passes, each row passes."""
    if protocol.RowCheck()._all_fine(rows):
        assert _row_by_row_accepts(rows), rows
    # And the check as the server runs it agrees with the row-by-row one either way.
    try:
        protocol.RowCheck().all(rows)
        accepted = True
    except protocol.PayloadError:
        accepted = False
    assert accepted == _row_by_row_accepts(rows)


def test_a_valid_batch_of_ten_thousand_rows_passes_the_whole_batch_check() -> None:
    rows = [[f"{i:032x}", "given_names", "", f"naam {i}", f"{i:015d}-00000-dev1", None if i % 2 else VERSION]
            for i in range(protocol.MAX_BATCH_CHANGES)]
    assert protocol.RowCheck()._all_fine(rows)
