"""`findings ingest PATH...`: load PDFs and saved web pages (files or folders) into the database.

As the Prefect flow `ingest-reports` when a Prefect server is configured (or with --prefect);
otherwise in this process and its workers without Prefect (flows/ingest_work.py), which saves
Prefect's import and its temporary API server: seconds on every run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.commands import common
from flows.commands.common import DEFAULT_DB, DbOption, console, fail, quiet_prefect


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)


def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="PDF files, saved web pages (.html/.htm) and/or folders (searched"
                            " for *.pdf, *.html, *.htm)."),
    ],
    db: DbOption = Path(DEFAULT_DB),
    workers: Annotated[
        int | None, common.workers_option("Worker processes (default: number of CPUs).")
    ] = None,
    max_pages: Annotated[
        int | None,
        typer.Option("--max-pages", min=1, envvar="FINDINGS_MAX_PAGES",
                     help="Reject longer PDFs as too_many_pages (default 500)."),
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", min=1, envvar="FINDINGS_TIME_LIMIT",
                     help="Processor seconds to read one file before it is stopped as timeout"
                     " (default 120)."),
    ] = None,
    dask_address: Annotated[
        str | None,
        common.dask_address_option(
            "Parse on an existing Dask cluster, e.g. tcp://host:8786 (see docs/scaling.md)."
        ),
    ] = None,
    reader: Annotated[
        str | None,
        typer.Option("--reader", envvar="FINDINGS_READER",
                     help="PDF character source: pdfium (default, fast) or pdfplumber (the"
                     " reference); both give the same reports."),
    ] = None,
    prefect: Annotated[
        bool,
        typer.Option("--prefect", help="Run as a Prefect flow even without a configured Prefect"
                     " server (Prefect then starts a temporary local API: ~10 s more)."),
    ] = False,
) -> None:
    """Read, parse and load inspection reports; rejected files are listed with reasons.

    Runs as the Prefect flow `ingest-reports` when a Prefect server is configured
    (PREFECT_API_URL in the environment or the active Prefect profile), with --prefect or
    --dask-address; otherwise in this process, without Prefect.
    """
    quiet_prefect()
    if reader is not None:
        reader = reader.strip().lower()
        if reader not in ("pdfium", "pdfplumber"):
            fail(f"unknown --reader {reader!r}: choose pdfium or pdfplumber")
    from flows.discover import MissingPath, discover_pdfs

    try:
        files = discover_pdfs(paths)
    except MissingPath as exc:
        fail(str(exc))
    as_flow = prefect or dask_address is not None or common.prefect_api_url() is not None
    if files and not as_flow and (time_limit is None or time_limit > 0):
        _start_readers_server()
    new_database = not db.exists()
    common.open_database_or_fail(db)
    if not files:
        console.print(f"No PDF or web page files found under: {', '.join(str(p) for p in paths)}")
        return
    from flows.unchanged import record_if_nothing_new

    unchanged = None if new_database else record_if_nothing_new(
        [str(p) for p in paths], str(db), workers)
    if unchanged is not None:  # all known: no need to start Prefect (seconds) at all
        _print_summary(unchanged)
        return

    from flows.progress import reporting_progress

    if as_flow:
        from flows.ingest import ingest_reports as run
    else:
        from flows.ingest_work import run_locally as run

    _exit_cleanly_on_sigterm()
    with _ProgressBar() as bar, reporting_progress(bar):
        try:
            limits = {k: v for k, v in (("max_pages", max_pages), ("time_limit", time_limit),
                                        ("dask_address", dask_address), ("reader", reader))
                      if v is not None}  # unset: the defaults
            summary = run([str(p) for p in paths], db_path=str(db), workers=workers, **limits)
        except Exception as exc:  # noqa: BLE001 - one line, no traceback, for the CLI user
            fail(f"ingest failed: {type(exc).__name__}: {exc}", code=1)
    _print_summary(summary)


def _start_readers_server() -> None:
    """Start the server the reader processes fork from (flows/isolate.py) before the database
    is opened and the files hashed: its imports (~0.5 s of CPU) then run on the other core
    instead of after them. If every file turns out to be loaded already, it just exits."""
    from flows.isolate import start_forkserver

    start_forkserver()


def _exit_cleanly_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit (code 143).

    Prefect re-sends SIGTERM to the process after marking the flow run crashed; with the
    default handler the process would die at once, skipping the clean-up that stops Prefect's
    temporary API server, which would then be left running.
    """
    import signal

    def _exit(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)


class _ProgressBar:
    """A rich progress bar fed by the flow's per-file outcomes."""

    def __enter__(self) -> _ProgressBar:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self._progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._progress.__enter__()
        self._task = self._progress.add_task("Starting", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)

    def start(self, total: int) -> None:
        self._progress.update(self._task, total=total, description="Ingesting")

    def advance(self, outcome) -> None:  # outcome: flows.summary.FileOutcome
        name = Path(outcome.path).name
        self._progress.update(self._task, advance=1, description=f"{outcome.status} {name}")


def _print_summary(summary) -> None:  # summary: flows.summary.IngestSummary
    from rich.table import Table

    table = Table(title=f"Ingest into {summary.db_path}", show_header=True)
    for column in ("files", "loaded", "replaced", "skipped", "rejected", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(
        str(len(summary.files)),
        str(summary.loaded),
        str(summary.replaced),
        str(summary.skipped),
        str(summary.rejected),
        f"{summary.seconds or 0:.1f}",
    )
    console.print(table)
    if summary.rejections:
        rejected = Table(title="Rejected files", show_header=True)
        rejected.add_column("file")
        rejected.add_column("reason")
        rejected.add_column("detail")
        for f in summary.rejections:
            rejected.add_row(Path(f.path).name, f.reason or "", f.detail or "")
        console.print(rejected)
