"""Write a report's data-quality checks (transform/quality.py) to `data_quality`.

Called inside the loader's transaction, so a report and its checks land together or not at
all. A report's rows are replaced as a whole, so loading again never duplicates them.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from load.bulk import insert_columns
from transform.model import Report
from transform.quality import Check, check_report


def write_checks(
    con: duckdb.DuckDBPyConnection,
    report_id: str,
    checks: list[Check],
    checked_at: datetime,
    *,
    new: bool = False,
) -> None:
    """Replace `report_id`'s checks; `new`: it was just inserted, so there are none to delete."""
    if not new:
        con.execute("DELETE FROM data_quality WHERE report_id = ?", [report_id])
    insert_columns(con, "data_quality", {
        "report_id": [report_id] * len(checks),
        "check_name": [c.name for c in checks],
        "passed": [c.passed for c in checks],
        "detail": [c.detail for c in checks],
        "checked_at": [checked_at] * len(checks),
    })


def record_quality(con: duckdb.DuckDBPyConnection, report: Report, checked_at: datetime) -> None:
    """Run the checks on `report`, just inserted, and store them (in the caller's transaction)."""
    write_checks(con, report.report_id, check_report(report), checked_at, new=True)


def flagged_reports(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int, str]]:
    """(report_id, file_name, failed_checks, details) of every report that failed a check."""
    return con.execute(
        "SELECT report_id, file_name, failed_checks, details FROM flagged_reports"
        " ORDER BY file_name"
    ).fetchall()
