"""`findings retag`: re-run themes, proportions and acronyms over the stored texts (no PDF).

Runs in this process unless a Prefect server is configured or `--prefect` is given: the work
takes seconds, while importing Prefect and starting its temporary API server takes longer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import (
    DEFAULT_DB,
    DbOption,
    console,
    fail,
    prefect_api_url,
    quiet_prefect,
)

DataFile = Annotated[Path | None, typer.Option(exists=True, dir_okay=False,
                                               help="Use this file instead of the shipped one.")]
PrefectOption = Annotated[bool, typer.Option(
    "--prefect", help="Run as a Prefect flow even without a configured Prefect server "
                      "(Prefect then starts a temporary local API: ~10 s more).")]
ModelOption = Annotated[Path | None, typer.Option(
    "--model", exists=True, file_okay=False,
    help="A theme model folder from `findings themes train` (brings its own taxonomy).")]
WorkersOption = Annotated[int | None, typer.Option(
    "--workers", min=1, help="Processes that share the annotating (default: the number of "
                             "CPUs; one for a small database).")]


def register(app: typer.Typer) -> None:
    app.command("retag")(retag)


def retag(
    db: DbOption = Path(DEFAULT_DB),
    themes: DataFile = None,
    model: ModelOption = None,
    lexicon: DataFile = None,
    glossary: DataFile = None,
    prefect: PrefectOption = False,
    workers: WorkersOption = None,
) -> None:
    """Re-tag every stored finding, recommendation and good-practice text after the theme
    model, taxonomy, proportion lexicon or default glossary changed; one transaction.

    Themes come from the shipped model unless --model names another; --themes alone tags
    with that taxonomy's rules only.

    Runs as the Prefect flow `retag` only when a Prefect server is configured (PREFECT_API_URL
    in the environment or the active Prefect profile) or with --prefect; otherwise in this
    process, without Prefect.
    """
    if not db.exists():
        fail(f"no database at {db} (run `findings ingest` first)")
    if model and themes:
        fail("give --model (a trained model brings its taxonomy) or --themes, not both")
    from load.db import DatabaseError

    api_url = prefect_api_url()
    if prefect or api_url:
        quiet_prefect()
        from flows.retag import retag as run

        how = (f"as Prefect flow run 'retag' on {api_url}" if api_url else
               "as Prefect flow run 'retag' (Prefect's temporary local API)")
    else:
        from flows.retag_work import retag_database as run

        how = "in this process (no Prefect server configured; --prefect to run as a flow)"
    try:
        summary = run(str(db), str(themes or ""), str(lexicon or ""), str(glossary or ""),
                      workers, str(model or ""))
    except (DatabaseError, ValueError, OSError) as exc:
        fail(str(exc))
    processes = "1 process" if summary.workers == 1 else f"{summary.workers} processes"
    console.print(
        f"Retagged {summary.texts} texts of {summary.reports} reports in {summary.seconds}s "
        f"({processes}), {how}: {summary.theme_matches} theme tags, {summary.proportions} "
        f"proportion phrases, {summary.acronyms} acronyms.",
        highlight=False,
    )
