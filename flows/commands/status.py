"""`findings status`: what the database holds, the last ingest run, and rejected files."""

from __future__ import annotations

from pathlib import Path

import typer

from flows.commands.common import DEFAULT_DB, DbOption, console, fail


def register(app: typer.Typer) -> None:
    app.command("status")(status)


def status(db: DbOption = Path(DEFAULT_DB)) -> None:
    """Row counts per table, the last ingest run, and files rejected with their reasons."""
    from rich.table import Table

    from load.db import DatabaseError, connect
    from load.status import database_status

    try:
        con = connect(db, read_only=True)
    except DatabaseError as exc:
        fail(str(exc))
    try:
        info = database_status(con)
    finally:
        con.close()

    console.print(f"Database [bold]{db}[/] (schema version {info.schema_version})")
    counts = Table(title="Rows per table")
    counts.add_column("table")
    counts.add_column("rows", justify="right")
    for name, rows in info.table_rows.items():
        counts.add_row(name, str(rows))
    console.print(counts)
    if info.families:
        console.print("Reports: " + "; ".join(
            f"{f['reports']} {f['template']} ({f['first_year']}–{f['last_year']}"
            + (f", {f['web_pages']} from web pages" if f.get("web_pages") else "") + ")"
            for f in info.families
        ), highlight=False)

    if info.readers:
        console.print("Read by: " + "; ".join(
            f"{r['reader']} {r['files']} files ({r['percent']}%)"
            + (f", {r['fell_back']} after pdfium could not" if r["fell_back"] else "")
            for r in info.readers
        ) + " (reader_fallback in report_files / rejected_files says why)", highlight=False)

    if info.last_run:
        run = info.last_run
        console.print(
            f"Last ingest: {run['started_at']:%Y-%m-%d %H:%M:%S} UTC, "
            f"{run['loaded'] or 0} loaded ({run['replaced'] or 0} replaced), "
            f"{run['skipped'] or 0} skipped, {run['rejected'] or 0} rejected"
            + ("" if run["finished_at"] else " [yellow](did not finish)[/]")
        )
    else:
        console.print("No ingest run yet.")

    if info.rejected:
        rejected = Table(title="Rejected files")
        for column in ("file", "reason", "detail", "seen at"):
            rejected.add_column(column)
        for row in info.rejected:
            rejected.add_row(
                Path(row["path"]).name,
                row.get("category") or row["reason"],
                row["detail"] or "",
                f"{row['seen_at']:%Y-%m-%d %H:%M}",
            )
        console.print(rejected)

    if info.flagged:
        flagged = Table(title="Reports loaded with failed data-quality checks (table data_quality)")
        for column in ("file", "area", "year", "failed", "details"):
            flagged.add_column(column)
        for row in info.flagged:
            flagged.add_row(row["file_name"], row["area"] or "", str(row["year"] or ""),
                            str(row["failed_checks"]), row["details"])
        console.print(flagged)
