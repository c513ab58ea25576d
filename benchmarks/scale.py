"""Scale benchmark: the performance targets of DESIGN.md, measured.

    benchmarks/scale.py [--users N --stations N --keys K --seed S] [--gui]

Builds a deterministic database of that size (benchmarks/scale_data.py) and prints one
JSON object: for each figure the median of at least 5 runs in milliseconds, the same
question asked of SQLite directly with one raw SQL statement on the same file (the floor),
their ratio, and peak resident memory. `--gui` adds the console figures, offscreen.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_data

from ia_licensing.models import Database
from ia_licensing.services import allocation, compliance, licensing

RUNS = 5
FLOOR_COUNTS = """
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


def timed(
    action: Callable[[], Any], reset: Callable[[], Any] | None = None, runs: int = RUNS
) -> float:
    """Median milliseconds of `action`; `reset` (untimed) runs after each."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
        if reset is not None:
            reset()
    return round(statistics.median(samples), 2)


def figure(product_ms: float, floor_ms: float, target_ms: float | None) -> dict[str, Any]:
    """One figure; target None: measured for information, DESIGN.md sets no target."""
    return {
        "median_ms": product_ms,
        "floor_ms": floor_ms,
        "ratio_to_floor": round(product_ms / floor_ms, 4) if floor_ms else None,
        "target_ms": target_ms,
        "meets_target": None if target_ms is None else product_ms < target_ms,
    }


def raw_connection(path: Path) -> sqlite3.Connection:
    """The floor's connection: same file, same durability (WAL, synchronous=FULL)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def measure_core(path: Path, users: int) -> dict[str, Any]:
    db = Database(str(path))
    raw = raw_connection(path)
    key = "I3_ACCESS_TRACKER"
    results: dict[str, Any] = {}

    results["licenses_allocation_counts"] = figure(
        timed(lambda: allocation.allocations(db)),
        timed(lambda: raw.execute(FLOOR_COUNTS).fetchall()),
        100,
    )
    results["compliance_notes"] = figure(
        timed(lambda: compliance.notes(db)),
        timed(lambda: raw.execute(FLOOR_COUNTS).fetchall()),
        None,
    )

    def one_edit() -> None:
        allocation.allocate(db, key, users=["user7"])
        allocation.allocations(db)  # the container's counts, refreshed

    def raw_edit() -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("INSERT INTO user_license (user_id, key) VALUES (7, ?)", (key,))
        raw.execute("COMMIT")

    results["one_edit"] = figure(
        timed(one_edit, lambda: allocation.deallocate(db, key, users=["user7"]), runs=9),
        timed(
            raw_edit,
            lambda: raw.execute("DELETE FROM user_license WHERE user_id = 7 AND key = ?", (key,)),
            runs=9,
        ),
        10,
    )

    holders = [f"user{i}" for i in range(1, min(users, 10_000) + 1)]
    bulk_key = "BENCH_ARBITRARY_00"

    def raw_bulk() -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.executemany(
            "INSERT INTO user_license (user_id, key) VALUES (?, ?)",
            ((i, bulk_key) for i in range(1, len(holders) + 1)),
        )
        raw.execute("COMMIT")

    results["bulk_allocate_10000"] = figure(
        timed(
            lambda: allocation.allocate(db, bulk_key, users=holders),
            lambda: allocation.deallocate(db, bulk_key, users=holders),
        ),
        timed(raw_bulk, lambda: raw.execute("DELETE FROM user_license WHERE key = ?", (bulk_key,))),
        1000,
    )

    results.update(measure_grant(db, raw, users))

    keys = scale_data.access_keys(80)
    serials = iter(range(100, 200))

    def load() -> None:
        data = scale_data.license_bytes(keys, next(serials), scale=0.5 + (time.perf_counter() % 1))
        start = time.perf_counter()
        licensing.load_license(db, data, scale_data.TRUST)
        compliance.notes(db)
        load_times.append((time.perf_counter() - start) * 1000)

    load_times: list[float] = []
    for _ in range(RUNS):
        load()  # signing the file is the vendor's work: timed inside, from verify on
    sample = scale_data.license_bytes(keys, 999)
    results["license_load"] = figure(
        round(statistics.median(load_times), 2),
        timed(
            lambda: raw.execute(
                "INSERT INTO license_file (loaded_at, loaded_by, serial, license_type, generated,"
                " expires, content, in_force) VALUES (CURRENT_TIMESTAMP, 'floor', 0, 'production',"
                " '2026-01-01', '2100-01-01', ?, 0)",
                (sample,),
            ),
            lambda: raw.execute("DELETE FROM license_file WHERE loaded_by = 'floor'"),
        ),
        300,
    )
    results.update(measure_logons(db, raw))
    raw.close()
    db.close()
    return results


