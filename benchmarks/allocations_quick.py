"""Quick measurement: how long Licenses Allocation takes at 50,000 users and 50,000 stations.

Builds a deterministic database (bulk-inserted straight into SQLite, then the counter
rows derived with the service's own recount), then times:
  - `allocations` through the service (counts + notes), median of 7 runs;
  - the same question asked of SQLite with one raw SQL statement over the allocation
    rows (the floor), median of 7 runs;
  - the `ia-licensing allocations` command as a whole process (start-up included);
  - one single-holder allocate and a bulk allocate of 10,000 holders.
Prints one JSON object. The full benchmark with every target is benchmarks/scale.py.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ia_licensing import catalog
from ia_licensing.models import Database, Entitlement, KeyUsage
from ia_licensing.services import allocation, licensing, setup, usage

FLOOR_SQL = """
SELECT key, SUM(assignable), SUM(concurrent) FROM (
  SELECT sl.key AS key, COUNT(*) AS assignable, 0 AS concurrent
    FROM station_license sl JOIN station s ON s.id = sl.station_id
   WHERE s.enabled AND s.licenses_enabled GROUP BY sl.key
  UNION ALL
  SELECT ul.key, SUM(u.method = 'assignable'), SUM(u.method = 'concurrent')
    FROM user_license ul JOIN user_account u ON u.id = ul.user_id
   WHERE u.licenses_enabled GROUP BY ul.key
) GROUP BY key
"""


def median_ms(fn, runs: int = 7) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def build(path: Path, users: int, stations: int, keys: int, seed: int) -> int:
    rng = random.Random(seed)
    db = Database(str(path))
    setup.initialise(db, "BENCH-HOST", "ic-bench")
    access = [k.key for k in catalog.KEYS if k.allocatable and k.group is None]
    access += [f"BENCH_ARBITRARY_{i:02d}" for i in range(max(0, keys - len(access)))]
    entitlements = {k: (200_000, 50_000) for k in access[:keys]}
    for level in catalog.ACD_LEVELS:
        entitlements[level] = (200_000, 50_000)
    licensing.seed_entitlements(db, entitlements, "bench")
    db.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.executemany(
        "INSERT INTO station (id, name, name_key, station_type, connection_type, enabled,"
        " licenses_enabled) VALUES (?, ?, ?, 'workstation', 'line', 1, 1)",
        ((i, f"station{i}", f"station{i}") for i in range(1, stations + 1)),
    )
    conn.executemany(
        "INSERT INTO user_account (id, name, name_key, method, licenses_enabled)"
        " VALUES (?, ?, ?, ?, 1)",
        (
            (i, f"user{i}", f"user{i}", "concurrent" if rng.random() < 0.3 else "assignable")
            for i in range(1, users + 1)
        ),
    )
    extras = [k for k in entitlements if k not in (catalog.BASIC_STATION, catalog.CLIENT_ACCESS)]
    extras = [k for k in extras if k not in catalog.ACD_LEVELS]
    station_rows = []
    for i in range(1, stations + 1):
        station_rows += [(i, catalog.BASIC_STATION), (i, catalog.CLIENT_ACCESS)]
        station_rows += [(i, k) for k in rng.sample(extras, 1)]
    user_rows = []
    for i in range(1, users + 1):
        user_rows += [(i, catalog.CLIENT_ACCESS), (i, rng.choice(catalog.ACD_LEVELS))]
        user_rows += [(i, k) for k in rng.sample(extras, 5)]
    conn.executemany("INSERT INTO station_license (station_id, key) VALUES (?, ?)", station_rows)
    conn.executemany("INSERT INTO user_license (user_id, key) VALUES (?, ?)", user_rows)
    conn.commit()
    conn.close()
    db = Database(str(path))
    with db.write() as session:
        for key, (assignable, concurrent, in_use) in usage.recount(session).items():
            row = session.get(KeyUsage, key) or KeyUsage(key=key)
            row.assignable_configured, row.concurrent_configured = assignable, concurrent
            row.concurrent_in_use = in_use
            session.add(row)
        assert session.query(Entitlement).count() >= keys
    db.close()
    return len(station_rows) + len(user_rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--stations", type=int, default=50_000)
    parser.add_argument("--keys", type=int, default=80)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        start = time.perf_counter()
        rows = build(path, args.users, args.stations, args.keys, args.seed)
        built_s = round(time.perf_counter() - start, 1)
        db = Database(str(path))
        service_ms = median_ms(lambda: allocation.allocations(db))
        floor_conn = sqlite3.connect(path)
        floor_ms = median_ms(lambda: floor_conn.execute(FLOOR_SQL).fetchall())
        cli = [sys.executable, "-m", "ia_licensing.cli", "--db", str(path), "allocations"]
        cli_ms = median_ms(lambda: subprocess.run(cli, capture_output=True, check=True), runs=3)
        new_users = [f"user{i}" for i in range(1, 10_001)]
        single_ms = median_ms(
            lambda: (
                allocation.allocate(db, "I3_ACCESS_TRACKER", users=["user1"]),
                allocation.deallocate(db, "I3_ACCESS_TRACKER", users=["user1"]),
            )
        )
        bulk_ms = median_ms(
            lambda: allocation.allocate(db, "BENCH_ARBITRARY_00", users=new_users), 1
        )
        db.close()
        print(
            json.dumps(
                {
                    "users": args.users,
                    "stations": args.stations,
                    "keys": args.keys,
                    "allocation_rows": rows,
                    "build_seconds": built_s,
                    "allocations_service_ms": service_ms,
                    "allocations_floor_raw_sql_ms": floor_ms,
                    "allocations_ratio_to_floor": round(service_ms / floor_ms, 3),
                    "allocations_cli_process_ms": cli_ms,
                    "allocate_then_deallocate_one_user_ms": single_ms,
                    "bulk_allocate_10000_users_ms": bulk_ms,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
