"""`findings chart NAME --out FILE.png|svg`: draw one chart of the database."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import DEFAULT_DB, DbOption, console, fail


class ChartName(StrEnum):
    theme_heatmap = "theme-heatmap"
    headline_bands = "headline-bands"
    theme_balance = "theme-balance"


class GroupBy(StrEnum):
    region = "region"
    year = "year"
    template = "template"


class Kind(StrEnum):
    strength = "strength"
    improvement = "improvement"


def register(app: typer.Typer) -> None:
    app.command("chart")(chart)


def chart(
    name: Annotated[ChartName, typer.Argument(help="Which chart.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="PNG or SVG file to write.")],
    by: Annotated[GroupBy, typer.Option(
        help="theme-heatmap: columns by region, year or template (framework).")]
    = GroupBy.region,
    kind: Annotated[Kind, typer.Option(help="theme-heatmap: which kind of finding.")]
    = Kind.improvement,
    domain: Annotated[
        str, typer.Option(help="headline-bands: one domain only (e.g. risk_of_harm).")
    ] = "",
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """theme-heatmap: share of reports with a finding on each theme, by region, year or framework;
    headline-bands: each area's headline scores on the national band of the time;
    theme-balance: strengths against areas for improvement per theme."""
    from publish import charts
    from publish.outputs import PublishError, output_file
    from publish.query import open_readonly

    options: dict = {}
    if name is ChartName.theme_heatmap:
        options = {"by": by.value, "kind": kind.value}
    elif name is ChartName.headline_bands:
        options = {"domain": domain}
    try:
        output_file(out, charts.CHART_SUFFIXES)  # a bad path fails before drawing
        con = open_readonly(db)
        try:
            figure = charts.draw(con, name.value, **options)
        finally:
            con.close()
        path = charts.save(figure, out)
    except PublishError as exc:
        fail(str(exc), code=exc.exit_code)
    console.print(f"Wrote {path}", highlight=False, markup=False)
