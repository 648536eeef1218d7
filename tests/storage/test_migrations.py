"""Schema migrations run on unlock: a vault made by an older version is brought up to date."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from intake_app.storage.keys import KdfParams
from intake_app.storage.migrate import MIGRATIONS_DIR, SCHEMA_HEAD, alembic_head, schema_version
from intake_app.storage.vault import Vault

from support import OFFICER, PASSPHRASE


def test_head_constant_matches_the_migration_scripts() -> None:
    assert alembic_head() == SCHEMA_HEAD


def test_an_older_vault_is_upgraded_on_unlock_and_keeps_its_answers(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    vault = Vault.create(folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    case_id = vault.create_case()
    vault.save_answer(case_id, ("given_names", ""), "Yonas")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with vault.engine.begin() as connection:  # make it look like a vault of the first release
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert schema_version(vault.engine) == "0001"
    vault.close(make_backup=False)

    again = Vault.unlock(folder, OFFICER, PASSPHRASE)
    assert schema_version(again.engine) == SCHEMA_HEAD
    with again.engine.connect() as connection:
        assert inspect(connection).has_table("plan_versions")
    assert again.answers(case_id) == {("given_names", ""): "Yonas"}
    again.close(make_backup=False)


def test_the_outbox_keeps_what_waits_across_the_pushed_flag_migration(tmp_path: Path) -> None:
    """0007 turned the per-row pushed flag into one number: what waited before still waits after,
    in both directions, and the pushed rows stay pushed."""
    from intake_app.storage import outbox, sync_store

    folder = tmp_path / "vault"
    vault = Vault.create(folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    case_id = vault.create_case()
    vault.save_answer(case_id, ("given_names", ""), "Yonas")
    vault.save_answer(case_id, ("family_name", ""), "Tesfay")
    with vault.engine.begin() as connection:
        first = connection.exec_driver_sql("SELECT min(seq) FROM changes").scalar_one()
        outbox.mark_pushed_through(connection, first)  # the server took the first answer
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with vault.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
        flags = connection.exec_driver_sql("SELECT question_id, pushed FROM changes ORDER BY seq").all()
    assert [tuple(row) for row in flags] == [("given_names", 1), ("family_name", 0)]
    vault.close(make_backup=False)

    again = Vault.unlock(folder, OFFICER, PASSPHRASE)
    assert schema_version(again.engine) == SCHEMA_HEAD
    assert again.pending_changes() == 1
    batch = sync_store.next_batch(again, 100)
    assert batch is not None and batch.size == 1 and b"family_name" in batch.body and b"given_names" not in batch.body
    again.close(make_backup=False)
