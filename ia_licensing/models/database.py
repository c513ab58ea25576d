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
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ia_licensing.models.cursor import Cursor

BUSY_TIMEOUT_MS = 30_000
_WRITE = "ia_licensing_write"
# Any constant every process agrees on: the key of PostgreSQL's one-writer lock.
_WRITER_LOCK_ID = 0x1A_11C3_5E55
# What begins a write transaction (or, on PostgreSQL, comes first in it): the engine's
# "begin" hooks and `Database.write_cursor` send the same text.
_BEGIN_WRITE = {
    "sqlite": "BEGIN IMMEDIATE",
    "postgresql": f"SELECT pg_advisory_xact_lock({_WRITER_LOCK_ID})",
}


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
        conn.exec_driver_sql(_BEGIN_WRITE["sqlite"] if write else "BEGIN")


def _install_postgresql_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(_WRITE, False):
            conn.exec_driver_sql(_BEGIN_WRITE["postgresql"])


class DatabaseRefused(Exception):
    """The database cannot be used as it is (missing, another application's, damaged, or
    from a newer version); nothing was created or changed. The text says what to do."""


def _sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (also in SQLite's `file:…?mode=ro` URI form)."""
    parsed = make_url(url)
    database = parsed.database
    if not database or database == ":memory:":
        return None
    if parsed.query.get("uri") in ("true", "1") and database.startswith("file:"):
        from urllib.parse import unquote, urlsplit

        path = unquote(urlsplit(database).path)
        return Path(path) if path and path != ":memory:" else None
    return Path(database)


def location(url: str) -> str:
    """How to name a database to its administrator: the file path, or the URL without
    its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(_sqlite_file(url) or ":memory:")
    return parsed.render_as_string(hide_password=True)


def _refuse_unless_ours(recognised: Any, where: str) -> None:
    from ia_licensing.models.migrate import Kind

    if recognised.kind is Kind.FOREIGN:
        shown = ", ".join(recognised.tables[:5]) + (", …" if len(recognised.tables) > 5 else "")
        raise DatabaseRefused(
            f"{where} is not an IA Licensing database (it holds the tables {shown}); "
            "nothing was changed. Give --db the allocation database, or a new file name "
            "to `init`"
        )
    if recognised.kind is Kind.NEWER:
        raise DatabaseRefused(
            f"{where} is at schema revision {recognised.revision!r}, which this version of "
            "IA Licensing does not know (a newer version wrote it); nothing was changed. "
            "Use the newer version, or restore a backup"
        )


class Database:
    """An open allocation database: short read and write transactions.

    Before anything is migrated the database is recognised (models/migrate.py): ours (an
    Alembic revision we know, and on SQLite our application id), or empty. Another
    application's database, one from a newer version, a damaged file and — unless `create`
    — a file that does not exist are refused with DatabaseRefused, untouched.
    """

    def __init__(self, url: str, *, migrate: bool = True, create: bool = True) -> None:
        self.url = database_url(url)
        self.location = location(self.url)
        parsed = make_url(self.url)
        kwargs: dict[str, Any] = {}
        recognised = None
        if parsed.get_backend_name() == "sqlite":
            file = _sqlite_file(self.url)
            if file is not None:
                uri = file != Path(parsed.database or "")
                recognised = self._recognise_file(file, create=create and not uri)
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
        self.engine = create_engine(self.url, **kwargs)
        if _is_sqlite(self.engine):
            _install_sqlite_hooks(self.engine)
        elif self.engine.dialect.name == "postgresql":
            _install_postgresql_hooks(self.engine)
        self._outer: Connection | None = None  # all_or_nothing's one transaction
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = self.engine.execution_options(**{_WRITE: True})
        self._write = sessionmaker(self._writer, expire_on_commit=False)
        self._savepoints = 0
        if migrate:
            from ia_licensing.models.migrate import recognise, upgrade

            try:
                if recognised is None and not self.is_sqlite:
                    recognised = recognise(self.engine)
                if recognised is not None:
                    _refuse_unless_ours(recognised, self.location)
                upgrade(self.engine)
            except BaseException:
                self.engine.dispose()
                raise

    def _recognise_file(self, path: Path, *, create: bool) -> Any:
        from ia_licensing.models.migrate import recognise_sqlite_file

        if not path.exists():
            if not create:
                raise DatabaseRefused(
                    f"there is no database at {path}; nothing was created. Check the path "
                    f"given to --db (or IA_LICENSING_DB), or create one there with "
                    "`ia-licensing --db PATH init …`"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            return None
        if path.is_dir():
            raise DatabaseRefused(f"{path} is a folder, not a database file; give --db a file")
        try:
            return recognise_sqlite_file(path)
        except sqlite3.DatabaseError as error:
            raise DatabaseRefused(
                f"{path} is damaged or is not a database file ({error}); nothing was changed. "
                "Restore it from a backup, or give --db another file"
            ) from None

    @property
    def is_sqlite(self) -> bool:
        return _is_sqlite(self.engine)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed at the end, rolled back on any exception.
        Inside `all_or_nothing`, a savepoint of that one transaction instead."""
        if self._outer is not None:
            with self._joined() as session:
                yield session
            return
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def write_cursor(self) -> Iterator[Cursor]:
        """`write()` for the hot path (logon, logoff): the same transaction — BEGIN
        IMMEDIATE / the advisory lock, committed at the end, rolled back on any exception;
        inside `all_or_nothing` a savepoint of that one transaction — on one Connection
        and its DB-API cursor, without an ORM Session (models/cursor.py)."""
        if self._outer is not None:
            cursor = Cursor.on(self._outer)
            # Named by depth: the same few texts every time (the driver's statement cache).
            self._savepoints += 1
            name = f"ia_write_{self._savepoints}"
            try:
                cursor.sql(f"SAVEPOINT {name}")
                try:
                    yield cursor
                except BaseException:
                    cursor.sql(f"ROLLBACK TO SAVEPOINT {name}")
                    cursor.sql(f"RELEASE SAVEPOINT {name}")
                    raise
                cursor.sql(f"RELEASE SAVEPOINT {name}")
            finally:
                self._savepoints -= 1
            return
        # The pooled DB-API connection itself: the same BEGIN IMMEDIATE / advisory lock
        # as the engine's "begin" hooks, without a Connection and its events around it.
        pooled = self.engine.raw_connection()
        try:
            cursor = Cursor(self.engine.dialect, pooled.driver_connection)
            begin = _BEGIN_WRITE.get(cursor.name)
            if begin is not None:
                cursor.sql(begin)
            try:
                yield cursor
            except BaseException:
                pooled.rollback()
                raise
            pooled.commit()
        finally:
            pooled.close()  # back to the pool (which rolls back anything left)

    @contextmanager
    def read(self) -> Iterator[Session]:
        if self._outer is not None:
            with self._joined() as session:
                yield session
            return
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def all_or_nothing(self, *, commit: bool = True) -> Iterator[None]:
        """Every read and write inside runs in one write transaction, committed at the end
        or not at all (`init`: a kill part-way leaves the database as it was); each
        `write()` inside is a savepoint of it. `commit=False`: rolled back at the end
        whatever happens (a dry run that must see its own changes)."""
        if self._outer is not None:
            yield
            return
        engine = self.engine.execution_options(**{_WRITE: True})
        with engine.connect() as connection:
            transaction = connection.begin()
            self._outer = connection
            try:
                yield
            except BaseException:
                transaction.rollback()
                raise
            else:
                if commit:
                    transaction.commit()
                else:
                    transaction.rollback()
            finally:
                self._outer = None

    @contextmanager
    def _joined(self) -> Iterator[Session]:
        session = Session(
            bind=self._outer, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        with session, session.begin():
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
