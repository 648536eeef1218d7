"""Schema migrations with Alembic, applied on unlock.

Loading Alembic's script directory costs time at every unlock, so the head revision is a constant
here (a test keeps it equal to Alembic's head) and Alembic runs only when the vault is behind.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

SCHEMA_HEAD = "0007"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def schema_version(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_to_head(engine: Engine) -> bool:
    """Bring the vault schema to the newest version; True when something was migrated."""
    if schema_version(engine) == SCHEMA_HEAD:
        return False
    from alembic import command  # imported only when a migration is due
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return True


def alembic_head() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()
