"""The outbox as push batches: bounded in bytes, every waiting row exactly once, acknowledged by one number."""

from __future__ import annotations

from pathlib import Path

import orjson

from intake_app.storage import outbox, sync_store
from intake_app.storage.keys import KdfParams
from intake_app.storage.vault import Vault

from support import OFFICER, PASSPHRASE

LONG = "een lange toelichting " * 2_000  # 44,000 characters


def _vault(tmp_path: Path) -> tuple[Vault, str]:
    vault = Vault.create(tmp_path / "vault", OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    return vault, vault.create_case()


def _acknowledge(vault: Vault, batch: sync_store.OutgoingBatch) -> None:
    sync_store.complete_batch(vault, batch.batch_id, {"seqs": [], "results": []}, None)


def test_batches_stay_under_the_byte_limit_and_carry_every_row_once_in_order(tmp_path: Path) -> None:
    vault, _case_id = _vault(tmp_path)
    saved = []
    for number in range(12):  # twelve answers of ~44 KB, one per case: 0.5 MB in all
        case_id = vault.create_case()
        vault.save_answer(case_id, ("remarks_person", ""), f"{number}: {LONG}")
        saved.append((case_id, f"{number}: {LONG}"))
    limit = 100_000
    seen: list[tuple[str, str]] = []
    while (batch := sync_store.next_batch(vault, 1_000, max_bytes=limit)) is not None:
        assert len(batch.body) <= limit
        rows = orjson.loads(batch.body)["changes"]
        assert len(rows) == batch.size == 2  # two of them fit, a third would not
        seen.extend((row[0], row[3]) for row in rows)
        _acknowledge(vault, batch)
    assert seen == saved
    assert vault.pending_changes() == 0
    vault.close(make_backup=False)


def test_an_answer_bigger_than_the_limit_travels_alone(tmp_path: Path) -> None:
    vault, case_id = _vault(tmp_path)
    vault.save_answer(case_id, ("given_names", ""), "Meron")
    vault.save_answer(case_id, ("remarks_person", ""), LONG)
    vault.save_answer(case_id, ("family_name", ""), "Tesfay")
    sizes = []
    while (batch := sync_store.next_batch(vault, 1_000, max_bytes=10_000)) is not None:
        sizes.append([row[1] for row in orjson.loads(batch.body)["changes"]])
        _acknowledge(vault, batch)
    assert sizes == [["given_names"], ["remarks_person"], ["family_name"]]
    vault.close(make_backup=False)


def test_acknowledging_moves_one_number_that_never_goes_back(tmp_path: Path) -> None:
    vault, case_id = _vault(tmp_path)
    for number in range(5):
        vault.save_answer(case_id, ("given_names", ""), f"naam {number}")
        vault.save_answer(case_id, ("family_name", ""), f"achternaam {number}")
    first = sync_store.next_batch(vault, 4)
    assert first is not None
    second = sync_store.next_batch(vault, 4, after=first.batch_id)
    assert second is not None and second.last_change_seq > first.last_change_seq
    # The later batch's answer arrives first (the earlier one's was lost): both count as pushed,
    # and the earlier answer arriving after all changes nothing.
    _acknowledge(vault, second)
    with vault.engine.connect() as connection:
        assert outbox.pushed_through(connection) == second.last_change_seq
    _acknowledge(vault, first)
    with vault.engine.connect() as connection:
        assert outbox.pushed_through(connection) == second.last_change_seq
    assert vault.pending_changes() == 10 - second.last_change_seq + _first_seq(vault) - 1
    assert sync_store.sync_counts(vault)[0] == vault.pending_changes()
    vault.close(make_backup=False)


def _first_seq(vault: Vault) -> int:
    with vault.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT min(seq) FROM changes").scalar_one())


def test_the_case_list_finds_waiting_cases_from_the_pushed_number_on(tmp_path: Path) -> None:
    """Not through the case index (a read of every outbox row ever: 150 ms at 10,000 cases)."""
    from intake_app.storage import case_admin

    vault, case_id = _vault(tmp_path)
    vault.save_answer(case_id, ("given_names", ""), "Meron")
    with vault.engine.connect() as connection:
        plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {case_admin._SQL_PENDING}").all())
    assert "INTEGER PRIMARY KEY (rowid>?)" in plan, plan
    assert case_admin.list_rows(vault)[1] == {case_id}
    vault.close(make_backup=False)
