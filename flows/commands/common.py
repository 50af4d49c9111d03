"""Small helpers every CLI command shares: the --db option, one-line errors, quiet Prefect.

Nothing heavy is imported here so `findings --help` stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

DEFAULT_DB = "findings.duckdb"  # same as load.db.DEFAULT_DB, without importing duckdb

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path, typer.Option("--db", help="DuckDB database file.", dir_okay=False, show_default=True)
]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear line to stderr and exit non-zero."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def quiet_prefect() -> None:
    """Keep Prefect's console quiet for CLI use; run records and API logs are kept.

    Must run before Prefect is imported. Values the user has set win.
    """
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "ERROR")
    # the temporary server Prefect starts without PREFECT_API_URL can take a while on a busy box
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
