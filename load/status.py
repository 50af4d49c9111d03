"""What the database holds, for `findings status` and health checks (read-only queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from load.files import reason_category


@dataclass
class DatabaseStatus:
    schema_version: str | None
    table_rows: dict[str, int]
    last_run: dict[str, Any] | None
    rejected: list[dict[str, Any]] = field(default_factory=list)
    flagged: list[dict[str, Any]] = field(default_factory=list)  # reports failing quality checks
    # per report family (template): reports, first and last year, how many read from web pages
    families: list[dict[str, Any]] = field(default_factory=list)
    # per reader: files (distinct bytes) it read, loaded or rejected, and how many fell back
    readers: list[dict[str, Any]] = field(default_factory=list)


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def database_status(con: duckdb.DuckDBPyConnection) -> DatabaseStatus:
    tables = [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_type = 'BASE TABLE' AND table_schema = current_schema()"
            " ORDER BY table_name"
        ).fetchall()
    ]
    counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    version = con.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchone()
    runs = _dicts(con.execute("SELECT * FROM ingest_runs ORDER BY started_at DESC LIMIT 1"))
    rejected = _dicts(
        con.execute("SELECT path, reason, detail, seen_at FROM rejected_files ORDER BY path")
    )
    for row in rejected:  # an older database may hold a since-renamed reason code
        row["category"] = reason_category(row["reason"])
    return DatabaseStatus(
        schema_version=version[0] if version else None,
        table_rows=counts,
        last_run=runs[0] if runs else None,
        rejected=rejected,
        flagged=_dicts(con.execute(
            "SELECT file_name, area, year, failed_checks, details FROM flagged_reports"
            " ORDER BY file_name"
        )),
        families=_dicts(con.execute(
            "SELECT template, count(*) AS reports, min(year) AS first_year,"
            " max(year) AS last_year,"
            " count(*) FILTER (WHERE source_kind = 'html') AS web_pages"
            " FROM reports GROUP BY template ORDER BY template"
        )),
        readers=_dicts(con.execute(READERS_SQL)),
    )


# the reader of each file's bytes (one row per sha256 that a reader read), counted per reader
READERS_SQL = """
SELECT reader, count(*) AS files, count(fallback) AS fell_back,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS percent
FROM (
    SELECT sha256, max(reader) AS reader, max(reader_fallback) AS fallback
    FROM (SELECT sha256, reader, reader_fallback FROM report_files WHERE reader IS NOT NULL
          UNION ALL
          SELECT sha256, reader, reader_fallback FROM rejected_files WHERE reader IS NOT NULL)
    GROUP BY sha256
)
GROUP BY reader ORDER BY files DESC, reader
"""
