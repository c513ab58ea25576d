"""Prebuilt Core statements run on the DB-API cursor: the logon hot path (docs/decisions.md).

A `Cursor` borrows the driver connection under a SQLAlchemy `Connection` (or a Session's),
inside the transaction that Connection began (BEGIN IMMEDIATE on SQLite, the advisory
lock on PostgreSQL), or a pooled connection on which `Database.write_cursor` began the
same transaction itself: it changes nothing about transactions, only skips SQLAlchemy's
per-execution work (cache look-up, execution context, result set-up, about 60–80 µs a
statement against a few µs of SQL). Each Core statement is compiled once per dialect,
parameter names and IN-list lengths to SQL text for the driver's paramstyle (sqlite3's
`?`, psycopg's `%(name)s`), with the dialect's bind and result processors applied as
SQLAlchemy would. Rows come back as plain tuples in the statement's column order.

Only statements whose every parameter is given at the call (or is a literal of the
statement) can be run: Python-side column defaults are not filled in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.dml import Insert

Params = Mapping[str, Any]
_Processor = Callable[[Any], Any] | None


class _Plan:
    """One statement's SQL text for one dialect, parameter names and IN-list lengths."""

    __slots__ = ("defaults", "expansion", "names", "positional", "processors", "sql")

    def __init__(
        self,
        sql: str,
        names: Sequence[str],
        processors: Sequence[_Processor],
        defaults: dict[str, Any],
        expansion: Mapping[str, Sequence[str]],
        positional: bool,
    ) -> None:
        self.sql = sql
        self.names = tuple(names)
        # Only the positions that need one: most parameters go to the driver as they are.
        self.processors = tuple((i, p) for i, p in enumerate(processors) if p is not None)
        self.defaults = defaults
        self.expansion = tuple(expansion.items())
        self.positional = positional

    def bind(self, params: Params) -> Any:
        if self.defaults or self.expansion:
            values = {**self.defaults, **params}
            for name, expanded in self.expansion:
                values.update(zip(expanded, params[name], strict=True))
            params = values
        if not self.processors:
            bound = [params[name] for name in self.names]
        else:
            bound = [params[name] for name in self.names]
            for i, process in self.processors:
                bound[i] = process(bound[i])
        return bound if self.positional else dict(zip(self.names, bound, strict=True))


class _Statement:
    """A statement compiled for one dialect and one set of parameter names; plans per
    IN-list lengths, and the result processors of its columns."""

    __slots__ = ("compiled", "expanding", "plans", "results", "single", "statement")

    def __init__(self, statement: ClauseElement, dialect: Dialect, keys: Sequence[str]) -> None:
        self.statement = statement  # keeps the id() used as the cache key alive
        options: dict[str, Any] = {"dialect": dialect}
        if isinstance(statement, Insert):
            options["column_keys"] = list(keys)
        compiled: Any = statement.compile(**options)
        self.compiled = compiled
        self.expanding = tuple(name for name, bind in compiled.binds.items() if bind.expanding)
        self.plans: dict[tuple[int, ...], _Plan] = {}
        self.single: _Plan | None = None  # the one plan of a statement without IN lists
        columns = getattr(statement, "exported_columns", ())
        processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        ]
        # Only the columns that need one (Booleans and datetimes on SQLite, say).
        self.results: tuple[tuple[int, Callable[[Any], Any]], ...] = tuple(
            (i, p) for i, p in enumerate(processors) if p is not None
        )

    def plan(self, params: Params) -> _Plan:
        if self.single is not None:
            return self.single
        if not self.expanding:
            self.single = self._build(params)
            return self.single
        lengths = tuple(len(params[name]) for name in self.expanding)
        plan = self.plans.get(lengths)
        if plan is None:
            plan = self.plans[lengths] = self._build(params)
        return plan

    def _build(self, params: Params) -> _Plan:
        compiled: Any = self.compiled
        state = compiled.construct_expanded_state(dict(params))
        expansion = {name: state.parameter_expansion.get(name, []) for name in self.expanding}
        positional = state.positiontup is not None
        names = list(state.positiontup if positional else state.parameters)
        given = set(params) | {n for expanded in expansion.values() for n in expanded}
        defaults = {
            name: value
            for name, value in compiled.construct_params(_check=False).items()
            if name not in self.expanding and name not in given
        }
        unset = [n for n in names if n not in given and n not in defaults]
        if unset:
            raise ValueError(f"no value for {', '.join(unset)} in {compiled.string!r}")
        processors = [state.processors.get(name) for name in names]
        return _Plan(state.statement, names, processors, defaults, expansion, positional)


