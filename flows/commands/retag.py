"""`findings retag`: re-run themes, proportions and acronyms over the stored texts (no PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import DEFAULT_DB, DbOption, console, fail, quiet_prefect

DataFile = Annotated[Path | None, typer.Option(exists=True, dir_okay=False,
                                               help="Use this file instead of the shipped one.")]


def register(app: typer.Typer) -> None:
    app.command("retag")(retag)


def retag(
    db: DbOption = Path(DEFAULT_DB),
    themes: DataFile = None,
    lexicon: DataFile = None,
    glossary: DataFile = None,
) -> None:
    """Re-tag every stored finding, recommendation and good-practice text after the theme
    taxonomy, proportion lexicon or default glossary changed; one transaction."""
    if not db.exists():
        fail(f"no database at {db} (run `findings ingest` first)")
    quiet_prefect()
    from flows.retag import retag as retag_flow
    from load.db import DatabaseError

    try:
        summary = retag_flow(str(db), str(themes or ""), str(lexicon or ""), str(glossary or ""))
    except (DatabaseError, ValueError, OSError) as exc:
        fail(str(exc))
    console.print(
        f"Retagged {summary.texts} texts of {summary.reports} reports in {summary.seconds}s: "
        f"{summary.theme_matches} theme matches, {summary.proportions} proportion phrases, "
        f"{summary.acronyms} acronyms."
    )
