"""Write NLP annotations (transform.nlp.ReportAnnotations) to the tables of sql/nlp.sql.

Runs inside the caller's transaction (the core writer's, or retag's): it never begins or
commits. A report's annotation rows are replaced as a whole, so a re-run never duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import pyarrow as pa

NLP_TABLES: tuple[str, ...] = ("text_themes", "text_proportions", "text_acronyms")


def write_themes(con: duckdb.DuckDBPyConnection, taxonomy: Iterable[Any]) -> None:
    """Replace the themes table with the taxonomy in use (transform.nlp.themes.Theme items)."""
    rows = [(t.id, t.label, t.description) for t in taxonomy]
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


def write_annotations(con: duckdb.DuckDBPyConnection, report_id: str, annotations: Any) -> None:
    """Replace `report_id`'s annotation rows with `annotations` (bulk, one insert per table)."""
    delete_annotations(con, report_id)
    insert_annotations(con, {report_id: annotations})
    if con.execute("SELECT count(*) FROM themes").fetchone()[0] == 0:
        from transform.nlp.themes import load_taxonomy

        write_themes(con, load_taxonomy())


def insert_annotations(con: duckdb.DuckDBPyConnection, by_report: dict[str, Any]) -> None:
    """Append the annotations of many reports at once (retag writes all reports this way)."""
    columns = {
        "text_themes": ("source", "source_id", "report_id", "theme", "matched_text",
                        "start_char", "end_char"),
        "text_proportions": ("source", "source_id", "report_id", "phrase", "share_low",
                             "share_high", "applies_to", "negated", "start_char", "end_char"),
        "text_acronyms": ("source", "source_id", "report_id", "acronym", "expansion",
                          "from_glossary", "start_char", "end_char"),
    }
    rows: dict[str, list[tuple]] = {table: [] for table in columns}
    for report_id, ann in by_report.items():
        for table, matches in (("text_themes", ann.themes),
                               ("text_proportions", ann.proportions),
                               ("text_acronyms", ann.acronyms)):
            rows[table].extend(
                tuple(report_id if n == "report_id" else getattr(m, n) for n in columns[table])
                for m in matches
            )
    for table, names in columns.items():
        if not rows[table]:
            continue
        batch = pa.table({name: pa.array([r[i] for r in rows[table]])
                          for i, name in enumerate(names)})
        con.register("_annotations_batch", batch)
        try:
            con.execute(f"INSERT INTO {table} ({', '.join(names)}) "
                        f"SELECT {', '.join(names)} FROM _annotations_batch")
        finally:
            con.unregister("_annotations_batch")
