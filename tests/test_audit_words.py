"""The audit trail's before and after are words an administrator reads, never Python
values: "Enable Licenses: Yes", not "licenses enabled=True"."""

from __future__ import annotations

import re

from ia_licensing.models import Database
from ia_licensing.services import audit, stations, users
from tests.helpers.database import add_stations, add_users

PYTHON_VALUES = re.compile(r"=|\bTrue\b|\bFalse\b|\bNone\b")


def test_a_user_edit_is_audited_in_words(db: Database) -> None:
    add_users(db, "amy")
    users.update_user(db, "amy", licenses_enabled=False)
    row = audit.recent(db, subject="amy")[0]
    assert "Enable Licenses: No" in row.after and "Enable Licenses: Yes" in row.before
    assert row.after.startswith("License Type: Assignable")
    assert not PYTHON_VALUES.search(row.before + row.after)


def test_a_station_edit_is_audited_in_words(db: Database) -> None:
    add_stations(db, "s1")
    stations.update_station(db, "s1", enabled=False)
    row = audit.recent(db, subject="s1")[0]
    assert "Station Enabled: No" in row.after and "Station Enabled: Yes" in row.before
    assert not PYTHON_VALUES.search(row.before + row.after)
