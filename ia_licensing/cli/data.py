"""`ia-licensing import …` and `export …`: CSV import of holders, reports out."""

from __future__ import annotations

import argparse
import sys

from ia_licensing.cli.output import print_notes
from ia_licensing.models import Database
from ia_licensing.services import csv_import, report
from ia_licensing.services.errors import InvalidInput

MAX_IMPORT_BYTES = csv_import.MAX_BYTES


def cmd_import(db: Database, args: argparse.Namespace) -> None:
    try:
        with open(args.file, "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as error:
        raise InvalidInput(f"cannot read {args.file!r}: {error.strerror or error}") from None
    progress = terminal_progress if sys.stderr.isatty() else None
    try:
        result = csv_import.import_csv(db, args.kind, data, dry_run=args.dry_run, progress=progress)
    finally:
        if progress is not None:
            print(file=sys.stderr)  # end the progress line
    print_notes(result.notes)
    if result.errors:
        for row_error in result.errors:
            print(row_error)
        raise InvalidInput(
            f"{len(result.errors)} of {result.rows} rows refused; nothing was imported"
        )
    if result.applied:
        print(f"imported {result.rows} {result.kind.value}")
    else:
        print(f"dry run: all {result.rows} {result.kind.value} can be imported; nothing changed")


def terminal_progress(phase: str, done: int, total: int) -> None:
    """One line on the terminal, rewritten in place: "checking 12,000 of 50,000 rows"."""
    print(f"\r{phase} {done:,} of {total:,} rows", end="", file=sys.stderr, flush=True)


def cmd_export(db: Database, args: argparse.Namespace) -> None:
    built = report.build(db)
    if args.format == "csv":
        report.save_file(args.out, report.csv_bytes(built))
    else:
        from ia_licensing.report_pdf import write_pdf

        write_pdf(built, args.out)
    print(f"wrote {args.out}")
