"""Bulk inserts by column name: the one way rows go into the database.

Imports nothing of load/, so every writer (report, annotations, quality, search index) uses it
without pulling in the module that opens the database.
"""

from __future__ import annotations

from typing import Any

import duckdb


def insert_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, list],
    computed: dict[str, str] | None = None,
) -> None:
    """Bulk insert column lists by column name: one statement, each column one list parameter.

    Unnesting Python lists costs about half of what registering an Arrow table did for the
    tens to hundreds of rows a report puts in a table, and needs neither pyarrow nor pandas
    (which pyarrow imports, ~0.3 s). Thousands of rows go faster as numpy (insert_arrays).
    `computed`: more columns, each an SQL expression over the inserted ones.
    """
    if not columns or not next(iter(columns.values())):
        return
    computed = computed or {}
    names = ", ".join(f'"{name}"' for name in (*columns, *computed))
    values = ", ".join(f'unnest(?) AS "{name}"' for name in columns)
    extra = "".join(f", {expression}" for expression in computed.values())
    con.execute(
        f"INSERT INTO {table} ({names}) SELECT *{extra} FROM (SELECT {values})",
        list(columns.values()),
    )


def insert_arrays(con: duckdb.DuckDBPyConnection, table: str, arrays: dict[str, Any]) -> None:
    """Bulk insert numpy arrays by column name (one registered scan): for thousands of rows."""
    if not arrays or not len(next(iter(arrays.values()))):
        return
    view = f"_{table}_batch"
    names = ", ".join(f'"{name}"' for name in arrays)
    con.register(view, arrays)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}")
    # not in a `finally`: after a failed insert the transaction is aborted and unregistering
    # would raise, hiding the real error; the next register() replaces the stale view anyway
    con.unregister(view)
