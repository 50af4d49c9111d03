"""`findings trace FINDING_ID --out FILE.png`: the PDF page a finding came from, highlighted."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import DEFAULT_DB, DbOption, console, fail


def register(app: typer.Typer) -> None:
    app.command("trace")(trace)


def trace(
    finding_id: Annotated[str, typer.Argument(help="findings.finding_id, e.g. 0a1b...:2.1:I1")],
    out: Annotated[Path, typer.Option("--out", "-o", help="PNG file to write.")],
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", help="The report's PDF, if it has moved since ingest.",
                     dir_okay=False),
    ] = None,
    resolution: Annotated[int, typer.Option(min=36, max=300, help="Pixels per inch.")] = 110,
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Render the page(s) a finding was read from with its text boxes highlighted, so any
    number can be checked against the source (the PDF's sha256 must match); for a report read
    from a web page, its section instead of a page image."""
    from publish.outputs import PublishError, output_file
    from publish.query import open_readonly
    from publish.trace import finding_source, locate_pdf, render_trace, theme_lines

    try:
        output_file(out, (".png",))
        con = open_readonly(db)
        try:
            source = finding_source(con, finding_id)
        finally:
            con.close()
        result = render_trace(source, locate_pdf(source, pdf), out, resolution)
    except PublishError as exc:
        fail(str(exc), code=exc.exit_code)
    if source.source_kind == "html":
        console.print(f"Wrote {result.path}: {source.caption}; section: "
                      f"{result.section or '(not found)'}", highlight=False, markup=False)
    else:
        pages = ", ".join(str(p) for p in result.pages)
        console.print(f"Wrote {result.path}: {source.caption}; page {pages}, "
                      f"{result.highlighted} boxes highlighted", highlight=False, markup=False)
    if result.note:
        console.print(f"[yellow]note:[/] {result.note}", highlight=False)
    console.print(source.text, style="dim", highlight=False, markup=False)
    for line in theme_lines(source) or ["no themes"]:
        console.print(f"  theme: {line}", highlight=False, markup=False)
