"""Write a report's data-quality checks (transform/quality.py) to `data_quality`.

Called inside the loader's transaction, so a report and its checks land together or not at
all; a report replaced by a new edition loses its checks with its other rows.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from load.bulk import insert_columns
from transform.model import Report
from transform.quality import check_report


def record_quality(
    con: duckdb.DuckDBPyConnection, reports: list[Report], checked_at: datetime
) -> None:
    """Run the checks on `reports`, just inserted, and store them all in one insert (in the
    caller's transaction)."""
    checks = [(report.report_id, check) for report in reports for check in check_report(report)]
    insert_columns(con, "data_quality", {
        "report_id": [report_id for report_id, _ in checks],
        "check_name": [c.name for _, c in checks],
        "passed": [c.passed for _, c in checks],
        "detail": [c.detail for _, c in checks],
        "checked_at": [checked_at] * len(checks),
    })


def flagged_reports(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int, str]]:
    """(report_id, file_name, failed_checks, details) of every report that failed a check."""
    return con.execute(
        "SELECT report_id, file_name, failed_checks, details FROM flagged_reports"
        " ORDER BY file_name"
    ).fetchall()
