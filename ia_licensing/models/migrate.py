"""Run the packaged Alembic migrations at start-up, in one transaction.

Alembic is imported only when the schema is behind: the check itself is one query
against `alembic_version`, so opening an up-to-date database costs no Alembic start-up.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration in migrations/versions; tests/test_models.py keeps them in step.
HEAD_REVISION = "0006"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
SQLITE_APPLICATION_ID = 0x49414C43  # "IALC"; set by migration 0004
# Tables every version of our schema has: with an unknown revision, a newer version's.
OUR_TABLES = frozenset({"server_identity", "audit_event", "license_file", "key_usage"})


class Kind(Enum):
    FRESH = "fresh"  # nothing in it yet: ours to create
    OURS = "ours"
    NEWER = "newer"  # ours, at a schema revision this version does not know
    FOREIGN = "foreign"  # another application's


@dataclass(frozen=True)
class Recognised:
    kind: Kind
    revision: str | None
    tables: tuple[str, ...]


def _classify(tables: set[str], revision: str | None, application_id: int) -> Recognised:
    ordered = tuple(sorted(tables))
    if revision in KNOWN_REVISIONS and application_id in (0, SQLITE_APPLICATION_ID):
        return Recognised(Kind.OURS, revision, ordered)
    if application_id == SQLITE_APPLICATION_ID or (revision and tables >= OUR_TABLES):
        return Recognised(Kind.NEWER, revision, ordered)
    if not tables and application_id == 0:
        return Recognised(Kind.FRESH, None, ordered)
    return Recognised(Kind.FOREIGN, revision, ordered)


def recognise_sqlite_file(path: Path) -> Recognised:
    """What a SQLite file holds, read without changing it (no WAL switch, no migration);
    sqlite3.DatabaseError when it is not a database at all."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not str(row[0]).startswith("sqlite_")
        }
        revision = None
        if "alembic_version" in tables:
            found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = found[0] if found else None
        return _classify(tables - {"alembic_version"}, revision, int(application_id))
    finally:
        connection.close()


def recognise(engine: Engine) -> Recognised:
    """What a (server) database holds, from its table names and Alembic revision."""
    with engine.connect() as conn:
        inspector = inspect(conn)
        tables = set(inspector.get_table_names())
        revision = None
        if "alembic_version" in tables:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return _classify(tables - {"alembic_version"}, revision, 0)


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
