"""`ia-licensing usage …` (R33) and `sessions replay EVENTS.csv` (R34)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ia_licensing import catalog
from ia_licensing.cli.output import json_time, print_json, print_table, table_time
from ia_licensing.cli.suggest import licensed_keys, resolve
from ia_licensing.models import Database
from ia_licensing.services import replay, usage_history
from ia_licensing.services.errors import InvalidInput


def day_start(day: dt.date | None) -> dt.datetime | None:
    """A --since/--until date: the start of that day (UTC, as the history keeps time)."""
    return None if day is None else dt.datetime.combine(day, dt.time())


def cmd_usage(db: Database, args: argparse.Namespace) -> None:
    key = resolve(args.key, licensed_keys(db)) if args.key else None
    until = day_start(args.until)
    rows = usage_history.usage_rows(db, key, day_start(args.since), until, args.by)
    if args.json:
        print_json(
            [
                {
                    "key": r.key,
                    "period_start": json_time(r.period_start),
                    "peak_in_use": r.peak_in_use,
                    "allowed": r.allowed,
                    "denials": r.denials,
                }
                for r in rows
            ]
        )
        return
    print_table(
        ("License", "Period Start", "Peak In Use", "Allowed", "Denials"),
        [
            (
                catalog.describe(r.key).display_name,
                table_time(r.period_start),
                r.peak_in_use,
                r.allowed,
                r.denials,
            )
            for r in rows
        ],
    )


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\rreplaying: {done:,} of {total:,} events")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_replay(db: Database, args: argparse.Namespace) -> None:
    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read {args.file}: {error.strerror or error}") from None
    events = replay.parse_events(data)  # the whole file first: nothing applied if malformed
    progress = _progress if sys.stderr.isatty() else None
    result = replay.replay(db, events, dry_run=args.dry_run, progress=progress)
    if args.json:
        print_json({"applied": result.applied, "refused": result.refused, "events": result.events})
        return
    what = "dry run, nothing changed: " if result.dry_run else ""
    print(f"{what}{result.events} events, {result.applied} applied")
    for rule, count in result.refused.items():
        print(f"refused ({rule}): {count}")
