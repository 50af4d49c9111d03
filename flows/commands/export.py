"""`findings export themes`: theme summaries and their quotes to CSV, XLSX, Parquet or Markdown."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import (
    DEFAULT_DB,
    DbOption,
    MinConfidenceOption,
    ThemeIdsOption,
    console,
    fail,
)

export_app = typer.Typer(help="Write database contents to files for use elsewhere.",
                         no_args_is_help=True)


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"
    md = "md"


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


@export_app.command("themes")
def export_themes(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help="File format [default: from the --out suffix]."),
    ] = None,
    theme: ThemeIdsOption = None,
    template: Annotated[
        str | None, typer.Option("--template", help="Only reports of this template, e.g."
                                 " cci-2009 or yjs-2018.")
    ] = None,
    min_confidence: MinConfidenceOption = 0.0,
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Per theme: reports and areas with it as strength / area for improvement, shares,
    typical proportion phrases, and every quote with its citation and report template."""
    from publish.export import export_themes as write
    from publish.outputs import PublishError
    from publish.query import open_readonly

    try:
        con = open_readonly(db, min_confidence=min_confidence)
        try:
            path = write(con, out, fmt.value if fmt else None, theme, template)
        finally:
            con.close()
    except PublishError as exc:
        fail(str(exc), code=exc.exit_code)
    console.print(f"Wrote {path}", highlight=False, markup=False)
