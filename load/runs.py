"""One row per ingest run in `ingest_runs`: when, how many files, what became of them."""

from __future__ import annotations

from datetime import datetime

import duckdb


def start_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    started_at: datetime,
    *,
    paths: list[str],
    workers: int,
    parser_version: str | None = None,
    flow_run_id: str | None = None,
) -> None:
    con.execute(
        "INSERT INTO ingest_runs (run_id, started_at, workers, parser_version, paths, flow_run_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [run_id, started_at, workers, parser_version, paths, flow_run_id],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    finished_at: datetime,
    *,
    files_seen: int,
    loaded: int,
    skipped: int,
    rejected: int,
    replaced: int,
) -> None:
    con.execute(
        "UPDATE ingest_runs SET finished_at = ?, files_seen = ?, loaded = ?, skipped = ?,"
        " rejected = ?, replaced = ? WHERE run_id = ?",
        [finished_at, files_seen, loaded, skipped, rejected, replaced, run_id],
    )
