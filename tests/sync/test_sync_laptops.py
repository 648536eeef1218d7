"""Laptops with real vault files syncing through a real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time

import httpx
import orjson
import pytest

from intake_app.services import sync_service
from intake_app.services.sync_service import Resolution
from intake_app.sync.client import SyncError, SyncErrorKind

from sync_support import LaptopFactory, Server


def _everyone_syncs(*laptops: object, rounds: int = 2) -> None:
    for _ in range(rounds):
        for laptop in laptops:
            laptop.sync()  # type: ignore[attr-defined]


def test_a_case_made_on_one_laptop_arrives_on_another(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops()
    case_id = a.vault.create_case()
    a.vault.save_answer(case_id, ("given_names", ""), "Meron")
    a.vault.save_answer(case_id, ("family_name", ""), "Tesfay")
    a.vault.save_answer(case_id, ("household_size", ""), 3)
    report = a.sync()
    assert report.pushed == 3
    assert a.vault.pending_changes() == 0
    b.sync()
    assert b.vault.answers(case_id) == a.vault.answers(case_id)
    assert b.vault.case(case_id).display_name == "Meron Tesfay"
    assert b.vault.pending_changes() == 0  # pulled changes are applied, never queued again


def test_different_answers_edited_offline_merge(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops()
    case_id = a.vault.create_case()
    a.vault.save_answer(case_id, ("given_names", ""), "Meron")
    a.sync()
    b.sync()
    a.vault.save_answer(case_id, ("family_name", ""), "Tesfay")
    b.vault.save_answer(case_id, ("nationality", ""), "Eritrese")
    _everyone_syncs(a, b)
    expected = {("given_names", ""): "Meron", ("family_name", ""): "Tesfay", ("nationality", ""): "Eritrese"}
    assert a.vault.answers(case_id) == expected
    assert b.vault.answers(case_id) == expected
    assert sync_service.list_conflicts(a.vault) == sync_service.list_conflicts(b.vault) == []


def test_the_same_answer_edited_on_two_laptops_is_a_conflict_on_both_and_resolvable(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops("Joris Bakker")
    case_id = a.vault.create_case()
    a.vault.save_answer(case_id, ("given_names", ""), "Meron")
    a.sync()
    b.sync()
    a.vault.save_answer(case_id, ("given_names", ""), "Meron A.")
    b.vault.save_answer(case_id, ("given_names", ""), "Merhawit")
    a.sync()
    b.sync()
    a.sync()
    on_a, on_b = sync_service.list_conflicts(a.vault), sync_service.list_conflicts(b.vault)
    assert len(on_a) == len(on_b) == 1
    assert on_a[0].conflict_id == on_b[0].conflict_id
    # Each side sees its own value as local, the other as remote, with who changed it.
    assert (on_a[0].local_value, on_a[0].remote_value) == ("Meron A.", "Merhawit")
    assert (on_b[0].local_value, on_b[0].remote_value) == ("Merhawit", "Meron A.")
    assert on_a[0].remote_by == "Joris Bakker" and on_b[0].remote_by == "Fatima de Vries"
    # Nothing silently overwritten: both laptops show the same value and keep the other in the conflict.
    assert a.vault.answers(case_id) == b.vault.answers(case_id) == {("given_names", ""): "Meron A."}

    sync_service.resolve_conflict(b.vault, on_b[0].conflict_id, Resolution.LOCAL)
    assert sync_service.list_conflicts(b.vault)[0].resolving
    _everyone_syncs(b, a)
    assert sync_service.list_conflicts(a.vault) == sync_service.list_conflicts(b.vault) == []
    assert a.vault.answers(case_id) == b.vault.answers(case_id) == {("given_names", ""): "Merhawit"}


def test_a_conflict_resolved_with_a_new_value(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops()
    case_id = a.vault.create_case()
    a.vault.save_answer(case_id, ("household_size", ""), 2)
    a.sync()
    b.sync()
    a.vault.save_answer(case_id, ("household_size", ""), 3)
    b.vault.clear_answer(case_id, ("household_size", ""))
    _everyone_syncs(a, b)
    [conflict] = sync_service.list_conflicts(a.vault)
    assert (conflict.local_value, conflict.remote_value) == (3, None)  # a removal is a value too
    sync_service.resolve_conflict(a.vault, conflict.conflict_id, Resolution.NEW, 4)
    _everyone_syncs(a, b)
    assert a.vault.answers(case_id) == b.vault.answers(case_id) == {("household_size", ""): 4}
    assert sync_service.list_conflicts(b.vault) == []


def test_repeat_group_entries_added_on_two_laptops_are_merged_not_conflicting(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops()
    case_id = a.vault.create_case()
    a.vault.apply_changes(case_id, [(("educations", ""), ["e1"]), (("education_field", "e1"), "Bouw")])
    a.sync()
    b.sync()
    a.vault.apply_changes(case_id, [(("educations", ""), ["e1", "e2"]), (("education_field", "e2"), "Zorg")])
    b.vault.apply_changes(case_id, [(("educations", ""), ["e3", "e1"]), (("education_field", "e3"), "ICT")])
    _everyone_syncs(a, b)
    answers = a.vault.answers(case_id)
    assert answers == b.vault.answers(case_id)
    assert answers[("educations", "")] == ["e3", "e1", "e2"]
    assert sync_service.list_conflicts(a.vault) == []


def test_a_removed_entry_stays_removed_when_the_other_laptop_adds_one(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops()
    case_id = a.vault.create_case()
    a.vault.apply_changes(case_id, [(("educations", ""), ["e1", "e2"])])
    a.sync()
    b.sync()
    a.vault.apply_changes(case_id, [(("educations", ""), ["e2"])])
    b.vault.apply_changes(case_id, [(("educations", ""), ["e1", "e2", "e3"])])
    _everyone_syncs(a, b)
    assert a.vault.answers(case_id)[("educations", "")] == ["e2", "e3"]
    assert b.vault.answers(case_id) == a.vault.answers(case_id)


def test_a_removal_travels_as_a_tombstone_and_the_answer_can_come_back(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops()
    case_id = a.vault.create_case()
    a.vault.save_answer(case_id, ("phone_number", ""), "0612345678")
    a.sync()
    b.sync()
    b.vault.clear_answer(case_id, ("phone_number", ""))
    b.sync()
    a.sync()
    assert a.vault.answers(case_id) == {}
    a.vault.save_answer(case_id, ("phone_number", ""), "0687654321")
    _everyone_syncs(a, b)
    assert b.vault.answers(case_id) == {("phone_number", ""): "0687654321"}
    assert sync_service.list_conflicts(a.vault) == []


def test_a_sync_with_nothing_to_do_changes_nothing(laptops: LaptopFactory) -> None:
    a = laptops()
    first = a.sync()
    second = a.sync()
    assert (first.pushed, first.pulled, second.pushed, second.pulled) == (0, 0, 0, 0)
    assert sync_service.status(a.vault).enrolled


def test_another_municipality_never_sees_the_case(laptops: LaptopFactory, server: Server) -> None:
    amsterdam, rotterdam = laptops(), laptops("Sanne Jansen")
    case_id = amsterdam.vault.create_case()
    amsterdam.vault.save_answer(case_id, ("given_names", ""), "Meron")
    amsterdam.sync()
    rotterdam.sync()
    assert rotterdam.vault.list_cases() == []
    assert rotterdam.client.case_ids() == []
    assert amsterdam.client.case_ids() == [case_id]


def test_a_day_of_clock_skew_between_laptops_changes_nothing(laptops: LaptopFactory) -> None:
    import time

    from intake_app.storage.hlc import HybridLogicalClock

    ahead, behind = laptops(), laptops()
    day_ms = 86_400_000
    ahead.vault._clock = HybridLogicalClock(ahead.vault.device_id, lambda: time.time_ns() // 1_000_000 + day_ms)
    behind.vault._clock = HybridLogicalClock(behind.vault.device_id, lambda: time.time_ns() // 1_000_000 - day_ms)
    case_id = ahead.vault.create_case()
    first = ahead.vault.save_answer(case_id, ("given_names", ""), "Meron")
    ahead.sync()
    behind.sync()
    # The laptop a day behind edits after the one a day ahead: its version sorts lower, yet it is
    # based on the version it saw, so it applies; nothing is ordered by wall clocks.
    later = behind.vault.save_answer(case_id, ("given_names", ""), "Merhawit")
    assert later < first
    behind.vault.save_answer(case_id, ("family_name", ""), "Tesfay")
    ahead.vault.save_answer(case_id, ("nationality", ""), "Eritrese")
    _everyone_syncs(behind, ahead)
    expected = {("given_names", ""): "Merhawit", ("family_name", ""): "Tesfay", ("nationality", ""): "Eritrese"}
    assert ahead.vault.answers(case_id) == behind.vault.answers(case_id) == expected
    assert sync_service.list_conflicts(ahead.vault) == []


def test_pushes_of_two_laptops_at_the_same_moment_never_both_win(laptops: LaptopFactory) -> None:
    import threading

    a, b = laptops(), laptops()
    case_id = a.vault.create_case()
    a.vault.save_answer(case_id, ("given_names", ""), "Start")
    a.sync()
    b.sync()
    rounds = 8
    for round_ in range(rounds):
        a.vault.save_answer(case_id, ("given_names", ""), f"A{round_}")
        b.vault.save_answer(case_id, ("given_names", ""), f"B{round_}")
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def push(laptop: object, barrier: threading.Barrier = barrier, errors: list[BaseException] = errors) -> None:
            try:
                barrier.wait()
                laptop.sync()  # type: ignore[attr-defined]
            except BaseException as error:  # reported below
                errors.append(error)

        threads = [threading.Thread(target=push, args=(laptop,)) for laptop in (a, b)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        _everyone_syncs(a, b)
        conflicts = sync_service.list_conflicts(a.vault)
        assert len(conflicts) == 1, f"round {round_}: one edit applies, the other is a conflict"
        assert {conflicts[0].local_value, conflicts[0].remote_value} == {f"A{round_}", f"B{round_}"}
        sync_service.resolve_conflict(a.vault, conflicts[0].conflict_id, Resolution.LOCAL)
        _everyone_syncs(a, b)
        assert sync_service.list_conflicts(b.vault) == []


def test_an_answer_removed_and_given_again_during_a_conflicting_push_keeps_the_other_value(
    laptops: LaptopFactory,
) -> None:
    from intake_app.storage import sync_store

    a, b = laptops(), laptops("Joris Bakker")
    case_id = a.vault.create_case()
    a.vault.save_answer(case_id, ("phone_number", ""), "0600000000")
    a.sync()
    b.sync()
    b.vault.save_answer(case_id, ("phone_number", ""), "0611111111")
    b.sync()
    a.vault.clear_answer(case_id, ("phone_number", ""))
    assert sync_store.next_batch(a.vault, 50) is not None  # the removal is in flight...
    a.vault.save_answer(case_id, ("phone_number", ""), "0622222222")  # ...when the officer types it again
    _everyone_syncs(a, b)
    assert a.vault.answers(case_id) == b.vault.answers(case_id) == {("phone_number", ""): "0611111111"}
    [conflict] = sync_service.list_conflicts(a.vault)
    assert (conflict.local_value, conflict.remote_value) == ("0622222222", "0611111111")
    assert [c.conflict_id for c in sync_service.list_conflicts(b.vault)] == [conflict.conflict_id]


def test_long_texts_that_overflow_a_batch_are_sent_in_smaller_batches(laptops: LaptopFactory, server: Server) -> None:
    from fastapi.testclient import TestClient

    from intake_app.sync.server.app import create_app

    small = Server(server.engine, TestClient(create_app(server.engine, migrate=False, body_limit=200_000)),
                   server.officers)
    a, b = laptops(server_=small), laptops(server_=small)
    questions = ["other_languages_levels", "dutch_lessons_details", "lbt_not_done_reason", "lbt_outcome_motivation",
                 "language_notes"]
    case_ids = []
    for number in range(6):
        case_id = a.vault.create_case()
        a.vault.apply_changes(case_id, [((q, ""), f"{number} " + "tekst " * 3000) for q in questions])
        case_ids.append(case_id)
    report = a.sync()  # 30 answers of 18 KB: one batch would be 540 KB
    assert report.pushed == 30
    assert a.client.batch_size < 30
    b.sync()
    assert all(b.vault.answers(c) == a.vault.answers(c) for c in case_ids)
    small.http.close()


def test_a_server_restored_from_an_older_backup_is_noticed_and_nothing_changes(
    laptops: LaptopFactory, server: Server
) -> None:
    import pytest
    from sqlalchemy import delete, update

    from intake_app.sync.server.models import LogEntry, Municipality

    a = laptops()
    case_id = a.vault.create_case()
    a.vault.save_answer(case_id, ("given_names", ""), "Meron")
    a.sync()
    with server.engine.begin() as connection:  # the server as it was before that sync
        connection.execute(delete(LogEntry))
        connection.execute(update(Municipality).values(last_seq=0))
    with pytest.raises(sync_service.SyncError) as raised:
        a.sync()
    assert "teruggezet" in raised.value.message
    assert a.vault.answers(case_id) == {("given_names", ""): "Meron"}


def test_a_laptop_restored_from_a_backup_gets_back_what_it_pushed_after_the_backup(
    laptops: LaptopFactory,
) -> None:
    """The server leaves a laptop's own changes out of its pulls; after a restore it sends them once."""
    from intake_app.services.vault_service import restore_newest_backup
    from intake_app.storage import sync_store
    from intake_app.storage.vault import Vault

    from support import PASSPHRASE

    a, b = laptops(), laptops("Joris Bakker")
    case_id = a.vault.create_case()
    a.vault.save_answer(case_id, ("given_names", ""), "Meron")
    a.sync()
    folder, officer = a.vault.folder, a.vault.officer
    a.vault.close(make_backup=True)  # the backup holds "Meron", pushed
    a.vault = Vault.unlock(folder, officer, PASSPHRASE)
    a.vault.save_answer(case_id, ("given_names", ""), "Meron Tesfay")
    a.vault.save_answer(case_id, ("phone_number", ""), "0612345678")
    a.sync()  # only the server has these now
    b.sync()
    b.vault.save_answer(case_id, ("family_name", ""), "Tesfay")
    b.sync()
    a.vault.close(make_backup=False)
    restore_newest_backup(folder)
    a.vault = Vault.unlock(folder, officer, PASSPHRASE)
    assert a.vault.answers(case_id) == {("given_names", ""): "Meron"}
    assert sync_store.rereading(a.vault)
    a.sync()
    expected = {("given_names", ""): "Meron Tesfay", ("phone_number", ""): "0612345678",
                ("family_name", ""): "Tesfay"}
    assert a.vault.answers(case_id) == expected == b.vault.answers(case_id)
    assert not sync_store.rereading(a.vault)  # once
    a.vault.save_answer(case_id, ("phone_number", ""), "0687654321")
    a.sync()
    b.sync()
    assert b.vault.answers(case_id)[("phone_number", "")] == "0687654321"
    assert sync_service.list_conflicts(a.vault) == []


