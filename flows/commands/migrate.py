"""`findings migrate`: upgrade an older database to this version's schema (data is kept)."""

from __future__ import annotations

from pathlib import Path

import typer

from flows.commands.common import DEFAULT_DB, DbOption, console, fail


def register(app: typer.Typer) -> None:
    app.command("migrate")(migrate)


def migrate(db: DbOption = Path(DEFAULT_DB)) -> None:
    """Apply the schema migrations an older database lacks; a newer one is left untouched."""
    from load.db import SCHEMA_VERSION, DatabaseError, connect
    from load.migrate import stored_version, upgrade

    if not db.exists():
        fail(f"no database at {db}")
    try:
        con = connect(db, apply=False)
    except DatabaseError as exc:
        fail(str(exc))
    try:
        before = stored_version(con)
        applied = upgrade(con)
        con.close()
        connect(db).close()  # (re)create views and anything new, stamp the version
    except DatabaseError as exc:
        con.close()
        fail(str(exc))
    if applied:
        console.print(f"{db}: schema {before} -> {SCHEMA_VERSION} ({', '.join(applied)})")
    else:
        console.print(f"{db}: schema version {SCHEMA_VERSION}, nothing to do")
