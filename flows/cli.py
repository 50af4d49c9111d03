"""The `findings` command line. Each command lives in its own module under flows/commands/
and adds itself with `register(app)`; adding a command is one module plus one line below.

Heavy libraries (Prefect, pdfplumber, spaCy, DuckDB) are imported inside commands only, so
`findings --help` answers at once.
"""

from __future__ import annotations

from importlib import import_module

import typer

app = typer.Typer(
    name="findings",
    help="Turn HM Inspectorate of Probation Core Case Inspection reports into a DuckDB database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

COMMAND_MODULES: tuple[str, ...] = (
    "flows.commands.ingest",
    "flows.commands.status",
    "flows.commands.query",
    "flows.commands.themes",
    "flows.commands.search",
    "flows.commands.export",
    "flows.commands.chart",
    "flows.commands.report",
    "flows.commands.trace",
    "flows.commands.migrate",
    "flows.commands.retag",
    "flows.commands.serve",
)

for _name in COMMAND_MODULES:
    import_module(_name).register(app)


if __name__ == "__main__":
    app()
