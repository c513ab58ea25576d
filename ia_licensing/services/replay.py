"""Session replay (R34): a server's logon/logoff events applied at their own times.

The file is read and checked whole first (`parse_events`): a malformed line refuses it,
naming the line, before anything is applied. Then each event goes through exactly the live
decisions (`logon.logon_with` / `logon.logoff_with`: R20–R25, R28, R31), at the event's time
(`usage_history.at`): the session's start and the usage history take that time. A refused
logon is a denial (recorded as a live one is: audit row and usage denial), counted by rule,
not an error.

Batched: `BATCH` events per transaction, each its own savepoint, against a `BatchStore`
(replay_store.py) that reads the batch's facts at once and writes its aggregates at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ia_licensing.models import Database
from ia_licensing.services import logon, usage_history
from ia_licensing.services.errors import InvalidInput, NotFound, Refused
from ia_licensing.services.logon_store import LogonStore
from ia_licensing.services.replay_store import BatchStore

COLUMNS = ("time", "event", "user", "station", "remote_number")
BATCH = 1000
MAX_EVENTS = 10_000_000
NOT_FOUND = "not found"  # a user or station the database does not have
INVALID = "invalid"  # e.g. the logoff of a user who is not logged on


class EventKind(StrEnum):
    LOGON = "logon"
    LOGOFF = "logoff"


@dataclass(frozen=True)
class Event:
    line: int
    time: dt.datetime  # naive UTC, as the database keeps times
    kind: EventKind
    user: str
    station: str | None
    remote_number: str | None


@dataclass(frozen=True)
class ReplayResult:
    applied: int
    refused: dict[str, int]  # rule (or NOT_FOUND / INVALID) → events
    events: int
    dry_run: bool = False


def _time(text: str, line: int) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"line {line}: time {text!r} is not ISO 8601") from None
    if value.tzinfo is not None:  # with an offset: to UTC; without one: taken as UTC
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def parse_events(data: bytes) -> list[Event]:
    """Every event of the file, in time order (the file's order among equal times); any
    malformed line refuses the whole file, naming the line (InvalidInput)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"the file is not UTF-8 text ({error.reason})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            f"line 1: missing column(s) {', '.join(missing)}; need {', '.join(COLUMNS)}"
        )
    at = {c: header.index(c) for c in COLUMNS}
    events = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise InvalidInput(f"line {line}: {len(row)} fields, the header has {len(header)}")
        cell = {c: row[i].strip() for c, i in at.items()}
        try:
            kind = EventKind(cell["event"].lower())
        except ValueError:
            raise InvalidInput(
                f"line {line}: event {cell['event']!r} is neither logon nor logoff"
            ) from None
        if not cell["user"]:
            raise InvalidInput(f"line {line}: no user")
        station, number = cell["station"] or None, cell["remote_number"] or None
        if kind is EventKind.LOGON and (station is None) == (number is None):
            raise InvalidInput(f"line {line}: a logon names a station or a remote number (one)")
        events.append(Event(line, _time(cell["time"], line), kind, cell["user"], station, number))
        if len(events) > MAX_EVENTS:
            raise InvalidInput(f"line {line}: more than {MAX_EVENTS:,} events")
    events.sort(key=lambda e: e.time)  # stable: the file's order among equal times
    return events


def _apply(store: LogonStore, event: Event) -> str | None:
    """Apply one event as live; None if applied, else what refused it."""
    try:
        with usage_history.at(event.time):
            if event.kind is EventKind.LOGON:
                logon.logon_with(
                    store, event.user, station=event.station, remote_number=event.remote_number
                )
            else:
                logon.logoff_with(store, event.user)
    except Refused as refusal:
        return refusal.rule
    except NotFound:
        return NOT_FOUND
    except InvalidInput:
        return INVALID
    return None


def replay(
    db: Database,
    events: Sequence[Event],
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    batch: int = BATCH,
) -> ReplayResult:
    """Apply `events` in order; a dry run applies them in one transaction rolled back."""
    refused: Counter[str] = Counter()
    done = 0

    def run(chunk: Sequence[Event]) -> None:
        nonlocal done
        with db.write_cursor() as cursor:  # the batch's transaction (a dry run's savepoint)
            users = {e.user for e in chunk}
            stations = {e.station for e in chunk if e.station is not None}
            store = BatchStore.load(cursor, users, stations)
            for event in chunk:
                outcome = _apply(store, event)
                if outcome is not None:
                    refused[outcome] += 1
            store.flush()
        done += len(chunk)
        if progress is not None:
            progress(done, len(events))

    if dry_run:
        with db.all_or_nothing(commit=False):
            for start in range(0, len(events), batch):
                run(events[start : start + batch])
    else:
        for start in range(0, len(events), batch):
            run(events[start : start + batch])
    return ReplayResult(
        len(events) - sum(refused.values()), dict(sorted(refused.items())), len(events), dry_run
    )
