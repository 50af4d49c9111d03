"""`findings search QUERY`: ranked full-text search with citations (publish/search.py).

Opens the database read-only and without file-system access, like `sql` and `query`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import DEFAULT_DB, DbOption, MinConfidenceOption, console
from flows.commands.query import FormatOption, OutputFormat, _print, readonly

# the compact view for the terminal and Markdown; csv and json carry every column
SHORT_COLUMNS = ["score", "area", "year", "source", "criterion", "kind", "seq", "page",
                 "snippet", "file_name"]


def register(app: typer.Typer) -> None:
    app.command("search")(search)


def search(
    query: Annotated[str, typer.Argument(
        help='Words and "quoted phrases", e.g. \'victims "management oversight"\'.')],
    source: Annotated[list[str] | None, typer.Option(
        "--source", "-s",
        help="finding | recommendation | good_practice | service_users (repeatable).")] = None,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", "-k", help="strength | improvement (findings); children_and_young_people |"
        " victims (service users' points). Repeatable.")] = None,
    theme: Annotated[list[str] | None, typer.Option(
        "--theme", "-t", help="Only texts tagged with this theme id (repeatable).")] = None,
    template: Annotated[list[str] | None, typer.Option(
        "--template", help="Report template, e.g. cci-2009, or its family: cci, yjs.")] = None,
    area: Annotated[list[str] | None, typer.Option(
        "--area", "-a", help="Area name or part of it, any case (repeatable).")] = None,
    year: Annotated[list[int] | None, typer.Option(
        "--year", "-y", help="Report year (repeatable).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most hits to show.")] = 20,
    min_confidence: MinConfidenceOption = 0.0,
    db: DbOption = Path(DEFAULT_DB),
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Search findings, recommendations, good practice and service users' points, best first.

    Ranked by BM25; texts with every word and phrase come first. Word forms match
    ("victim" finds "victims"); "quoted words" match as a phrase.
    """
    from publish.formatting import Rows
    from publish.search import COLUMNS, Filters, search_rows

    filters = Filters(sources=source or [], kinds=kind or [], themes=theme or [],
                      templates=template or [], areas=area or [], years=year or [])
    with readonly(db, min_confidence) as con:  # a PublishError inside is one line on stderr
        hits = Rows(COLUMNS, search_rows(con, query, filters, limit))
    if fmt in (OutputFormat.table, OutputFormat.markdown):
        hits = hits[SHORT_COLUMNS]
    if fmt is OutputFormat.table and hits.empty:
        console.print(f"[dim]no text matches {query!r}[/]", highlight=False)
        return
    _print(hits, fmt)