def test_a_sync_pushes_what_was_waiting_when_it_began_and_leaves_new_typing_for_the_next(
    laptops: LaptopFactory,
) -> None:
    a = laptops()
    case_id = a.vault.create_case()
    a.vault.save_answer(case_id, ("given_names", ""), "Meron")
    store = sync_service.VaultStore(a.vault)  # a sync begins
    a.vault.save_answer(case_id, ("family_name", ""), "Tesfay")  # the officer types on
    batch = store.next_batch(100)
    assert batch is not None and b"Meron" in batch.body and b"Tesfay" not in batch.body
    assert store.next_batch(100, after=batch.batch_id) is None  # so the sync ends
    a.sync()
    assert a.vault.pending_changes() == 0


def test_the_case_list_fields_follow_what_a_pull_brings(laptops: LaptopFactory) -> None:
    a, b = laptops(), laptops("Joris Bakker")
    case_id = a.vault.create_case()
    for question_id, value in (("given_names", "Meron"), ("family_name", "Tesfay"), ("bsn", "111222333")):
        a.vault.save_answer(case_id, (question_id, ""), value)
    a.sync()
    b.sync()
    assert (b.vault.case(case_id).display_name, b.vault.case(case_id).bsn) == ("Meron Tesfay", "111222333")
    a.vault.save_answer(case_id, ("family_name", ""), "Tesfamariam")
    a.vault.clear_answer(case_id, ("bsn", ""))
    a.sync()
    b.sync()
    assert (b.vault.case(case_id).display_name, b.vault.case(case_id).bsn) == ("Meron Tesfamariam", "")


