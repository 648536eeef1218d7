"""The server's HTTP contract: authentication, isolation, limits, validation, idempotency, paging."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from intake_app.sync import protocol
from intake_app.sync.server import admin
from intake_app.sync.server.app import create_app
from intake_app.sync.server.auth import AuthThrottle

from sync_support import Server

CASE = "a" * 32


def _change(question_id: str = "given_names", value: Any = "Meron", *, case_id: str = CASE, entry_id: str = "",
            version: str | None = None, base: str | None = None) -> dict[str, Any]:
    return {"case_id": case_id, "question_id": question_id, "entry_id": entry_id, "value": value,
            "version": version or f"{1_700_000_000_000 + uuid.uuid4().int % 10**9:015d}-00000-dev1",
            "base_version": base}


def _row(change: dict[str, Any]) -> list[Any]:
    return [change[column] for column in protocol.CHANGE_COLUMNS[:6]]


def _push(server: Server, token: str, changes: list[dict[str, Any]], batch_id: str | None = None) -> Any:
    body = {"batch_id": batch_id or str(uuid.uuid4()), "changes": [_row(change) for change in changes]}
    return server.http.post("/v1/push", json=body, headers={"Authorization": f"Bearer {token}"})


def _pull(server: Server, token: str, after: int = 0, limit: int = 1000, *, mine: bool = True) -> Any:
    """The log as the device sees it; ``mine``: with its own changes (as after a restore)."""
    return server.http.get("/v1/pull", params={"after": after, "limit": limit, "mine": mine},
                           headers={"Authorization": f"Bearer {token}"})


def test_every_endpoint_needs_a_valid_token(server: Server) -> None:
    for token in ("", "nonsense", "x" * 43):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        assert server.http.get("/v1/pull", headers=headers).status_code == 401
        assert server.http.get("/v1/cases", headers=headers).status_code == 401
        response = server.http.post("/v1/push", headers=headers,
                                    json={"batch_id": str(uuid.uuid4()), "changes": [_change()]})
        assert response.status_code == 401
    assert _pull(server, server.token()).status_code == 200


def test_a_revoked_device_gets_401(server: Server) -> None:
    token = server.token(device="stolen laptop")
    assert _pull(server, token).status_code == 200
    [device] = [d for d in admin.list_devices(server.engine) if d[1] == "stolen laptop"]
    admin.revoke_device(server.engine, device[0])
    assert _pull(server, token).status_code == 401
    assert _push(server, token, [_change()]).status_code == 401


def test_the_server_keeps_only_a_hash_of_tokens_and_codes(server: Server) -> None:
    code = server.code()
    token = server.http.post("/v1/enrol", json={"code": code, "device_name": "x"}).json()["token"]
    with server.engine.connect() as connection:
        dump = json.dumps([list(map(str, row)) for table in ("devices", "enrolment_codes")
                           for row in connection.exec_driver_sql(f"SELECT * FROM {table}")])
    assert token not in dump and code.replace("-", "") not in dump and code not in dump


def test_an_enrolment_code_works_once(server: Server) -> None:
    code = server.code()
    first = server.http.post("/v1/enrol", json={"code": code, "device_name": "a"})
    second = server.http.post("/v1/enrol", json={"code": code, "device_name": "b"})
    assert first.status_code == 200 and second.status_code == 401
    assert second.json()["code"] == "bad_code"


def test_repeated_failures_are_slowed_down(database_url: str) -> None:
    from sync_support import make_server

    now = [0.0]
    server = make_server(database_url, AuthThrottle(free_failures=3, base_seconds=2, clock=lambda: now[0]))
    token = server.token()
    statuses = [_pull(server, "wrong").status_code for _ in range(6)]
    assert statuses[:4] == [401] * 4 and statuses[4:] == [429, 429]
    blocked = _pull(server, token)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1  # even a good token waits
    now[0] += 3
    assert _pull(server, token).status_code == 200
    server.http.close()
    server.engine.dispose()


def test_a_device_sees_only_its_municipality(server: Server) -> None:
    amsterdam, rotterdam = server.token("Fatima de Vries"), server.token("Sanne Jansen")
    assert _push(server, amsterdam, [_change()]).status_code == 200
    assert _pull(server, rotterdam).json()["events"] == []
    assert server.http.get("/v1/cases", headers={"Authorization": f"Bearer {rotterdam}"}).json() == {"case_ids": []}
    # Writing into another municipality's case is refused and changes nothing there.
    refused = _push(server, rotterdam, [_change("family_name", "X")])
    assert refused.status_code == 403
    assert [e["question_id"] for e in _pull(server, amsterdam).json()["events"]] == ["given_names"]


def test_a_resent_batch_changes_nothing(server: Server) -> None:
    token = server.token()
    batch_id = str(uuid.uuid4())
    changes = [_change("given_names", "Meron"), _change("household_size", 3)]
    first = _push(server, token, changes, batch_id)
    again = _push(server, token, changes, batch_id)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert len(_pull(server, token).json()["events"]) == 2
    # The same changes in a new batch are recognised by their versions.
    third = _push(server, token, changes)
    assert {r["status"] for r in third.json()["results"]} == {"duplicate"}
    assert len(_pull(server, token).json()["events"]) == 2


def test_a_pull_leaves_out_the_devices_own_changes_unless_asked(server: Server) -> None:
    mine, colleague = server.token(), server.token(device="other")
    assert _push(server, mine, [_change("given_names", "Meron")]).status_code == 200
    assert _push(server, colleague, [_change("family_name", "Tesfay")]).status_code == 200
    assert _push(server, mine, [_change("household_size", 3)]).status_code == 200
    page = _pull(server, mine, mine=False).json()
    assert [e["question_id"] for e in page["events"]] == ["family_name"]
    assert (page["next_after"], page["latest_seq"], page["more"]) == (3, 3, False)  # past its own changes
    first = _pull(server, mine, limit=1, mine=False).json()
    assert ([e["seq"] for e in first["events"]], first["next_after"], first["more"]) == ([2], 3, False)
    assert [e["question_id"] for e in _pull(server, mine).json()["events"]] == [
        "given_names", "family_name", "household_size"]
    assert [e["question_id"] for e in _pull(server, colleague, mine=False).json()["events"]] == [
        "given_names", "household_size"]


def test_a_batch_id_of_another_device_is_refused(server: Server) -> None:
    batch_id = str(uuid.uuid4())
    assert _push(server, server.token(), [_change()], batch_id).status_code == 200
    assert _push(server, server.token(device="other"), [_change("family_name", "T")], batch_id).status_code == 409


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_change("no_such_question"), "onbekende vraag"),
        (_change("household_size", "three"), "verkeerd soort waarde"),
        (_change("household_size", True), "verkeerd soort waarde"),
        (_change("given_names", 5), "verkeerd soort waarde"),
        (_change("mother_tongues", "ar"), "verkeerd soort waarde"),
        (_change("mother_tongues", ["ar", 5]), "invalid"),
        (_change("person_intro", "x"), "krijgt geen antwoord"),
        (_change("education_field", "Bouw"), "herhaalgroep"),
        (_change("given_names", "x", entry_id="e1"), "herhaalgroep"),
    ],
)
def test_one_change_that_does_not_fit_the_questionnaire_refuses_the_whole_batch(
    server: Server, change: dict[str, Any], reason: str
) -> None:
    token = server.token()
    response = _push(server, token, [_change("family_name", "Tesfay"), change])
    assert response.status_code == 422
    problem = response.json()
    assert reason in problem["reason"] or reason == problem["code"].split("_")[0]
    assert problem["index"] == 1
    assert _pull(server, token).json()["events"] == []  # the good change was not applied either


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"batch_id": "x", "changes": []}',
        b'{"batch_id": "' + str(uuid.uuid4()).encode() + b'", "changes": [{"case_id": "zz"}]}',
        b'{"batch_id": "' + str(uuid.uuid4()).encode() + b'", "changes": [{"case_id": "' + CASE.encode()
        + b'", "question_id": "given_names", "value": {"nested": 1}, "version": "1-2-3"}]}',
        b'{"batch_id": "' + str(uuid.uuid4()).encode() + b'", "changes": [], "extra": 1}',
        b'{"batch_id": "' + str(uuid.uuid4()).encode() + b'", "changes": [["' + CASE.encode()
        + b'", "given_names", "", "Meron"]]}',  # a row too short
        b'{"batch_id": "' + str(uuid.uuid4()).encode() + b'", "changes": [["' + CASE.encode()
        + b'\\n", "given_names", "", "Meron", "001700000000000-00000-dev1", null]]}',  # a case id with a newline
        b'{"batch_id": "' + str(uuid.uuid4()).encode() + b'", "changes": [["' + CASE.encode()
        + b'", "given_names", "", "Meron", "001700000000000-00000-dev1", null, ["x"]]]}',  # resolves not numbers
        b"[]",
        b"",
    ],
)
def test_malformed_payloads_get_422_and_the_server_keeps_serving(server: Server, body: bytes) -> None:
    token = server.token()
    response = server.http.post("/v1/push", content=body, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert _pull(server, token).status_code == 200


def test_oversized_payloads_get_413(server: Server) -> None:
    token = server.token()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    huge = b'{"batch_id": "x", "changes": [' + b" " * protocol.MAX_BODY_BYTES + b"]}"
    assert server.http.post("/v1/push", content=huge, headers=headers).status_code == 413

    def chunks() -> Any:  # no Content-Length: counted while it streams
        for _ in range(protocol.MAX_BODY_BYTES // 65536 + 2):
            yield b" " * 65536

    assert server.http.post("/v1/push", content=chunks(), headers=headers).status_code == 413
    too_many = [_change(version=f"{i:015d}-00000-dev1", case_id=f"{i:032x}")
                for i in range(1, protocol.MAX_BATCH_CHANGES + 2)]
    assert _push(server, token, too_many).status_code == 422
    too_long = _change("given_names", "x" * (protocol.MAX_TEXT_CHARS + 1))
    assert _push(server, token, [too_long]).status_code == 422
    assert _pull(server, token).status_code == 200


def test_pull_pages_through_everything_in_order(server: Server) -> None:
    token = server.token()
    for start in range(0, 30, 10):
        changes = [_change("given_names", f"n{i}", case_id=f"{i + 1:032x}") for i in range(start, start + 10)]
        assert _push(server, token, changes).status_code == 200
    seen: list[int] = []
    after = 0
    while True:
        page = _pull(server, token, after, limit=7).json()
        seen += [event["seq"] for event in page["events"]]
        after = page["next_after"]
        assert page["latest_seq"] == 30
        if not page["more"]:
            break
    assert seen == list(range(1, 31))
    assert _pull(server, token, after=0, limit=protocol.MAX_PULL_LIMIT + 1).status_code == 422


def test_the_openapi_description_is_served(server: Server) -> None:
    spec = server.http.get("/openapi.json").json()
    assert {"/v1/push", "/v1/pull", "/v1/enrol", "/v1/cases"} <= set(spec["paths"])
    assert server.http.get("/docs").status_code == 200


def test_create_app_migrates_a_new_database(tmp_path: Any) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'fresh.db'}")
    with TestClient(app) as client:
        assert client.get("/health").json() == {"status": "ok"}


def test_the_schema_head_constant_matches_the_migration_scripts() -> None:
    from intake_app.sync.server.db import SERVER_SCHEMA_HEAD, alembic_head

    assert alembic_head() == SERVER_SCHEMA_HEAD


def test_sequence_numbers_beyond_the_database_integer_are_refused(server: Server) -> None:
    token = server.token()
    assert _pull(server, token, after=protocol.MAX_SEQ).status_code == 200
    response = _pull(server, token, after=protocol.MAX_SEQ + 1)
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"


def test_a_full_batch_of_new_cases_is_taken_in_one_go(server: Server) -> None:
    token = server.token()
    changes = [_change(version=f"{i:015d}-00000-dev1", case_id=f"{i:032x}")
               for i in range(1, protocol.MAX_BATCH_CHANGES + 1)]
    response = _push(server, token, changes)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["results"] == [] and body["seqs"] == list(range(1, protocol.MAX_BATCH_CHANGES + 1))
    cases = server.http.get("/v1/cases", headers={"Authorization": f"Bearer {token}"}).json()["case_ids"]
    assert len(cases) == protocol.MAX_BATCH_CHANGES


@pytest.mark.parametrize("position", [0, 9_999])
@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda row: row.__setitem__(4, "not-a-version"), "version"),
        (lambda row: row.__setitem__(1, ["given_names"]), "question_id"),
        (lambda row: row.__setitem__(2, "entry id with spaces"), "entry_id"),
        (lambda row: row.__setitem__(0, "Z" * 32), "case_id"),
        (lambda row: row.pop(), "rij van 6 of 7"),
    ],
)
@pytest.mark.parametrize("server_knows_the_answers", [False, True])
def test_a_malformed_row_anywhere_in_a_big_batch_refuses_all_of_it(
    server: Server, position: int, spoil: Any, reason: str, server_knows_the_answers: bool
) -> None:
    """The server checks a batch as a whole (in a few passes) and, when something is wrong, row by
    row: a bad row late in the batch refuses all of it, names its place, and leaves nothing behind."""
    token = server.token()
    if server_knows_the_answers:  # the other path: edits weighed against the server's values
        assert _push(server, token, [_change(case_id=f"{i:032x}", version=f"{i:015d}-00000-dev1")
                                     for i in range(1, 101)]).status_code == 200
    before = _pull(server, token).json()["events"]
    rows = [_row(_change(case_id=f"{i:032x}", version=f"{10**6 + i:015d}-00000-dev1",
                         base=f"{i:015d}-00000-dev1" if server_knows_the_answers and i <= 100 else None))
            for i in range(1, protocol.MAX_BATCH_CHANGES + 1)]
    spoil(rows[position])
    response = server.http.post("/v1/push", json={"batch_id": str(uuid.uuid4()), "changes": rows},
                                headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "invalid_request" and reason in problem["reason"]
    assert problem["index"] == position
    assert _pull(server, token).json()["events"] == before
    cases = server.http.get("/v1/cases", headers={"Authorization": f"Bearer {token}"}).json()["case_ids"]
    assert len(cases) == (100 if server_knows_the_answers else 0)  # no case claimed by the refused batch
