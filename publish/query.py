"""Run SQL against the findings database read-only: ad-hoc statements and named queries.

Named queries are the files in sql/queries/*.sql. Each starts with a comment saying what it
answers, then one `@param` line per parameter:

    -- Areas where a theme is an area for improvement ...
    -- @param theme VARCHAR = management_oversight: theme id (see `findings themes`)

and optionally `-- @pivot <column> <value>`: the rows are turned into one column per distinct
`<column>` (DuckDB cannot PIVOT a statement with bound parameters, so the runner does it).
Parameters are bound by DuckDB (`$theme` in the SQL), never pasted into the text, so a value
can never change what the query does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from publish.outputs import PublishError, usage_error

PIVOT_LINE = re.compile(r"^--\s*@pivot\s+(?P<column>\w+)\s+(?P<value>\w+)\s*$")
PARAM_LINE = re.compile(
    r"^--\s*@param\s+(?P<name>\w+)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>[^:]*?))?\s*:\s*(?P<doc>.*)$"
)
CASTS: dict[str, type] = {"VARCHAR": str, "INTEGER": int, "BIGINT": int, "DOUBLE": float}


@dataclass
class Param:
    name: str
    type: str
    default: str | None
    doc: str


@dataclass
class NamedQuery:
    """One sql/queries/<name>.sql file: what it answers, its parameters and its SQL."""

    name: str
    summary: str
    sql: str
    params: list[Param] = field(default_factory=list)
    pivot: tuple[str, str] | None = None  # (column whose values become columns, value column)

    def bind(self, given: dict[str, str]) -> dict[str, Any]:
        """Typed values for every parameter: given ones, else defaults; clear error otherwise."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            accepted = ", ".join(known) or "none"
            raise usage_error(
                f"query {self.name} has no parameter {unknown[0]!r} (parameters: {accepted})"
            )
        values: dict[str, Any] = {}
        for p in self.params:
            raw = given.get(p.name, p.default)
            if raw is None:
                raise usage_error(f"query {self.name} needs --param {p.name}=... ({p.doc})")
            try:
                values[p.name] = CASTS.get(p.type.upper(), str)(raw)
            except ValueError:
                raise usage_error(
                    f"parameter {p.name} of query {self.name} must be {p.type}, got {raw!r}"
                ) from None
        return values


def parse_named_query(name: str, text: str) -> NamedQuery:
    """Read the header comment (summary lines and @param lines) of a named query file."""
    summary: list[str] = []
    params: list[Param] = []
    pivot = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("--"):
            break
        match = PARAM_LINE.match(stripped)
        pivot_match = PIVOT_LINE.match(stripped)
        if pivot_match:
            pivot = (pivot_match["column"], pivot_match["value"])
        elif match:
            params.append(Param(match["name"], match["type"].upper(),
                                match["default"] if match["default"] is not None else None,
                                match["doc"].strip()))
        elif not params and pivot is None:
            summary.append(stripped.lstrip("-").strip())
    return NamedQuery(name, " ".join(s for s in summary if s), text, params, pivot)


def queries_dir() -> Path:
    return Path(str(resources.files("sql").joinpath("queries")))


def list_queries() -> list[NamedQuery]:
    """Every named query, by name."""
    return [parse_named_query(p.stem, p.read_text(encoding="utf-8"))
            for p in sorted(queries_dir().glob("*.sql"))]


def named_query(name: str) -> NamedQuery:
    path = queries_dir() / f"{name}.sql"
    if not re.fullmatch(r"\w+", name) or not path.is_file():
        names = ", ".join(q.name for q in list_queries())
        raise usage_error(f"no named query {name!r} (known: {names}; see `findings query --list`)")
    return parse_named_query(name, path.read_text(encoding="utf-8"))


def parse_params(pairs: list[str]) -> dict[str, str]:
    """['theme=victims', 'below=0.5'] -> {'theme': 'victims', 'below': '0.5'}."""
    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise usage_error(f"--param needs key=value, got {pair!r}")
        result[key.strip()] = value
    return result


