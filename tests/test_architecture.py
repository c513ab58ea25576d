"""The shape of the package itself: no module imports, however indirectly, one that imports it
back (tests/helpers/import_graph.py says which imports count)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.import_graph import cycles, describe, import_graph

PACKAGE = Path(__file__).resolve().parent.parent / "ia_licensing"
SKIP = ("models/migrations/versions",)  # Alembic's revisions: loaded by Alembic, not imported


def test_no_import_cycle_in_the_package() -> None:
    found = cycles(import_graph(PACKAGE, SKIP))
    assert not found, describe(found)
