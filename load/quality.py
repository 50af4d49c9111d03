"""Write a report's data-quality checks (transform/quality.py) to `data_quality`.

Called inside the loader's transaction, so a report and its checks land together or not at
all. A report's rows are replaced as a whole, so loading again never duplicates them.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from transform.model import Report
from transform.quality import Check, check_report


def write_checks(
    con: duckdb.DuckDBPyConnection, report_id: str, checks: list[Check], checked_at: datetime
) -> None:
    con.execute("DELETE FROM data_quality WHERE report_id = ?", [report_id])
    if checks:
        con.executemany(
            "INSERT INTO data_quality (report_id, check_name, passed, detail, checked_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(report_id, c.name, c.passed, c.detail, checked_at) for c in checks],
        )


def record_quality(con: duckdb.DuckDBPyConnection, report: Report, checked_at: datetime) -> None:
    """Run the checks on `report` and store them (inside the caller's transaction)."""
    write_checks(con, report.report_id, check_report(report), checked_at)


def flagged_reports(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int, str]]:
    """(report_id, file_name, failed_checks, details) of every report that failed a check."""
    return con.execute(
        "SELECT report_id, file_name, failed_checks, details FROM flagged_reports"
        " ORDER BY file_name"
    ).fetchall()
