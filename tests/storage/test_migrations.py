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
