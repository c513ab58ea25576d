"""The schema: migrations agree with the models, upgrades are idempotent, SQLite is set up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from ia_licensing.models import Database
from ia_licensing.models.migrate import HEAD_REVISION, current_revision, head_revision
from ia_licensing.models.schema import Base


def test_migrations_create_exactly_the_models(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "m.sqlite"))
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert current_revision(db.engine) == head_revision() == HEAD_REVISION
    db.close()


def test_opening_again_is_a_no_op(tmp_path: Path) -> None:
    path = str(tmp_path / "m.sqlite")
    Database(path).close()
    db = Database(path)
    assert current_revision(db.engine) == head_revision()
    db.close()


def test_sqlite_is_opened_safely(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "m.sqlite"))
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    db.close()


def test_the_core_layers_never_import_qt() -> None:
    code = (
        "import sys, ia_licensing.cli, ia_licensing.services.compliance;"
        "import ia_licensing.services.demo;"
        "import ia_licensing.rules, ia_licensing.catalog, ia_licensing.models;"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_database_at_the_first_schema_upgrades_with_its_data(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from ia_licensing.models.migrate import alembic_config

    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO user_account (name, name_key, method, licenses_enabled)"
                " VALUES ('Old', 'old', 'assignable', 1)"
            )
        )
    engine.dispose()
    db = Database(str(path))
    assert current_revision(db.engine) == HEAD_REVISION
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM user_account")).scalar() == "Old"
        assert conn.execute(text("SELECT COUNT(*) FROM note_seen")).scalar() == 0
        # 0003: every existing user keeps the Remote Login right (on by default, R24) and
        # has no ACD interaction types chosen yet (the level's default applies, R18).
        old = conn.execute(text("SELECT remote_login, acd_types FROM user_account")).one()
        assert tuple(old) == (1, "")
    db.close()


def test_the_known_revisions_are_every_migration_script() -> None:
    """Recognising our databases (issue 16, defect 10) needs every revision we wrote."""
    from alembic.script import ScriptDirectory

    from ia_licensing.models.migrate import KNOWN_REVISIONS, alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    assert sorted(s.revision for s in scripts.walk_revisions()) == sorted(KNOWN_REVISIONS)
