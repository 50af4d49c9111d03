"""`findings sql` and `findings query`: read the database from the terminal.

Both open the database read-only, so they can run while nothing else writes it, and a
mistake in a query can never change the data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.commands.common import DEFAULT_DB, DbOption, MinConfidenceOption, console, fail


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="How to print the rows.")
]


def register(app: typer.Typer) -> None:
    app.command("sql")(sql)
    app.command("query")(query)


def sql(
    statement: Annotated[str, typer.Argument(help='SQL to run, e.g. "SELECT * FROM reports".')],
    db: DbOption = Path(DEFAULT_DB),
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Run one SQL statement on a read-only connection and print the rows."""
    from publish.query import run

    with readonly(db) as con:
        rows = run(con, statement)
    _print(rows, fmt)


def query(
    name: Annotated[str | None, typer.Argument(help="Named query (see --list).")] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="Parameter as key=value (repeatable)."),
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    min_confidence: MinConfidenceOption = 0.0,
    db: DbOption = Path(DEFAULT_DB),
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Run a named query from sql/queries/ with bound parameters; --list shows them all."""
    from publish.query import list_queries, parse_params, run_named

    if list_:
        _print_query_list(list_queries())
        return
    if not name:
        fail("give a query name, or --list to see them", code=2)
    with _one_line_errors():
        values = parse_params(param or [])  # a bad --param is said before the database is opened
    with readonly(db, min_confidence) as con:
        rows = run_named(con, name, values)
    _print(rows, fmt)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """A PublishError (bad input, SQL error, no database) ends the command with its one line."""
    from publish.outputs import PublishError

    try:
        yield
    except PublishError as exc:
        fail(str(exc), code=exc.exit_code)


@contextmanager
def readonly(db: Path, min_confidence: float = 0.0) -> Iterator[Any]:
    """A read-only connection to `db` with no file-system access (no read_csv, COPY, ATTACH,
    INSTALL...), closed after use; errors as `_one_line_errors`. Theme tags below
    `min_confidence` are left out of the views."""
    from publish.query import open_readonly

    with _one_line_errors():
        con = open_readonly(db, sandboxed=True, min_confidence=min_confidence)
        try:
            yield con
        finally:
            con.close()


def _print(rows, fmt: OutputFormat) -> None:
    from publish.formatting import render, rich_table

    if fmt is OutputFormat.table:
        console.print(rich_table(rows, width=console.width))
        console.print(f"[dim]{len(rows)} row{'' if len(rows) == 1 else 's'}[/]", highlight=False)
    else:
        typer.echo(render(rows, fmt.value), nl=False)


def _print_query_list(queries) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Named queries (findings query NAME --param key=value)", show_lines=True)
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("answers")
    table.add_column("parameters")
    for q in queries:
        params = "\n".join(
            f"{p.name} ({p.type}{'' if p.default is None else ', default ' + repr(p.default)}): "
            f"{p.doc}"
            for p in q.params
        )
        table.add_row(Text(q.name), Text(q.summary), Text(params or "-"))
    console.print(table)
