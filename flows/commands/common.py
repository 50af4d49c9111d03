"""Small helpers the CLI commands share: common options, one-line errors, quiet Prefect.

Nothing heavy is imported here so `findings --help` stays fast.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

DEFAULT_DB = "findings.duckdb"  # same as load.db.DEFAULT_DB, without importing duckdb

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path, typer.Option("--db", help="DuckDB database file.", dir_okay=False, show_default=True)
]

ThemeIdsOption = Annotated[
    list[str] | None, typer.Option("--theme", "-t", help="Only this theme id (repeatable).")
]

# Every stored tag is the tagger's own best call (thresholds chosen for agreement with careful
# readers), so the default keeps them all; a higher bar trades recall for precision.
MinConfidenceOption = Annotated[float, typer.Option(
    "--min-confidence", min=0.0, max=1.0,
    help="Leave out theme tags below this confidence (0-1). Default 0: every tag the tagger "
         "made; 0.7 or 0.9 for fewer, surer tags (docs/themes.md).")]


# --workers and --dask-address mean the same in `ingest` and `serve`; each command words the help.
def workers_option(help_text: str) -> Any:
    """--workers N: processes that read and parse PDFs (unset: the flow's default)."""
    return typer.Option("--workers", min=1, help=help_text)


def dask_address_option(help_text: str) -> Any:
    """--dask-address URL: parse on an existing Dask cluster instead of local processes."""
    return typer.Option("--dask-address", help=help_text)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear line to stderr and exit non-zero."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_database_or_fail(db: Path) -> None:
    """Open (creating or upgrading) and close the database before any work starts, so an
    unwritable or locked one fails at once with one line."""
    from load.db import DatabaseError, connect

    try:
        connect(db).close()
    except DatabaseError as exc:
        fail(str(exc))


def quiet_prefect() -> None:
    """Keep Prefect's console quiet for CLI use; run records and API logs are kept.

    Must run before Prefect is imported. Values the user has set win.
    """
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "ERROR")
    # the temporary server Prefect starts without PREFECT_API_URL can take a while on a busy box
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def prefect_api_url() -> str | None:
    """PREFECT_API_URL from the environment or the active Prefect profile, else None: whether
    `ingest` and `retag` run as Prefect flows.

    Read here without importing Prefect (its import alone costs seconds). Covers the usual
    ways to point at a server: the variable, or `prefect config set PREFECT_API_URL=...`.
    """
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active")
    table = profiles.get("profiles")
    profile = table.get(active) if isinstance(table, dict) and isinstance(active, str) else None
    url = profile.get("PREFECT_API_URL") if isinstance(profile, dict) else None
    return str(url) if url else None
