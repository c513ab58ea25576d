"""`init --demo` writes the README's sample files beside the database (new.I3Lic, staff.csv),
so that every README example runs as written. A file already there is left alone."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import make_url

from ia_licensing.models import Database


def database_folder(db: Database) -> Path | None:
    """The folder of a SQLite database file; None for a server or an in-memory database."""
    url = make_url(db.url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).resolve().parent


def write_samples(db: Database, files: Mapping[str, bytes]) -> None:
    folder = database_folder(db)
    if folder is None:
        return
    written = []
    for name, data in files.items():
        path = folder / name
        if not path.exists():
            path.write_bytes(data)
            written.append(name)
    if written:
        print(f"wrote the README's sample files beside it: {', '.join(written)} (in {folder})")