GRANT_MEMBERS = 25_000
GRANT_KEY = "BENCH_ARBITRARY_01"
FLOOR_GRANT_GAIN = """
UPDATE key_usage SET assignable_configured = assignable_configured + (
  SELECT COUNT(*) FROM workgroup_member m JOIN user_account u ON u.id = m.user_id
   WHERE m.workgroup_id = :wg AND u.licenses_enabled AND u.method = 'assignable'
     AND NOT EXISTS (SELECT 1 FROM user_license ul WHERE ul.user_id = u.id AND ul.key = :key)
) WHERE key = :key
"""


def measure_grant(db: Database, raw: sqlite3.Connection, users: int) -> dict[str, Any]:
    """R32: granting a key to a workgroup of 25,000 members commits (checked, counted once
    per member, audited) — against the floor's one grant row and one counter UPDATE."""
    members = min(users, GRANT_MEMBERS)
    raw.execute("BEGIN IMMEDIATE")
    cursor = raw.execute(
        "INSERT INTO workgroup (name, name_key, interaction_types)"
        " VALUES ('Bench Grants', 'bench grants', 'call')"
    )
    wg = cursor.lastrowid
    raw.executemany(
        "INSERT INTO workgroup_member (workgroup_id, user_id) VALUES (?, ?)",
        ((wg, i) for i in range(1, members + 1)),
    )
    floor_key = "BENCH_FLOOR_GRANT"  # its own grant row and counter row, not the product's
    raw.execute(
        "INSERT OR IGNORE INTO key_usage (key, assignable_configured, concurrent_configured,"
        " concurrent_in_use) VALUES (?, 0, 0, 0)",
        (floor_key,),
    )
    raw.execute("COMMIT")

    def raw_grant() -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(
            "INSERT INTO workgroup_license (workgroup_id, key) VALUES (?, ?)", (wg, floor_key)
        )
        raw.execute(FLOOR_GRANT_GAIN, {"wg": wg, "key": floor_key})
        raw.execute("COMMIT")

    def raw_reset() -> None:
        raw.execute("DELETE FROM workgroup_license WHERE key = ?", (floor_key,))
        raw.execute("UPDATE key_usage SET assignable_configured = 0 WHERE key = ?", (floor_key,))

    product = timed(
        lambda: allocation.allocate(db, GRANT_KEY, workgroups=["Bench Grants"]),
        lambda: allocation.deallocate(db, GRANT_KEY, workgroups=["Bench Grants"]),
    )
    floor = timed(raw_grant, raw_reset)
    raw.execute("DELETE FROM key_usage WHERE key = ?", (floor_key,))
    raw.execute("DELETE FROM workgroup_member WHERE workgroup_id = ?", (wg,))
    raw.execute("DELETE FROM workgroup WHERE id = ?", (wg,))
    return {"grant_workgroup_25k": {**figure(product, floor, 1000), "members": members}}


