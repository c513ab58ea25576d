"""Shared fixtures. Qt runs offscreen in every test; no test needs a display."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from ia_licensing.models import Database
from ia_licensing.services import licensing, setup
from tests.helpers.database import ENTITLEMENTS

# Fixtures kept in tests/helpers/ (the CLI's demo database).
pytest_plugins = ["tests.helpers.cli"]

# Set to a PostgreSQL server URL (postgresql+psycopg://user@host:port/postgres) to run the
# non-GUI tests there instead of on SQLite files: tools/postgres_tests.sh does it.
POSTGRES = os.environ.get("IA_LICENSING_TEST_POSTGRES", "")
POSTGRES_TEMPLATE = "ia_licensing_template"


# A test that asks for one of these, directly or through its fixtures, needs a QApplication.
QT_FIXTURES = frozenset({"qtbot", "qapp"})


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `gui` every test that needs a QApplication: `-m "not gui"` then runs without Qt.
    `fixturenames` is the closure of the fixtures a test uses, autouse ones included."""
    for item in items:
        if QT_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, initialised database; each test gets a copy (a real file, real commits)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    db = Database(str(path))
    setup.initialise(db, "HOST-1", "ic-test")
    with db.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    db.close()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """The PostgreSQL counterpart of template_db: a database each test's is created from."""
    server = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {POSTGRES_TEMPLATE}"))
        conn.execute(text(f"CREATE DATABASE {POSTGRES_TEMPLATE}"))
    db = Database(make_url(POSTGRES).set(database=POSTGRES_TEMPLATE).render_as_string(False))
    setup.initialise(db, "HOST-1", "ic-test")
    db.close()  # CREATE DATABASE ... TEMPLATE needs it without connections
    yield POSTGRES_TEMPLATE
    with server.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {POSTGRES_TEMPLATE}"))
    server.dispose()


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    if POSTGRES:
        pytest.skip("reads or writes the SQLite file itself")
    path = tmp_path / "allocation.sqlite"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, initialised database for one test: a SQLite file, or a PostgreSQL database."""
    if not POSTGRES:
        yield str(request.getfixturevalue("db_path"))
        return
    template = request.getfixturevalue("postgres_template")
    name = f"t_{uuid.uuid4().hex[:16]}"
    server = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    yield make_url(POSTGRES).set(database=name).render_as_string(False)
    with server.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    server.dispose()


@pytest.fixture
def empty_db(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.close()


@pytest.fixture
def db(empty_db: Database) -> Database:
    """An initialised database whose license in force is ENTITLEMENTS."""
    licensing.seed_entitlements(empty_db, ENTITLEMENTS, "test license")
    return empty_db
