"""`findings serve --inbox DIR`: ingest new reports (PDFs, web pages) from a folder (and a web
source) on a schedule."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.commands import common
from flows.commands.common import DEFAULT_DB, DbOption, console, fail, quiet_prefect


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    inbox: Annotated[
        Path,
        typer.Option("--inbox", file_okay=False, help="Folder to watch for new report PDFs."),
    ],
    every: Annotated[
        str | None,
        typer.Option("--every", help="Run interval: 30s, 15m, 6h, 1d (default 15m)."),
    ] = None,
    cron: Annotated[
        str | None,
        typer.Option("--cron", help='Cron schedule in UTC instead, e.g. "0 6 * * *".'),
    ] = None,
    db: DbOption = Path(DEFAULT_DB),
    move: Annotated[
        bool,
        typer.Option(
            "--move", help="Move ingested files to processed/ and rejected ones to rejected/."
        ),
    ] = False,
    source_url: Annotated[
        str | None,
        typer.Option(
            "--source-url",
            help="HTML index of PDFs, text list of report URLs (PDFs, .html pages) or one report's"
                 " web page; new reports are downloaded into the inbox.",
        ),
    ] = None,
    workers: Annotated[
        int | None, common.workers_option("Worker processes (default: number of CPUs).")
    ] = None,
    dask_address: Annotated[
        str | None, common.dask_address_option("Parse on this Dask cluster, e.g. tcp://host:8786.")
    ] = None,
    max_runs: Annotated[
        int | None,
        typer.Option(
            "--max-runs",
            min=1,
            help="Stop after this many runs, the first included (default: never).",
        ),
    ] = None,
) -> None:
    """Run once now, then on the schedule: fetch, ingest what is new, record the rest.

    With PREFECT_API_URL set, the flow is served as the Prefect deployment 'ingest-inbox/inbox'
    and its runs show in the Prefect UI; without a server this process keeps the schedule.
    See docs/scheduling.md.
    """
    if inbox.exists() and not inbox.is_dir():
        fail(f"inbox {inbox} is not a folder")
    quiet_prefect()
    from flows.serve import ScheduleError, flow_parameters, parse_schedule, serve_inbox

    try:
        schedule = parse_schedule(every, cron)
    except ScheduleError as exc:
        fail(str(exc))
    common.open_database_or_fail(db)
    inbox.mkdir(parents=True, exist_ok=True)
    params = flow_parameters(
        inbox, str(db), move=move, source_url=source_url, workers=workers, dask_address=dask_address
    )
    console.print(
        f"Watching {params['inbox']} ({schedule.describe()}), database {params['db_path']}"
    )
    try:
        serve_inbox(schedule, params, max_runs=max_runs, echo=console.print)
    except KeyboardInterrupt:
        console.print("Stopped.")