def measure_logons(db: Database, raw: sqlite3.Connection) -> dict[str, Any]:
    try:
        from ia_licensing.services import logon
    except ImportError:
        return {"logon_logoff_10000_pairs": "not measured: logon service not available"}
    pairs = 10_000
    # Users and stations that R20 lets log on and that hold no live session already.
    free_users = [
        name
        for (name,) in raw.execute(
            "SELECT name FROM user_account WHERE id NOT IN (SELECT user_id FROM logon_session)"
            " ORDER BY id LIMIT 20000"
        )
    ]
    free_stations = [
        name
        for (name,) in raw.execute(
            "SELECT s.name FROM station s"
            " JOIN station_license b ON b.station_id = s.id AND b.key = 'I3_LICENSE_BASIC_STATION'"
            " JOIN station_license c ON c.station_id = s.id AND c.key = 'I3_ACCESS_CLIENT'"
            " WHERE s.id NOT IN (SELECT station_id FROM logon_session"
            "                    WHERE station_id IS NOT NULL) ORDER BY s.id LIMIT 20000"
        )
    ]

    def product() -> None:
        for i in range(pairs):
            user = free_users[i % len(free_users)]
            logon.logon(db, user, station=free_stations[(i * 7919) % len(free_stations)])
            logon.logoff(db, user)

    def floor() -> None:
        for i in range(pairs):
            raw.execute("BEGIN IMMEDIATE")
            raw.execute(
                "INSERT INTO logon_session (user_id, station_id, started_at) VALUES (?, ?, 0)",
                (900_000 + i, None),
            )
            raw.execute("COMMIT")
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("DELETE FROM logon_session WHERE user_id = ?", (900_000 + i,))
            raw.execute("COMMIT")

    product_ms = timed(product, runs=1)
    raw_ms = timed(lambda: raw_logon_pairs(raw, pairs), runs=1)
    results = {
        # For information (target None): DESIGN.md replaced the absolute 5 s target of this
        # figure with the ratio below (docs/decisions.md).
        "logon_logoff_10000_pairs": figure(product_ms, timed(floor, runs=1), None),
        # DESIGN.md: one transaction each, within 2.5 × the same statements on the DB-API.
        "logon_logoff_10k_pairs": {
            "median_ms": product_ms,
            "raw_dbapi_ms": raw_ms,
            "ratio_to_raw_dbapi": round(product_ms / raw_ms, 3),
            "target_ratio": 2.5,
            "meets_target": product_ms <= 2.5 * raw_ms,
        },
    }
    results.update(measure_replay(db, raw, free_users, free_stations, pairs))
    return results


RAW_UPSERT_HOUR = """
INSERT INTO usage_hour (key, hour, peak_in_use, last_in_use, allowed)
VALUES (?, ?, ?, ?, COALESCE((SELECT pooled FROM entitlement WHERE key = ?), 0))
ON CONFLICT (key, hour) DO UPDATE SET
  peak_in_use = MAX(peak_in_use, excluded.peak_in_use),
  last_in_use = excluded.last_in_use, allowed = excluded.allowed
"""
RAW_AUDIT = (
    "INSERT INTO audit_event (at, os_user, action, subject, before, after, seq, digest)"
    " VALUES (?, 'bench', ?, ?, '', '', ?, ?)"
)


