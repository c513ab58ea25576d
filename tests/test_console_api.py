"""The console seam: the use cases the screens call, with storage failures as one
sentence an administrator can act on (StorageError), never an SQLAlchemy exception."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from ia_licensing import catalog
from ia_licensing.console_api import (
    ConsoleApi,
    HolderSettings,
    ServiceError,
    StorageError,
    describe_storage_error,
)
from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database
from ia_licensing.rules import Pool
from ia_licensing.services import read_models, stations, users
from tests.helpers.console import api_of


def test_reads_are_the_read_models(db: Database) -> None:
    stations.add_station(db, "s1", keys=frozenset({catalog.BASIC_STATION}))
    users.add_user(db, "ann")
    api = api_of(db)
    assert api.station_rows() == read_models.station_rows(db)
    assert api.user_rows(["ann"]) == read_models.user_rows(db, ["ann"])
    assert api.station_names() == ["s1"] and api.user_names() == ["ann"]
    assert api.server() is not None


def test_saving_a_users_licensing_tab_is_one_use_case(db: Database) -> None:
    users.add_user(db, "ann")
    api = api_of(db)
    settings = HolderSettings(
        name="ann",
        keys=frozenset({catalog.CLIENT_ACCESS}),
        enabled=True,
        licenses_enabled=True,
        method=Pool.CONCURRENT,
    )
    assert api.save_user(settings) == []
    info = users.get_user(db, "ann")
    assert info.method == Pool.CONCURRENT and info.keys == (catalog.CLIENT_ACCESS,)


def test_a_database_that_is_not_ours_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).close()
    db = Database(str(path), migrate=False)
    api = ConsoleApi(db, TrustStore.default())
    with pytest.raises(StorageError) as raised:
        api.station_rows()
    assert isinstance(raised.value, ServiceError)
    assert "Nothing was changed" in str(raised.value)
    assert "Traceback" not in str(raised.value)
    db.close()


def test_a_locked_database_is_said_in_plain_words() -> None:
    error = OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))
    text = describe_storage_error(error)
    assert text.startswith("The database is busy")
    assert "try again" in text
