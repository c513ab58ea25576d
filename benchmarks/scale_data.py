"""A deterministic database at the target scale, for benchmarks/scale.py.

Holders, allocations, workgroup members and live sessions are bulk-inserted straight into
SQLite (building 50,000 of each through the services would measure the builder, not the
product); the license goes through the real load path, signed by a benchmark key, and the
counter rows are derived with the services' own recount.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

from ia_licensing import catalog
from ia_licensing.licensefile import (
    License,
    LicenseCount,
    LicenseType,
    ServerInfo,
    TrustStore,
    generate_key_pair,
    issue_license,
)
from ia_licensing.models import Database, KeyUsage
from ia_licensing.services import licensing, setup, usage

HOST_ID = "BENCH-HOST"
KEY_ID = "bench-vendor"
PRIVATE, PUBLIC = generate_key_pair(KEY_ID)
TRUST = TrustStore.from_public_key_files(PUBLIC)


def access_keys(count: int) -> list[str]:
    """`count` allocatable keys: the catalogue's ungrouped access keys, then arbitrary ones."""
    keys = [k.key for k in catalog.KEYS if k.allocatable and k.group is None]
    keys += [f"BENCH_ARBITRARY_{i:02d}" for i in range(max(0, count - len(keys)))]
    return keys[:count] + list(catalog.ACD_LEVELS)


def license_bytes(keys: list[str], serial: int, scale: float = 1.0) -> bytes:
    counts = tuple(
        LicenseCount(k, int(200_000 * scale), 0 if k == catalog.BASIC_STATION else 50_000)
        for k in keys
    )
    lic = License(
        product=setup.DEFAULT_PRODUCT,
        license_type=LicenseType.PRODUCTION,
        serial=serial,
        generated=dt.date.today(),
        expires=dt.date(2100, 1, 1),
        server=ServerInfo(HOST_ID, "ic-bench"),
        switchover=None,
        features=("I3_FEATURE_SIP",),
        licenses=counts,
    )
    return issue_license(lic, PRIVATE, KEY_ID)


def build(path: Path, users: int, stations: int, keys: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    key_list = access_keys(keys)
    db = Database(str(path))
    setup.initialise(db, HOST_ID, "ic-bench")
    licensing.load_license(db, license_bytes(key_list, 1), TRUST)
    db.close()
    extras = [k for k in key_list if k not in (catalog.BASIC_STATION, catalog.CLIENT_ACCESS)]
    extras = [k for k in extras if k not in catalog.ACD_LEVELS]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.executemany(
        "INSERT INTO station (id, name, name_key, station_type, connection_type, enabled,"
        " licenses_enabled) VALUES (?, ?, ?, 'workstation', 'line', 1, 1)",
        ((i, f"station{i}", f"station{i}") for i in range(1, stations + 1)),
    )
    methods = ["concurrent" if rng.random() < 0.3 else "assignable" for _ in range(users)]
    conn.executemany(
        "INSERT INTO user_account (id, name, name_key, method, licenses_enabled)"
        " VALUES (?, ?, ?, ?, 1)",
        ((i, f"user{i}", f"user{i}", methods[i - 1]) for i in range(1, users + 1)),
    )
    station_rows: list[tuple[int, str]] = []
    for i in range(1, stations + 1):
        if rng.random() < 0.95:  # most stations: Basic Station and Client Access
            station_rows += [(i, catalog.BASIC_STATION), (i, catalog.CLIENT_ACCESS)]
        station_rows.append((i, rng.choice(extras)))
    user_rows: list[tuple[int, str]] = []
    for i in range(1, users + 1):
        user_rows += [(i, catalog.CLIENT_ACCESS), (i, rng.choice(catalog.ACD_LEVELS))]
        user_rows += [(i, k) for k in rng.sample(extras, 5)]
    conn.executemany("INSERT INTO station_license (station_id, key) VALUES (?, ?)", station_rows)
    conn.executemany("INSERT INTO user_license (user_id, key) VALUES (?, ?)", user_rows)
    workgroups = max(1, users // 250)
    conn.executemany(
        "INSERT INTO workgroup (id, name, name_key, interaction_types) VALUES (?, ?, ?, ?)",
        (
            (w, f"Queue {w}", f"queue {w}", rng.choice(["call", "call,chat", "call,chat,email"]))
            for w in range(1, workgroups + 1)
        ),
    )
    conn.executemany(
        "INSERT INTO workgroup_member (workgroup_id, user_id) VALUES (?, ?)",
        ((rng.randint(1, workgroups), u) for u in range(1, users + 1, 2)),
    )
    sessions = _live_sessions(conn, rng, methods, stations)
    conn.commit()
    conn.close()
    db = Database(str(path))
    with db.write() as session:
        for key, (assignable, concurrent, in_use) in usage.recount(session).items():
            row = session.get(KeyUsage, key) or KeyUsage(key=key)
            row.assignable_configured, row.concurrent_configured = assignable, concurrent
            row.concurrent_in_use = in_use
            session.add(row)
    db.close()
    return {
        "allocation_rows": len(station_rows) + len(user_rows),
        "workgroups": workgroups,
        "live_sessions": sessions,
    }


def _live_sessions(
    conn: sqlite3.Connection, rng: random.Random, methods: list[str], stations: int
) -> int:
    """About one concurrent user in ten logged on, holding their concurrent licenses."""
    concurrent = [i + 1 for i, m in enumerate(methods) if m == "concurrent"]
    logged_on = rng.sample(concurrent, min(len(concurrent) // 10, stations))
    seats = rng.sample(range(1, stations + 1), len(logged_on))
    for session_id, (user_id, station_id) in enumerate(zip(logged_on, seats, strict=True), 1):
        conn.execute(
            "INSERT INTO logon_session (id, user_id, station_id, started_at)"
            " VALUES (?, ?, ?, CURRENT_TIMESTAMP)",
            (session_id, user_id, station_id),
        )
        conn.execute(
            "INSERT INTO session_license (session_id, key)"
            " SELECT ?, key FROM user_license WHERE user_id = ?",
            (session_id, user_id),
        )
    return len(logged_on)
