"""Open the findings database and make sure its schema is in place.

The schema lives in `sql/*.sql` so researchers can read it; this module only applies it, in a
fixed order (core tables, then the NLP tables if that layer is installed, then the views that may
join both), and records the schema version in `schema_info`.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from load.bulk import insert_arrays, insert_columns
from load.migrate import check_readable, upgrade
from load.schema import SCHEMA_VERSION, SQL_FILES, DatabaseBusy, DatabaseError, sql_text

# the names other modules and researchers' scripts import from here
__all__ = [
    "DEFAULT_DB", "SCHEMA_VERSION", "SQL_FILES", "DatabaseBusy", "DatabaseError", "apply_schema",
    "connect", "insert_arrays", "insert_columns", "sql_text",
]

# How long to wait for another process's lock on the file (seconds), writers and readers.
WRITE_TIMEOUT_ENV, WRITE_TIMEOUT = "FINDINGS_LOCK_TIMEOUT", 60.0
READ_TIMEOUT_ENV, READ_TIMEOUT = "FINDINGS_READ_TIMEOUT", 10.0
DEFAULT_DB = "findings.duckdb"


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables, (re)create views, and stamp the schema version. Idempotent."""
    upgrade(con)  # an older database is migrated first; a newer one is refused, untouched
    for name in SQL_FILES:
        text = sql_text(name)
        if text and text.strip():
            con.execute(text)
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute(
        "INSERT OR REPLACE INTO schema_info VALUES ('schema_version', ?), ('applied_at', ?)",
        [SCHEMA_VERSION, now.isoformat(timespec="seconds")],
    )


def connect(
    db_path: str | Path = DEFAULT_DB,
    *,
    read_only: bool = False,
    apply: bool = True,
    lock_timeout: float | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open `db_path`; read-write opens apply the schema unless `apply=False` (already done).

    Read-only opens need an existing file and never change it. While another process holds
    the file, wait up to `lock_timeout` seconds (default from the environment, see above),
    then raise DatabaseBusy.
    """
    path = Path(db_path)
    if read_only and not path.exists():
        raise DatabaseError(f"no database at {path} (run `findings ingest` first)")
    if not read_only and path.parent and not path.parent.exists():
        raise DatabaseError(f"cannot create database {path}: folder {path.parent} does not exist")
    con = _open_when_free(path, read_only, lock_timeout)
    if read_only:
        try:
            check_readable(con, path)
        except BaseException:
            con.close()
            raise
    if apply and not read_only:
        try:
            apply_schema(con)
        except BaseException:
            con.close()
            raise
    return con


def _open_when_free(
    path: Path, read_only: bool, timeout: float | None
) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried while another process holds the file's lock (bounded wait)."""
    if timeout is None:
        env, default = (READ_TIMEOUT_ENV, READ_TIMEOUT) if read_only else (
            WRITE_TIMEOUT_ENV, WRITE_TIMEOUT)
        try:
            timeout = float(os.environ.get(env) or default)
        except ValueError:
            raise DatabaseError(f"{env} must be a number of seconds") from None
    deadline = time.monotonic() + timeout
    pause = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            text = str(exc).strip()
            first_line = text.splitlines()[0] if text else type(exc).__name__
            if "lock" not in text.lower():
                raise DatabaseError(f"cannot open database {path}: {first_line}") from exc
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"database {path} is busy: another process (an ingest writing, or a long"
                    f" query) holds it; waited {timeout:g} s. Retry in a moment, or wait longer"
                    " by setting"
                    f" {READ_TIMEOUT_ENV if read_only else WRITE_TIMEOUT_ENV} (seconds)."
                ) from exc
        time.sleep(min(pause, max(deadline - time.monotonic(), 0.0)))
        pause = min(pause * 2, 0.1)  # a writer lets go between results only briefly