def open_readonly(db_path: str | Path, *, sandboxed: bool = False,
                  min_confidence: float = 0.0):
    """A read-only DuckDB connection, or one clear error if the file is missing or locked.

    `sandboxed`: the connection also has no file-system access (see `sandbox`), for SQL that a
    user typed or a named query: `findings sql`, `query`, `themes`, `search`.
    `min_confidence`: theme tags below it are left out of every view that reads themes.
    """
    from load.db import DatabaseError, connect

    try:
        con = connect(db_path, read_only=True)
    except DatabaseError as exc:
        raise usage_error(str(exc)) from None
    if sandboxed:
        sandbox(con)
    set_min_confidence(con, min_confidence)
    return con


def set_min_confidence(con, value: float) -> None:
    """Theme tags with a lower confidence are left out (the theme_confident macro, nlp.sql)."""
    if not 0.0 <= value <= 1.0:
        raise usage_error(f"--min-confidence must be between 0 and 1, not {value}")
    con.execute("SET VARIABLE min_confidence = ?", [float(value)])


# What a sandboxed connection refuses, said once for every way of asking.
REFUSED = (
    "findings sql and named queries cannot read or write files, attach databases or install/load"
    " extensions; use `findings export` to write files"
)
# Statement kinds refused before DuckDB runs them (table functions that read files, and
# IMPORT DATABASE, are refused by DuckDB itself once external access is off).
REFUSED_STATEMENTS = ("ATTACH", "DETACH", "COPY", "EXPORT", "LOAD", "COPY_DATABASE")


def sandbox(con) -> None:
    """Turn off file-system access on `con` for good: no read_csv / read_text / read_parquet /
    glob, COPY, EXPORT / IMPORT DATABASE, ATTACH, INSTALL or LOAD.

    DuckDB's `enable_external_access = false` cannot be turned back on while the database is
    open. The setting belongs to the open database, so every connection to the same file in
    this process shares it until the last one is closed (the CLI opens one per command).
    """
    con.execute("SET enable_external_access = false")


def check_statements(sql: str) -> None:
    """Refuse ATTACH, DETACH, COPY, EXPORT, INSTALL and LOAD before anything runs."""
    import duckdb

    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise PublishError(f"SQL error: {first_line(exc)}") from None
    except ValueError:  # a statement type the Python binding has no name for
        raise PublishError(f"refused: {REFUSED}", exit_code=2) from None
    for statement in statements:
        kind = statement.type.name
        if kind in REFUSED_STATEMENTS:
            what = "INSTALL/LOAD" if kind == "LOAD" else kind.replace("_", " ")
            raise PublishError(f"refused ({what}): {REFUSED}", exit_code=2)


def run(con, sql: str, params: dict[str, Any] | None = None):
    """Execute `sql` with bound `params`; returns a pandas DataFrame.

    A DuckDB error becomes a PublishError with the error's first line (no traceback).
    """
    import duckdb
    import pandas as pd

    if not sql.strip():
        raise usage_error("no SQL given")
    check_statements(sql)
    try:
        result = con.execute(sql, params or None)
        return result.df() if result is not None and result.description else pd.DataFrame()
    except duckdb.PermissionException as exc:
        raise PublishError(f"refused ({_reason(exc)}): {REFUSED}", exit_code=2) from None
    except duckdb.Error as exc:
        if "external access" in str(exc):  # SET enable_external_access = true
            raise PublishError(f"refused ({_reason(exc)}): {REFUSED}", exit_code=2) from None
        raise PublishError(f"SQL error: {first_line(exc)}") from None


def run_named(con, name: str, given: dict[str, str] | None = None):
    query = named_query(name)
    result = run(con, query.sql, query.bind(given or {}))
    return pivot_wide(result, *query.pivot) if query.pivot else result


def pivot_wide(df, column: str, value: str):
    """Long rows -> one row per remaining key, one column per `column` value (order kept)."""
    import pandas as pd

    keys = [c for c in df.columns if c not in (column, value)]
    wide: dict[tuple, dict] = {}
    for row in df.to_dict("records"):
        key = tuple(row[k] for k in keys)
        wide.setdefault(key, dict(zip(keys, key, strict=True)))[row[column]] = row[value]
    columns = keys + list(dict.fromkeys(df[column]))
    return pd.DataFrame(list(wide.values()), columns=columns)


def _reason(exc: Exception) -> str:
    """'Permission Error: Cannot access file "x" - ...' -> 'cannot access file "x"'."""
    text = first_line(exc).split(": ", 1)[-1]
    text = text.split(" - file system operations")[0].split(" through configuration")[0]
    return text[:1].lower() + text[1:]


def first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
