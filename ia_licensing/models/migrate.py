"""Run the packaged Alembic migrations at start-up, in one transaction.

Alembic is imported only when the schema is behind: the check itself is one query
against `alembic_version`, so opening an up-to-date database costs no Alembic start-up.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration in migrations/versions; tests/test_models.py keeps them in step.
HEAD_REVISION = "0003"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    location = resources.files("ia_licensing.models") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str | None:
    """The head according to the migration scripts themselves (slow: loads every script)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the schema to head; a no-op (one cheap query) when it is there already."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
