"""`findings report --out DIR`: a static, self-contained HTML report of the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import DEFAULT_DB, DbOption, console, fail


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the pages into.",
                                      file_okay=False)],
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Summary tables, charts, a page per theme with its quotes and citations, and a page per
    report; opens from disk (no server, no internet)."""
    from publish.html_report import build_site
    from publish.outputs import PublishError, output_dir
    from publish.query import open_readonly

    try:
        output_dir(out)
        con = open_readonly(db)
        try:
            site = build_site(con, out, db_name=Path(db).name)
        finally:
            con.close()
    except PublishError as exc:
        fail(str(exc), code=exc.exit_code)
    console.print(f"Wrote {site.index} ({site.theme_pages} theme pages, "
                  f"{site.report_pages} report pages)", highlight=False, markup=False)
