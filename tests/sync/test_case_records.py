"""Plan versions, case status and case deletion between laptops: real vaults, a real server on
SQLite and PostgreSQL, the case-records channel (``/v1/records``) beside the answers."""

from __future__ import annotations

import json
import time
import uuid
import zlib
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text

from intake_app.plan import Route
from intake_app.services import plan_service as ps
from intake_app.services.vault_service import VaultSession
from intake_app.storage import case_admin, plans, sync_records, sync_store
from intake_app.storage.errors import CaseNotFound
from intake_app.storage.plans import VersionState
from intake_app.storage.records import CaseStatus
from intake_app.storage.vault import Vault
from intake_app.sync import records_protocol as rp
from intake_app.sync.server.models import LogEntry, ServerCase, ServerConflict
from intake_app.sync.server.record_models import CaseStatusRow, RecordEntry

from sync_support import Laptop, LaptopFactory, Server

ON = date(2024, 6, 3)
# A refugee on social assistance, LBT 32: enough answers for route advice and a plan.
REFUGEE: dict[str, Any] = {
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
DELETED_BY_SERVER = "deleted_by_colleague_via_server:reason:verzoek_betrokkene:by:Fatima de Vries"


def _everyone_syncs(*laptops: Laptop, rounds: int = 2) -> None:
    for _ in range(rounds):
        for laptop in laptops:
            laptop.sync()


def _shared_case(a: Laptop, *others: Laptop, answers: dict[str, Any] | None = None) -> str:
    case_id = a.vault.create_case()
    a.vault.apply_changes(case_id, [((q, ""), v) for q, v in (answers or {"given_names": "Meron"}).items()])
    a.sync()
    for other in others:
        other.sync()
    return case_id


def _save_version(vault: Vault, case_id: str, note: str, *, fix: bool = False) -> plans.PlanVersionRecord:
    state = VersionState.FIXED if fix else VersionState.CONCEPT
    latest = plans.version(vault, case_id)
    return plans.save_version(
        vault, case_id, number=(latest.number if latest else 0) + 1, state=state, dagtekening=ON,
        route="b1_route", form_version="2026.1", decision_json=json.dumps({"state": state.value, "note": note}),
        content_json=json.dumps({"note": note}),
    )


def _audit_details(vault: Vault, case_id: str) -> list[str]:
    return [entry.detail for entry in vault.audit_entries(1000) if entry.case_id == case_id]


def _token_of(laptop: Laptop) -> str:
    token = sync_store.get_setting(laptop.vault, sync_store.TOKEN_KEY)
    assert token
    return token


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _version(counter: int = 0, device: str = "dev1") -> str:
    return f"{1_700_000_000_000 + uuid.uuid4().int % 10**9:015d}-{counter:05d}-{device}"


def _plan_record(case_id: str, **data: Any) -> dict[str, Any]:
    fields = {
        "number": 1, "created_at": "2026-11-24T10:00:00.000000+00:00", "created_by": "Fatima de Vries",
        "dagtekening": "2024-06-03", "route": "b1_route", "amendment_reason": None, "form_version": "2026.1",
        "state": "concept", "decision_json": '{"state":"concept"}', "content_json": '{"version":1}',
    }
    fields.update(data)
    return {"kind": "plan_version", "case_id": case_id, "version": _version(), "data": fields}


def _push_records(server: Server, token: str, records: list[dict[str, Any]], batch_id: str | None = None) -> Any:
    body = {"batch_id": batch_id or str(uuid.uuid4()), "records": records}
    return server.http.post(rp.RECORDS_PATH, json=body, headers=_headers(token))


def _pull_records(server: Server, token: str, after: int = 0, limit: int = rp.DEFAULT_PULL_RECORDS) -> Any:
    return server.http.get(rp.RECORDS_PATH, params={"after": after, "limit": limit}, headers=_headers(token))


def _plan_with_service(session: VaultSession, case_id: str, route: Route, motivation: str = "") -> ps.PlanVersionInfo:
    plan = ps.open_plan(session, case_id, ON)
    proposal = ps.build_plan(plan, route, on=ON, motivation=motivation)
    return ps.save_plan(session, plan, proposal, fix=False, today=ON)


# -- plan versions -----------------------------------------------------------------------------------


def test_versions_added_offline_on_two_laptops_both_survive_in_the_same_order(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops("Joris Bakker")
    case_id = _shared_case(a, b, answers=REFUGEE)
    on_a, on_b = VaultSession(a.vault), VaultSession(b.vault)
    # Both offline, both add "version 1" of the same plan, through the plan screen's service.
    _plan_with_service(on_a, case_id, Route.B1)
    _plan_with_service(on_b, case_id, Route.Z, motivation="Zij kan zich beter eerst op zelfredzaamheid richten.")
    b_pdf = plans.document(b.vault, case_id, 1, "nl")
    assert b_pdf is not None
    a.sync()
    b.sync()
    a.sync()

    versions_a, versions_b = plans.versions(a.vault, case_id), plans.versions(b.vault, case_id)
    assert versions_a == versions_b  # same numbers, same content, same authors, same order
    assert [(v.number, v.route, v.created_by) for v in versions_a] == [
        (1, "b1_route", "Fatima de Vries"), (2, "z_route", "Joris Bakker")]
    # The version that reached the server second moved up one place on its own laptop, PDFs along.
    moved = plans.document(b.vault, case_id, 2, "nl")
    assert moved is not None and (moved.sha256, moved.pdf) == (b_pdf.sha256, b_pdf.pdf)
    assert plans.document(b.vault, case_id, 1, "nl") is None
    assert "plan_renumbered:1>2" in _audit_details(b.vault, case_id)
    # Which came from the server is recorded; the record's version is the same everywhere.
    sources_a = sync_records.plan_version_sources(a.vault, case_id)
    sources_b = sync_records.plan_version_sources(b.vault, case_id)
    assert [s.origin for s in sources_a] == ["local", "server"]
    assert [s.origin for s in sources_b] == ["server", "local"]
    assert [(s.version, s.server_seq) for s in sources_a] == [(s.version, s.server_seq) for s in sources_b]
    assert on_a.case(case_id).status is on_b.case(case_id).status is CaseStatus.DRAFT_PIP

    # The plan screen shows both; a pulled version's PDF is rendered here from its content.
    assert [v.number for v in ps.open_plan(on_b, case_id, ON).versions] == [1, 2]
    pulled_pdf = ps.pdf_for_version(on_b, case_id, "nl", 1)
    assert pulled_pdf.pdf.startswith(b"%PDF") and ps.stored_content(on_b, case_id, 1).route.route is Route.B1
    # And the next version is number 3 on either laptop, and travels too.
    third = _plan_with_service(on_b, case_id, Route.B1)
    assert third.number == 3
    _everyone_syncs(b, a)
    assert plans.versions(a.vault, case_id) == plans.versions(b.vault, case_id)
    assert len(plans.versions(a.vault, case_id)) == 3
    assert sync_records.pending_count(a.vault) == sync_records.pending_count(b.vault) == 0


def test_a_fixed_version_from_a_colleague_fixes_the_case_here_too(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops()
    case_id = _shared_case(a, b)
    _save_version(a.vault, case_id, "vast", fix=True)
    a.sync()
    b.sync()
    assert b.vault.case(case_id).status is CaseStatus.PIP_FIXED
    [pulled] = plans.versions(b.vault, case_id)
    assert pulled.state is VersionState.FIXED and pulled.created_by == "Fatima de Vries"
    assert any(d.startswith("plan_version_from_server:1:vastgesteld") for d in _audit_details(b.vault, case_id))


def test_versions_made_before_the_records_sync_are_sent_at_the_first_sync(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops()
    case_id = _shared_case(a, b)
    _save_version(a.vault, case_id, "oud")
    with a.vault.engine.begin() as connection:  # as a vault made before migration 0005 holds it
        connection.execute(text("DELETE FROM plan_version_sync"))
        connection.execute(text("DELETE FROM record_outbox"))
    _everyone_syncs(a, b)
    assert plans.versions(b.vault, case_id) == plans.versions(a.vault, case_id)
    assert len(plans.versions(b.vault, case_id)) == 1


# -- case status -------------------------------------------------------------------------------------


def test_a_case_closed_on_one_laptop_is_closed_on_the_other_and_reopened_back(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops("Joris Bakker")
    case_id = _shared_case(a, b)
    case_admin.close_case(a.vault, case_id)
    a.sync()
    b.sync()
    assert b.vault.case(case_id).status is CaseStatus.CLOSED
    assert case_admin.closed_cases(b.vault) == case_admin.closed_cases(a.vault)
    assert "status_from_server:gesloten:Fatima de Vries" in _audit_details(b.vault, case_id)

    assert case_admin.reopen_case(b.vault, case_id) is CaseStatus.INTAKE_IN_PROGRESS
    _everyone_syncs(b, a)
    assert a.vault.case(case_id).status is CaseStatus.INTAKE_IN_PROGRESS
    assert case_admin.closed_cases(a.vault) == []
    assert "status_from_server:intake_bezig:Joris Bakker" in _audit_details(a.vault, case_id)


def test_a_refused_record_stays_queued_and_the_colleagues_records_still_come_in(laptops: LaptopFactory) -> None:
    """A record the server cannot take (here: a kind of record from a newer app) is refused: it
    stays in the outbox and the officer is told, and the colleagues' records still arrive."""
    from intake_app.sync.client import SyncError, SyncErrorKind

    a, b = laptops(), laptops("Joris Bakker")
    case_id = _shared_case(a, b)
    case_admin.close_case(b.vault, case_id)
    b.sync()
    with a.vault.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO record_outbox (version, kind, case_id, record_json, created_at) VALUES"
            " ('001799999999999-00000-future', 'next_year', :case, :record, '2026-12-08T00:00:00+00:00')"
        ), {"case": case_id, "record": json.dumps({"kind": "next_year", "case_id": case_id,
                                                   "version": "001799999999999-00000-future"})})
    with pytest.raises(SyncError) as raised:
        a.sync()
    assert raised.value.kind is SyncErrorKind.REJECTED
    assert a.vault.case(case_id).status is CaseStatus.CLOSED  # the colleague's record came in
    with a.vault.engine.connect() as connection:
        waiting = connection.execute(text("SELECT kind FROM record_outbox")).scalars().all()
    assert waiting == ["next_year"]  # kept, to go once the server knows it


@pytest.mark.parametrize("newer_syncs_first", [True, False])
def test_concurrent_status_changes_the_newest_wins_everywhere(
    laptops: LaptopFactory, server: Server, newer_syncs_first: bool
) -> None:
    a, b = laptops(), laptops("Joris Bakker")
    case_id = _shared_case(a, b)
    case_admin.close_case(a.vault, case_id)  # older
    time.sleep(0.01)
    case_admin.close_case(b.vault, case_id, status=CaseStatus.TRANSFERRED, detail="transfer")  # newer
    assert sync_records.status_version(b.vault, case_id) > sync_records.status_version(a.vault, case_id)  # type: ignore[operator]
    _everyone_syncs(*((b, a) if newer_syncs_first else (a, b)))
    assert a.vault.case(case_id).status is b.vault.case(case_id).status is CaseStatus.TRANSFERRED
    assert case_admin.closed_cases(a.vault) == case_admin.closed_cases(b.vault)
    with server.engine.connect() as connection:
        assert connection.execute(
            select(CaseStatusRow.status).where(CaseStatusRow.case_id == case_id)
        ).scalar_one() == "overgedragen"
        history = connection.execute(
            select(RecordEntry.kind).where(RecordEntry.case_id == case_id, RecordEntry.kind == "status")
        ).all()
    assert len(history) == 2  # the older change stays in the history
    # Both changes are in both audit logs: one's own, and the other's as applied or overtaken.
    assert "status_from_server:overgedragen:Joris Bakker" in _audit_details(a.vault, case_id)
    assert "status_from_server_older:gesloten:Fatima de Vries" in _audit_details(b.vault, case_id)


# -- deletion ------------------------------------------------------------------------------------------


def _case_everywhere(a: Laptop, b: Laptop) -> str:
    """A case on both laptops with answers, a plan version, a status and an open conflict."""
    case_id = _shared_case(a, b, answers={"given_names": "Meron", "family_name": "Tesfamariam"})
    _save_version(a.vault, case_id, "plan van Meron")
    case_admin.close_case(a.vault, case_id)
    case_admin.reopen_case(a.vault, case_id)
    a.sync()
    b.sync()
    a.vault.save_answer(case_id, ("given_names", ""), "Meron A.")
    b.vault.save_answer(case_id, ("given_names", ""), "Merhawit")
    _everyone_syncs(a, b)
    return case_id


def _server_rows_of(server: Server, case_id: str) -> dict[str, Any]:
    with server.engine.connect() as connection:
        return {
            "log": connection.execute(select(LogEntry.seq).where(LogEntry.case_id == case_id)).all(),
            "conflicts": connection.execute(select(ServerConflict.id).where(ServerConflict.case_id == case_id)).all(),
            "records": connection.execute(
                select(RecordEntry.kind, RecordEntry.officer, RecordEntry.data_json)
                .where(RecordEntry.case_id == case_id).order_by(RecordEntry.seq)
            ).all(),
            "status": connection.execute(select(CaseStatusRow.status).where(CaseStatusRow.case_id == case_id)).all(),
            "deleted_at": connection.execute(
                select(ServerCase.deleted_at).where(ServerCase.case_id == case_id)
            ).scalar_one(),
        }


def _server_text(server: Server) -> str:
    with server.engine.connect() as connection:
        tables = ("log", "conflicts", "records", "case_statuses", "batches")
        return json.dumps([[str(value) for value in row] for table in tables
                           for row in connection.execute(text(f"SELECT * FROM {table}"))])


def test_a_deletion_erases_the_case_on_the_server_and_on_the_other_laptop(
    laptops: LaptopFactory, server: Server
) -> None:
    a, b = laptops(), laptops("Joris Bakker")
    case_id = _case_everywhere(a, b)
    before = _server_rows_of(server, case_id)
    assert before["log"] and before["conflicts"] and before["status"] and len(before["records"]) == 3
    assert "Tesfamariam" in _server_text(server) and b.vault.answers(case_id)

    case_admin.delete_case(a.vault, case_id, "reason:verzoek_betrokkene")
    a.sync()
    after = _server_rows_of(server, case_id)
    assert after["log"] == after["conflicts"] == after["status"] == []
    assert after["deleted_at"] is not None
    # The tombstone: a deletion record with who and a reason category, nothing about the person.
    assert after["records"] == [("deletion", "Fatima de Vries", '{"reason":"verzoek_betrokkene"}')]
    for value in ("Meron", "Merhawit", "Tesfamariam", "plan van Meron"):
        assert value not in _server_text(server)

    b.sync()
    with pytest.raises(CaseNotFound):
        b.vault.case(case_id)
    assert b.vault.answers(case_id) == {} and plans.versions(b.vault, case_id) == []
    assert DELETED_BY_SERVER in _audit_details(b.vault, case_id)
    assert [c for c in b.vault.list_cases() if c.id == case_id] == []
    assert b.vault.verify_audit() == [] and b.vault.pending_changes() == 0
    # A laptop enrolled later never sees the case at all.
    c = laptops()
    c.sync()
    assert c.vault.list_cases() == []
    assert case_id not in c.client.case_ids()


def test_an_edit_pushed_after_the_deletion_does_not_bring_the_case_back(
    laptops: LaptopFactory, server: Server
) -> None:
    """Needs the answer push to skip a case whose ``cases.deleted_at`` is set (sync.server.store)."""
    a, b = laptops(), laptops("Joris Bakker")
    case_id = _shared_case(a, b, answers={"given_names": "Meron"})
    case_admin.delete_case(a.vault, case_id, "reason:verzoek_betrokkene")
    a.sync()
    # Offline, B edits the case and adds a plan version before it hears of the deletion.
    b.vault.save_answer(case_id, ("family_name", ""), "Tesfamariam")
    _save_version(b.vault, case_id, "plan van Meron")
    b.sync()
    with pytest.raises(CaseNotFound):
        b.vault.case(case_id)
    rows = _server_rows_of(server, case_id)
    assert rows["log"] == [] and [kind for kind, _by, _data in rows["records"]] == ["deletion"]
    assert "Tesfamariam" not in _server_text(server)
    a.sync()
    c = laptops()
    c.sync()
    assert [case.id for case in a.vault.list_cases()] == [case.id for case in c.vault.list_cases()] == []


def test_deleting_a_case_drops_its_records_still_waiting(laptops: LaptopFactory, server: Server) -> None:
    a = laptops()
    case_id = _shared_case(a)
    _save_version(a.vault, case_id, "plan van Meron")
    case_admin.close_case(a.vault, case_id)
    case_admin.delete_case(a.vault, case_id, "Op verzoek van Meron zelf")  # free text never leaves the laptop
    a.sync()
    rows = _server_rows_of(server, case_id)
    assert [(kind, data) for kind, _by, data in rows["records"]] == [("deletion", '{"reason":"overig"}')]
    assert "Meron" not in _server_text(server)


# -- the HTTP contract ------------------------------------------------------------------------------


def test_a_records_batch_sent_again_changes_nothing(server: Server) -> None:
    token = server.token()
    case_id = uuid.uuid4().hex
    records = [_plan_record(case_id),
               {"kind": "status", "case_id": case_id, "version": _version(1),
                "data": {"status": "gesloten", "closed_at": "2026-11-24T10:00:00+00:00",
                         "closed_from_status": "intake_bezig"}}]
    batch_id = str(uuid.uuid4())
    first = _push_records(server, token, records, batch_id)
    again = _push_records(server, token, records, batch_id)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert [r["status"] for r in first.json()["results"]] == ["applied", "applied"]
    # The same records in another batch (a batch rebuilt after a cut): known by their versions.
    other = _push_records(server, token, records).json()
    assert [(r["status"], r["seq"]) for r in other["results"]] == [
        ("duplicate", r["seq"]) for r in first.json()["results"]]
    page = _pull_records(server, token).json()
    assert [r["version"] for r in page["records"]] == [r["version"] for r in records]
    assert page["latest_seq"] == 2 and not page["more"]


def test_a_laptop_resends_a_batch_the_server_took_but_never_answered(laptops: LaptopFactory, server: Server) -> None:
    a, b = laptops(), laptops()
    case_id = _shared_case(a, b)
    _save_version(a.vault, case_id, "een")
    case_admin.close_case(a.vault, case_id)
    batch = sync_records.next_batch(a.vault, rp.MAX_BATCH_RECORDS, rp.PUSH_BATCH_BYTES)
    assert batch is not None and batch.size == 2
    # The server stores it, but the answer is lost on the way back.
    token = _token_of(a)
    assert server.http.post(rp.RECORDS_PATH, json=batch.payload, headers=_headers(token)).status_code == 200
    a.sync()  # sends the same batch again
    b.sync()
    with server.engine.connect() as connection:
        kinds = connection.execute(select(RecordEntry.kind).where(RecordEntry.case_id == case_id)).scalars().all()
    assert sorted(kinds) == ["plan_version", "status"]
    assert plans.versions(b.vault, case_id) == plans.versions(a.vault, case_id)
    assert sync_records.pending_count(a.vault) == 0


@pytest.mark.parametrize(
    "body",
    [
        b'{"batch_id": "' + str(uuid.uuid4()).encode() + b'", "records": [{"kind": "plan_ver',
        b"[1, 2, 3]",
        b'{"batch_id": "not-a-uuid", "records": []}',
        b'{"batch_id": "' + str(uuid.uuid4()).encode() + b'", "records": []}',
    ],
    ids=["truncated", "not an object", "bad batch id", "no records"],
)
def test_a_truncated_or_malformed_body_is_refused(server: Server, body: bytes) -> None:
    token = server.token()
    response = server.http.post(rp.RECORDS_PATH, content=body,
                                headers={**_headers(token), "Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request" and response.json()["reason"]
    assert _pull_records(server, token).status_code == 200


CASE = "b" * 32


@pytest.mark.parametrize(
    "record",
    [
        {"kind": "plan_version", "case_id": CASE, "version": _version()},  # no data
        {"kind": "verjaardag", "case_id": CASE, "version": _version(), "data": {}},
        {**_plan_record(CASE), "case_id": "Meron"},
        {**_plan_record(CASE), "version": "gisteren"},
        _plan_record(CASE, content_json="{niet af"),
        _plan_record(CASE, content_json="[1, 2]"),
        _plan_record(CASE, state="vastgesteld"),  # decision_json says concept
        _plan_record(CASE, number=0),
        _plan_record(CASE, created_at="gisteren"),
        _plan_record(CASE, route="B1 route voor Meron"),
        _plan_record(CASE, content_json=json.dumps({"x": "y" * rp.MAX_CONTENT_CHARS})),
        {**_plan_record(CASE), "extra": "veld"},
        {"kind": "status", "case_id": CASE, "version": _version(), "data": {"status": "weg"}},
        {"kind": "deletion", "case_id": CASE, "version": _version(), "data": {"reason": "Meron wilde het zo"}},
    ],
)
def test_a_record_of_the_wrong_shape_or_size_is_refused(server: Server, record: dict[str, Any]) -> None:
    token = server.token()
    good = _plan_record(CASE)
    response = _push_records(server, token, [good, record])
    assert response.status_code == 422
    assert response.json()["index"] == 1
    assert _pull_records(server, token).json()["records"] == []  # nothing of the batch was kept
    assert _push_records(server, token, [good]).status_code == 200  # and the server keeps serving


def test_too_many_records_or_too_many_bytes_are_refused(server: Server) -> None:
    token = server.token()
    many = [_plan_record(CASE) for _ in range(rp.MAX_BATCH_RECORDS + 1)]
    assert _push_records(server, token, many).status_code == 422
    huge = [_plan_record(CASE, content_json=json.dumps({"x": "y" * (rp.MAX_CONTENT_CHARS - 20)}))
            for _ in range(10)]
    response = _push_records(server, token, huge)
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert _push_records(server, token, [_plan_record(CASE)]).status_code == 200
    assert server.http.get("/health").json() == {"status": "ok"}


def test_the_records_endpoints_need_a_valid_token(server: Server) -> None:
    for token in ("", "nonsense", "x" * 43):
        headers = _headers(token) if token else {}
        assert server.http.get(rp.RECORDS_PATH, headers=headers).status_code == 401
        response = server.http.post(rp.RECORDS_PATH, headers=headers,
                                    json={"batch_id": str(uuid.uuid4()), "records": [_plan_record(CASE)]})
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorised"


def test_another_municipality_neither_sees_nor_touches_the_records(laptops: LaptopFactory, server: Server) -> None:
    amsterdam, rotterdam = laptops(), laptops("Sanne Jansen")
    case_id = _shared_case(amsterdam)
    _save_version(amsterdam.vault, case_id, "plan")
    case_admin.close_case(amsterdam.vault, case_id)
    amsterdam.sync()
    rotterdam.sync()
    assert rotterdam.vault.list_cases() == []
    token = server.token("Sanne Jansen")
    assert _pull_records(server, token).json() == {"records": [], "next_after": 0, "latest_seq": 0, "more": False}
    for record in (_plan_record(case_id),
                   {"kind": "deletion", "case_id": case_id, "version": _version(), "data": {"reason": "overig"}}):
        response = _push_records(server, token, [_plan_record(uuid.uuid4().hex), record])
        assert response.status_code == 403
        assert (response.json()["code"], response.json()["index"]) == ("case_not_yours", 1)
    assert len(_server_rows_of(server, case_id)["records"]) == 2
    assert _server_rows_of(server, case_id)["deleted_at"] is None


def test_pulls_page_through_the_records_in_order(server: Server) -> None:
    token = server.token()
    versions = [_plan_record(uuid.uuid4().hex) for _ in range(7)]
    assert _push_records(server, token, versions).status_code == 200
    seen, after = [], 0
    while True:
        page = _pull_records(server, token, after=after, limit=3).json()
        seen += [record["seq"] for record in page["records"]]
        after = page["next_after"]
        if not page["more"]:
            break
    assert seen == list(range(1, 8))
    assert _pull_records(server, token, limit=rp.MAX_PULL_RECORDS + 1).status_code == 422


def test_the_records_routes_are_in_the_openapi_description(server: Server) -> None:
    spec = server.http.get("/openapi.json").json()
    assert set(spec["paths"][rp.RECORDS_PATH]) == {"get", "post"}


def test_deleting_a_case_takes_its_records_out_of_the_batch_in_flight(laptops: LaptopFactory, server: Server) -> None:
    a = laptops()
    kept, erased = _shared_case(a), _shared_case(a)
    _save_version(a.vault, kept, "blijft")
    _save_version(a.vault, erased, "plan van Meron")
    batch = sync_records.next_batch(a.vault, rp.MAX_BATCH_RECORDS, rp.PUSH_BATCH_BYTES)
    assert batch is not None and {r["case_id"] for r in batch.payload["records"]} == {kept, erased}
    case_admin.delete_case(a.vault, erased, "reason:dubbel_dossier")
    again = sync_records.next_batch(a.vault, rp.MAX_BATCH_RECORDS, rp.PUSH_BATCH_BYTES)
    assert again is not None and again.batch_id != batch.batch_id
    assert [(r["kind"], r["case_id"]) for r in again.payload["records"]] == [
        ("plan_version", kept), ("deletion", erased)]
    a.sync()
    assert [kind for kind, _by, _data in _server_rows_of(server, erased)["records"]] == ["deletion"]
    assert len(_server_rows_of(server, kept)["records"]) == 1


def test_deleting_a_case_drops_the_answer_batches_in_flight_and_loses_no_other_answer(
    laptops: LaptopFactory, server: Server
) -> None:
    from intake_app.storage import sync_store

    a, b = laptops(), laptops("Joris Bakker")
    kept, erased = a.vault.create_case(), a.vault.create_case()
    a.vault.save_answer(kept, ("given_names", ""), "Blijft")
    a.vault.save_answer(erased, ("given_names", ""), "Meron")
    first = sync_store.next_batch(a.vault, 1)  # two batches in flight: the second reaches past the first
    second = sync_store.next_batch(a.vault, 1, after=first.batch_id if first else None)
    assert first is not None and second is not None and b"Meron" in first.body + second.body
    case_admin.delete_case(a.vault, erased, "reason:dubbel_dossier")
    with a.vault.engine.connect() as connection:
        stored = connection.execute(text("SELECT payload FROM sync_outgoing"))
        waiting = [zlib.decompress(payload) for (payload,) in stored]
    assert not any(b"Meron" in payload for payload in waiting)
    again = sync_store.next_batch(a.vault, 10)  # made anew, without the erased case
    assert again is not None and b"Blijft" in again.body and b"Meron" not in again.body
    a.sync()
    b.sync()
    assert b.vault.answers(kept) == {("given_names", ""): "Blijft"}
    assert "Meron" not in _server_text(server)