class _Watching(httpx.BaseTransport):
    """Passes requests on to the server and notes which push batches were on their way at once
    (each push is held back a moment so that a second one has the time to start)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.lock = threading.Lock()
        self.travelling: dict[int, set[tuple[str, str, str]]] = {}
        self.together: list[tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/push"):
            return self.inner.handle_request(request)
        keys = {(row[0], row[1], row[2]) for row in orjson.loads(request.content)["changes"]}
        with self.lock:
            self.together.extend((other, keys) for other in self.travelling.values())
            self.travelling[id(keys)] = keys
        try:
            time.sleep(0.05)
            return self.inner.handle_request(request)
        finally:
            with self.lock:
                del self.travelling[id(keys)]


def test_batches_travel_together_only_when_they_change_different_answers(
    laptops: LaptopFactory, server: Server
) -> None:
    a, b = laptops(), laptops("Joris Bakker")
    watching = _Watching(server.http._transport)  # the in-process server's own transport, observed
    a.client.http = httpx.Client(transport=watching, base_url="http://testserver")
    a.client.batch_size = 2
    case_id = a.vault.create_case()
    # Batches of two outbox rows: [naam 1, achternaam], [naam 2, geboorteland], [nationaliteit, azc].
    # The second edits an answer of the first: it may only leave once the first was answered.
    a.vault.save_answer(case_id, ("given_names", ""), "Meron 1")
    a.vault.save_answer(case_id, ("family_name", ""), "Tesfay")
    a.vault.save_answer(case_id, ("given_names", ""), "Meron 2")
    a.vault.save_answer(case_id, ("country_of_birth", ""), "ER")
    a.vault.save_answer(case_id, ("nationality", ""), "Eritrese")
    a.vault.save_answer(case_id, ("azc_location", ""), "Ter Apel")
    report = a.sync()
    assert report.pushed == 6 and report.conflicts == 0
    assert watching.together, "independent batches should have travelled at once"
    assert all(first.isdisjoint(second) for first, second in watching.together)
    b.sync()
    assert b.vault.answers(case_id) == a.vault.answers(case_id)
    assert b.vault.answers(case_id)[("given_names", "")] == "Meron 2"
    assert not sync_service.list_conflicts(a.vault) and not sync_service.list_conflicts(b.vault)
    a.client.http.close()


def test_a_refused_push_stays_queued_and_the_colleagues_work_still_comes_in(laptops: LaptopFactory) -> None:
    """A laptop with a newer questionnaire than the server (here: an answer to a question the server
    does not know) is refused; it keeps its changes and the reason, and still receives the rest."""
    a, b = laptops(), laptops("Joris Bakker")
    shared = a.vault.create_case()
    a.vault.save_answer(shared, ("given_names", ""), "Meron")
    a.sync()
    b.sync()
    b.vault.save_answer(shared, ("family_name", ""), "Tesfay")  # the colleague's work
    b.sync()
    a.vault.save_answer(shared, ("preferred_name", ""), "Mimi")
    a.vault.save_answer(shared, ("a_question_of_next_year", ""), "ja")
    with pytest.raises(SyncError) as raised:
        a.sync()
    assert raised.value.kind is SyncErrorKind.REJECTED and "onbekende vraag" in raised.value.params["reason"]
    assert a.vault.answers(shared)[("family_name", "")] == "Tesfay"  # pulled despite the refusal
    assert a.vault.pending_changes() == 2  # both still queued, nothing lost
    with pytest.raises(SyncError):
        a.sync()  # and refused again, with the same reason, until the server knows the question
    assert a.vault.pending_changes() == 2