_statements: dict[tuple[int, str, tuple[str, ...]], _Statement] = {}


class Cursor:
    """Run prebuilt statements on `connection`'s DB-API connection, in its transaction."""

    __slots__ = ("_cursor", "_driver", "dialect", "name")

    def __init__(self, dialect: Dialect, driver_connection: Any) -> None:
        self.dialect = dialect
        self.name = dialect.name
        self._driver = f"{self.name}+{dialect.driver}"
        self._cursor = driver_connection.cursor()

    @classmethod
    def on(cls, connection: Connection) -> Cursor:
        """On a Connection's DB-API connection, in the transaction it began."""
        driver = connection.connection.driver_connection
        assert driver is not None
        return cls(connection.dialect, driver)

    @classmethod
    def of(cls, session: Session) -> Cursor:
        return cls.on(session.connection())

    def _statement(self, statement: ClauseElement, params: Params) -> _Statement:
        key = (id(statement), self._driver, tuple(params))
        found = _statements.get(key)
        if found is None:
            found = _statements[key] = _Statement(statement, self.dialect, tuple(params))
        return found

    def _execute(self, statement: ClauseElement, params: Params | None) -> _Statement:
        params = params or {}
        found = _statements.get((id(statement), self._driver, tuple(params)))
        if found is None:
            found = self._statement(statement, params)
        plan = found.single or found.plan(params)
        self._cursor.execute(plan.sql, plan.bind(params))
        return found

    def rows(self, statement: ClauseElement, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Every row, each a tuple in the statement's column order."""
        processors = self._execute(statement, params).results
        rows: list[tuple[Any, ...]] = self._cursor.fetchall()
        if not processors:
            return rows  # sqlite3 and psycopg give tuples
        processed = []
        for row in rows:
            values = list(row)
            for i, process in processors:
                values[i] = process(values[i])
            processed.append(tuple(values))
        return processed

    def first(
        self, statement: ClauseElement, params: Params | None = None
    ) -> tuple[Any, ...] | None:
        rows = self.rows(statement, params)
        return rows[0] if rows else None

    def scalar(self, statement: ClauseElement, params: Params | None = None) -> Any:
        rows = self.rows(statement, params)
        return rows[0][0] if rows else None

    def scalars(self, statement: ClauseElement, params: Params | None = None) -> list[Any]:
        return [row[0] for row in self.rows(statement, params)]

    def run(self, statement: ClauseElement, params: Params | None = None) -> None:
        """A statement without rows to read (a RETURNING one: use `rows`)."""
        self._execute(statement, params)

    def run_many(self, statement: ClauseElement, many: Iterable[Params]) -> None:
        """One statement, many parameter sets (the same names in each): executemany."""
        batch = list(many)
        if len(batch) <= 1:  # one row: execute, which costs a third of executemany's set-up
            if batch:
                self._execute(statement, batch[0])
            return
        found = self._statement(statement, batch[0])
        if found.expanding:
            for params in batch:
                self._execute(statement, params)
            return
        plan = found.plan(batch[0])
        self._cursor.executemany(plan.sql, [plan.bind(params) for params in batch])

    def sql(self, text: str) -> None:
        """Literal SQL, e.g. SAVEPOINT: no parameters, no rows."""
        self._cursor.execute(text)