def raw_logon_pairs(raw: sqlite3.Connection, pairs: int) -> None:
    """What a Concurrent user's logon and logoff do, on the DB-API cursor with no SQLAlchemy
    and no rule code: the same reads (user, session, station, whoever is on it, the keys,
    the counts, the audit tail) and writes (session, its license, Concurrent In Use, the
    usage hour, the audit row), one committed transaction each."""
    key, hour = "I3_ACCESS_CLIENT", "2026-01-01 00:00:00.000000"
    cur = raw.cursor()
    for i in range(pairs):
        user_id = 900_000 + i
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("SELECT id, name, method FROM user_account WHERE name_key = ?", ("user1",))
        cur.execute("SELECT id FROM logon_session WHERE user_id = ?", (user_id,)).fetchall()
        cur.execute("SELECT id, name, enabled FROM station WHERE name_key = ?", ("station1",))
        cur.execute("SELECT user_id FROM logon_session WHERE station_id = ?", (-1,)).fetchall()
        cur.execute("SELECT key FROM user_license WHERE user_id = 1").fetchall()
        cur.execute("SELECT key FROM station_license WHERE station_id = 1").fetchall()
        cur.execute(
            "SELECT * FROM key_usage WHERE key IN (?, ?)", (key, "I3_LICENSE_BASIC_STATION")
        )
        cur.execute(
            "SELECT * FROM entitlement WHERE key IN (?, ?)", (key, "I3_LICENSE_BASIC_STATION")
        )
        cur.execute(
            "INSERT INTO logon_session (user_id, station_id, started_at) VALUES (?, NULL, 0)",
            (user_id,),
        )
        session_id = cur.lastrowid
        cur.execute(
            "INSERT INTO session_license (session_id, key) VALUES (?, ?)", (session_id, key)
        )
        (n,) = cur.execute(
            "UPDATE key_usage SET concurrent_in_use = concurrent_in_use + 1 WHERE key = ?"
            " RETURNING concurrent_in_use",
            (key,),
        ).fetchone()
        cur.execute(RAW_UPSERT_HOUR, (key, hour, n, n, key))
        cur.execute("SELECT seq, digest FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
        cur.execute(RAW_AUDIT, (hour, "logon", "bench", 0, ""))
        cur.execute("COMMIT")
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("SELECT id, name, method FROM user_account WHERE name_key = ?", ("user1",))
        cur.execute("SELECT id FROM logon_session WHERE user_id = ?", (user_id,)).fetchall()
        cur.execute("SELECT key FROM session_license WHERE session_id = ?", (session_id,))
        (n,) = cur.execute(
            "UPDATE key_usage SET concurrent_in_use = concurrent_in_use - 1 WHERE key = ?"
            " RETURNING concurrent_in_use",
            (key,),
        ).fetchone()
        cur.execute(RAW_UPSERT_HOUR, (key, hour, n + 1, n, key))
        cur.execute("DELETE FROM session_license WHERE session_id = ?", (session_id,))
        cur.execute("DELETE FROM logon_session WHERE id = ?", (session_id,))
        cur.execute("SELECT seq, digest FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
        cur.execute(RAW_AUDIT, (hour, "logoff", "bench", 0, ""))
        cur.execute("COMMIT")


def measure_replay(
    db: Database,
    raw: sqlite3.Connection,
    free_users: list[str],
    free_stations: list[str],
    pairs: int,
) -> dict[str, Any]:
    """`sessions replay` of 10,000 logon/logoff pairs (R34: batched, each event in its own
    savepoint, each at its own time) against the floor: the same session rows inserted and
    deleted in one transaction on the DB-API."""
    import datetime as dt

    from ia_licensing.services import replay

    start = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=10)
    lines = ["time,event,user,station,remote_number"]
    for i in range(pairs):
        user = free_users[i % len(free_users)]
        at = start + dt.timedelta(minutes=i)
        station = free_stations[(i * 7919) % len(free_stations)]
        lines.append(f"{at.isoformat()}Z,logon,{user},{station},")
        lines.append(f"{(at + dt.timedelta(seconds=30)).isoformat()}Z,logoff,{user},,")
    data = ("\n".join(lines) + "\n").encode()
    outcome: dict[str, Any] = {}

    def product() -> None:
        result = replay.replay(db, replay.parse_events(data))
        outcome.update(applied=result.applied, refused=result.refused)

    def floor() -> None:
        raw.execute("BEGIN IMMEDIATE")
        for i in range(pairs):
            raw.execute(
                "INSERT INTO logon_session (user_id, station_id, started_at) VALUES (?, ?, 0)",
                (900_000 + i, None),
            )
            raw.execute("DELETE FROM logon_session WHERE user_id = ?", (900_000 + i,))
        raw.execute("COMMIT")

    result = figure(timed(product, runs=1), timed(floor, runs=1), 2000)
    return {"replay_10k_logon_pairs": {**result, **outcome, "events": 2 * pairs}}


def measure_import(pristine: Path, folder: Path, runs: int = RUNS) -> dict[str, Any]:
    """`ia-licensing import users` of 50,000 new users (70 % Assignable with Client Access
    and an ACD level, 30 % Concurrent), from the command line's entry point, each run on a
    fresh copy of the database as built; the floor: the same rows inserted raw."""
    from ia_licensing import cli

    source = folder / "users.csv"
    lines = ["name,method,enable_licenses,licenses"]
    for i in range(50_000):
        method = "assignable" if i % 10 < 7 else "concurrent"
        lines.append(f"agent{i:05d},{method},yes,Client Access;ACD Media {1 + i % 3}")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    trust = folder / "trust"
    trust.mkdir(exist_ok=True)
    (trust / "bench.pub").write_bytes(scale_data.PUBLIC)
    target = folder / "import.sqlite"
    samples, floors = [], []
    for _ in range(runs):
        copy_database(pristine, target)
        args = ["--db", str(target), "--trust-store", str(trust), "import", "users", str(source)]
        said = io.StringIO()  # the command's own output would break this one's JSON
        start = time.perf_counter()
        with contextlib.redirect_stdout(said):
            done = cli.main(args)
        samples.append((time.perf_counter() - start) * 1000)
        if done != 0 or "imported 50000 users" not in said.getvalue():
            raise RuntimeError(f"the benchmark's import was refused: {said.getvalue()[:500]}")
        copy_database(pristine, target)
        raw = raw_connection(target)
        start = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        first = raw.execute("SELECT MAX(id) FROM user_account").fetchone()[0]
        raw.executemany(
            "INSERT INTO user_account (name, name_key, method, licenses_enabled)"
            " VALUES (?, ?, ?, 1)",
            ((f"agent{i:05d}", f"agent{i:05d}", "assignable") for i in range(50_000)),
        )
        raw.executemany(
            "INSERT INTO user_license (user_id, key) VALUES (?, ?)",
            ((first + 1 + i, k) for i in range(50_000) for k in ("I3_ACCESS_CLIENT", "ACD")),
        )
        raw.execute("COMMIT")
        floors.append((time.perf_counter() - start) * 1000)
        raw.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return figure(round(statistics.median(samples), 2), round(statistics.median(floors), 2), 3000)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the whole database (the WAL included), through SQLite."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def peak_memory_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--stations", type=int, default=50_000)
    parser.add_argument("--keys", type=int, default=80)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gui", action="store_true", help="add the console figures (offscreen)")
    parser.add_argument(
        "--only-logons",
        action="store_true",
        help="only the logon/logoff pairs and the replay (R34), not the other figures",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scale.sqlite"
        start = time.perf_counter()
        shape = scale_data.build(path, args.users, args.stations, args.keys, args.seed)
        report: dict[str, Any] = {
            "machine": {"python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version},
            "size": {"users": args.users, "stations": args.stations, "keys": args.keys, **shape},
            "build_seconds": round(time.perf_counter() - start, 1),
        }
        if args.only_logons:
            db, raw = Database(str(path)), raw_connection(path)
            report["figures"] = measure_logons(db, raw)
            raw.close()
            db.close()
        else:
            pristine = Path(folder) / "pristine.sqlite"
            copy_database(path, pristine)  # the import runs against the database as built
            report["figures"] = measure_core(path, args.users)
            report["figures"]["import_50k_users"] = measure_import(pristine, Path(folder))
        if args.gui:
            from gui_figures import measure_gui

            report["gui"] = measure_gui(path, scale_data.TRUST)
        report["peak_resident_memory_mb"] = peak_memory_mb()
        report["figures"]["peak_resident_memory"] = {
            "median_mb": report["peak_resident_memory_mb"],
            "target_mb": 400,
            "meets_target": report["peak_resident_memory_mb"] < 400,
        }
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
