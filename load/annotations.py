"""Write NLP annotations (transform.nlp.ReportAnnotations) to the tables of sql/nlp.sql.

Runs inside the caller's transaction (the core writer's, or retag's): it never begins or
commits. A report's annotation rows are replaced as a whole, so a re-run never duplicates.
"""

from __future__ import annotations

from typing import Any

import duckdb

from load.bulk import insert_columns

NLP_TABLES: tuple[str, ...] = ("text_themes", "text_proportions", "text_acronyms")
# table -> (ReportAnnotations list, columns); every column but report_id is a match attribute
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "text_themes": ("themes", ("source", "source_id", "report_id", "theme", "matched_text",
                               "start_char", "end_char", "confidence", "evidence")),
    "text_proportions": ("proportions", ("source", "source_id", "report_id", "phrase",
                                         "share_low", "share_high", "applies_to", "negated",
                                         "start_char", "end_char")),
    "text_acronyms": ("acronyms", ("source", "source_id", "report_id", "acronym", "expansion",
                                   "from_glossary", "start_char", "end_char")),
}


def write_themes(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, str]]) -> None:
    """Replace the themes table with the taxonomy in use: (id, label, description) rows
    (transform.nlp.pipeline.theme_rows)."""
    con.execute("DELETE FROM themes")
    if rows:
        con.executemany("INSERT INTO themes VALUES (?, ?, ?)", rows)


def delete_annotations(con: duckdb.DuckDBPyConnection, report_id: str | None = None) -> None:
    """Remove one report's annotation rows, or every report's when report_id is None."""
    for table in NLP_TABLES:
        if report_id is None:
            con.execute(f"DELETE FROM {table}")
        else:
            con.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])


def write_annotations(
    con: duckdb.DuckDBPyConnection, report_id: str, annotations: Any, *, new: bool = False
) -> None:
    """Replace `report_id`'s annotation rows with `annotations` (bulk, one insert per table).

    `new`: the report was just inserted, so it has no annotation rows to delete yet.
    """
    if not new:
        delete_annotations(con, report_id)
    insert_new_annotations(con, {report_id: annotations})


def insert_new_annotations(con: duckdb.DuckDBPyConnection, by_report: dict[str, Any]) -> None:
    """Append the annotations of reports just loaded; a new database's `themes` table is
    filled from the taxonomy they carry."""
    insert_annotations(con, by_report)
    if con.execute("SELECT count(*) FROM themes").fetchone()[0] == 0:
        write_themes(con, next(iter(by_report.values())).taxonomy)


def insert_annotations(con: duckdb.DuckDBPyConnection, by_report: dict[str, Any]) -> None:
    """Append the annotations of many reports at once (retag writes all reports this way).

    One INSERT per table (load.db.insert_columns), the same conversion for one report as for
    all of them, so ingest and retag store the same values.
    """
    for table, (kind, names) in COLUMNS.items():
        report_ids: list[str] = []
        matches: list[Any] = []
        for report_id, ann in by_report.items():
            found = getattr(ann, kind)
            report_ids += [report_id] * len(found)
            matches += found
        if not matches:
            continue
        insert_columns(con, table, {
            name: report_ids if name == "report_id" else [getattr(m, name) for m in matches]
            for name in names
        })

