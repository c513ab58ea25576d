"""Engine and transactions: one place that decides how the database is opened.

SQLite: WAL, synchronous=FULL, foreign keys on, a busy timeout, and — because Python's
sqlite3 driver starts write transactions lazily, at the first write, after the counts
have already been read — every write transaction begins with BEGIN IMMEDIATE, so the
write lock is held before anything is read. PostgreSQL: every write transaction first
takes one advisory lock, the same one-writer-at-a-time model, so logon races end in R21
or R22 rather than in a unique-constraint error and audit ids increase in commit order
(the containers' change tracking relies on it). Elsewhere the services lock the counter
rows they change (SELECT … FOR UPDATE) before reading them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 30_000
_WRITE = "ia_licensing_write"
# Any constant every process agrees on: the key of PostgreSQL's one-writer lock.
_WRITER_LOCK_ID = 0x1A_11C3_5E55


def database_url(path_or_url: str) -> str:
    """Accept a plain file path or any SQLAlchemy URL."""
    if "://" in path_or_url:
        return path_or_url
    return f"sqlite:///{Path(path_or_url).expanduser()}"


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (the driver's autobegin
        # would start a deferred transaction at the first write).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _install_postgresql_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(_WRITE, False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_WRITER_LOCK_ID})")


class Database:
    """An open allocation database: short read and write transactions."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = database_url(url)
        parsed = make_url(self.url)
        kwargs: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
        self.engine = create_engine(self.url, **kwargs)
        if _is_sqlite(self.engine):
            _install_sqlite_hooks(self.engine)
        elif self.engine.dialect.name == "postgresql":
            _install_postgresql_hooks(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )
        if migrate:
            from ia_licensing.models.migrate import upgrade

            upgrade(self.engine)

    @property
    def is_sqlite(self) -> bool:
        return _is_sqlite(self.engine)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed at the end, rolled back on any exception."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def default_database_path() -> Path:
    """The default database: IA_LICENSING_DB, else the user data directory."""
    override = os.environ.get("IA_LICENSING_DB")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("ia-licensing", appauthor=False) / "allocation.sqlite"
