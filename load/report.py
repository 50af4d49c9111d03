"""Write one Report into the database as a single transaction: all of its rows or none.

Identity is the sha256 of the PDF bytes, so loading the same bytes again only records the path.
A report with the same ISBN but different bytes is a corrected re-publication: the old report's
rows are deleted and the new ones inserted in the same transaction, and the swap is recorded in
`report_replacements`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import duckdb

from load.bulk import insert_columns
from load.files import record_paths, utcnow
from load.quality import record_quality
from load.rows import Rows, report_tables
from load.search_index import index_reports
from transform.model import Report

LoadStatus = Literal["loaded", "skipped", "replaced"]
# Columns computed in SQL as the rows go in. area_key: the one definition of the key is the
# macro in sql/functions.sql, shared with the migrations and researchers' queries.
COMPUTED: dict[str, dict[str, str]] = {"reports": {"area_key": "normalise_area(area)"}}


@dataclass
class LoadOutcome:
    report_id: str
    status: LoadStatus
    replaced: list[str] = field(default_factory=list)  # report_ids this report replaced


def load_report(
    con: duckdb.DuckDBPyConnection,
    report: Report,
    annotations: Any | None = None,
    *,
    now: datetime | None = None,
) -> LoadOutcome:
    """Insert `report` (and its NLP `annotations`, if given) in one transaction."""
    now = now or utcnow()
    rid = report.report_id
    con.execute("BEGIN TRANSACTION")
    try:
        record_paths(con, [(rid, report.source.path)], now, report.source.reader,
                     report.source.fallback)
        # one query for both: is this report here already, and which older editions it replaces
        same_or_isbn = con.execute(
            "SELECT report_id, source_path FROM reports WHERE report_id = ? OR isbn = ?",
            [rid, report.isbn or None],  # no ISBN: no older edition
        ).fetchall()
        if any(old_id == rid for old_id, _ in same_or_isbn):
            con.execute("COMMIT")
            return LoadOutcome(rid, "skipped")
        replaced = _replace_older_editions(con, report, same_or_isbn, now)
        _insert_new(con, [(report, annotations)], now)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return LoadOutcome(rid, "replaced" if replaced else "loaded", replaced)


def load_new_reports(
    con: duckdb.DuckDBPyConnection,
    items: list[tuple[Report, Any | None]],
    *,
    now: datetime | None = None,
) -> list[LoadOutcome] | None:
    """Load several new (report, annotations) in one transaction, one INSERT per table for all;
    None, with nothing written, when they must be loaded one by one with `load_report`.

    A DuckDB statement costs ~1-2 ms whatever its size and a report needs about twenty, so
    loading eight at once takes a third of the CPU. Each report stays all-or-nothing: a batch
    that is not simply new reports (one is loaded already, one is another edition of a loaded
    ISBN, two share an ISBN), or that fails, is rolled back, and the caller loads its reports
    one by one, so one bad report still costs only itself.
    """
    now = now or utcnow()
    if not items or not _all_new(con, [report for report, _ in items]):
        return None
    con.execute("BEGIN TRANSACTION")
    try:
        by_reader: dict[tuple[str | None, str | None], list[tuple[str, str]]] = {}
        for report, _ in items:
            key = (report.source.reader, report.source.fallback)
            by_reader.setdefault(key, []).append((report.report_id, report.source.path))
        for (reader, fallback), pairs in by_reader.items():
            record_paths(con, pairs, now, reader, fallback)
        _insert_new(con, items, now)
        con.execute("COMMIT")
    except Exception:  # noqa: BLE001 - the caller loads them one by one: only a bad one is lost
        con.execute("ROLLBACK")
        return None
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return [LoadOutcome(report.report_id, "loaded") for report, _ in items]


def _insert_new(
    con: duckdb.DuckDBPyConnection, items: list[tuple[Report, Any | None]], now: datetime
) -> None:
    """Write reports not in the database yet, in the caller's transaction: their rows (one
    INSERT per table for all of them), quality checks, annotations (where given) and search
    index, and drop their earlier rejections."""
    tables: dict[str, Rows] = {}
    for report, _ in items:
        for table, rows in report_tables(report, now).items():
            tables.setdefault(table, []).extend(rows)
    for table, rows in tables.items():
        insert_rows(con, table, rows)
    record_quality(con, [report for report, _ in items], now)  # flags a report, never blocks
    annotated = {report.report_id: a for report, a in items if a is not None}
    if annotated:
        from load.annotations import insert_new_annotations

        insert_new_annotations(con, annotated)
    ids = [report.report_id for report, _ in items]
    index_reports(con, ids)  # full-text search index, same transaction
    con.execute("DELETE FROM rejected_files WHERE sha256 IN (SELECT unnest(?))", [ids])


def _all_new(con: duckdb.DuckDBPyConnection, reports: list[Report]) -> bool:
    """No report is loaded yet, none is another edition of a loaded ISBN, and no two share
    an ISBN or bytes: then loading them together is the same as one by one."""
    ids = [report.report_id for report in reports]
    isbns = [report.isbn for report in reports if report.isbn]
    if len(set(ids)) < len(ids) or len(set(isbns)) < len(isbns):
        return False
    known = con.execute(
        "SELECT count(*) FROM reports WHERE report_id IN (SELECT unnest(?::VARCHAR[]))"
        " OR isbn IN (SELECT unnest(?::VARCHAR[]))",
        [ids, isbns],
    ).fetchone()[0]
    return known == 0


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Rows) -> None:
    """Bulk insert dict rows by column name (load.db.insert_columns: one statement)."""
    if rows:
        names = rows[0].keys()
        if any(row.keys() != names for row in rows):  # a column only some rows have
            raise ValueError(f"{table}: rows with different columns cannot be inserted together")
        columns = {name: [row[name] for row in rows] for name in names}
        insert_columns(con, table, columns, COMPUTED.get(table))


def report_tables_in_db(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table holding per-report rows (a `report_id` column), core and NLP alike."""
    rows = con.execute(
        """
        SELECT c.table_name
        FROM information_schema.columns c
        JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.column_name = 'report_id' AND t.table_type = 'BASE TABLE'
          AND c.table_schema = current_schema()
        ORDER BY c.table_name
        """
    ).fetchall()
    return [row[0] for row in rows]


def delete_report(con: duckdb.DuckDBPyConnection, report_id: str) -> None:
    """Remove every row of one report (call inside a transaction); file history is kept."""
    for table in report_tables_in_db(con):
        if table != "reports":
            con.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])
    con.execute("DELETE FROM reports WHERE report_id = ?", [report_id])


def _replace_older_editions(
    con: duckdb.DuckDBPyConnection,
    report: Report,
    older: list[tuple[str, str]],
    now: datetime,
) -> list[str]:
    """Delete `older` (report_id, source_path): the same ISBN, other bytes; record each."""
    for old_id, old_path in older:
        delete_report(con, old_id)
        con.execute(
            "INSERT INTO report_replacements VALUES (?, ?, ?, ?, ?, ?)",
            [old_id, report.report_id, report.isbn, old_path, report.source.path, now],
        )
    return [old_id for old_id, _ in older]
