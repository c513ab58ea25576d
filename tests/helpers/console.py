"""The console seam for tests: a ConsoleApi over a test database."""

from __future__ import annotations

from ia_licensing.console_api import ConsoleApi
from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database


def api_of(db: Database, trust: TrustStore | None = None) -> ConsoleApi:
    return ConsoleApi(db, trust if trust is not None else TrustStore.default())
