"""Which files the database has seen: every path of loaded bytes, and files it rejected.

These tables answer "what happened to my download?" without re-reading any PDF, and let an
ingest skip bytes that are already loaded.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

# Reason codes that were renamed: databases written before keep the old code, and readers treat
# both as one category (a report of neither family used to be `not_a_cci_report`).
REASON_RENAMES: dict[str, str] = {"not_a_cci_report": "not_an_inspection_report"}


def reason_category(reason: str | None) -> str:
    """The current code for a stored rejection reason (old and new codes count as one)."""
    if not reason:
        return "unknown"
    return REASON_RENAMES.get(reason, reason)


def utcnow() -> datetime:
    """Naive UTC timestamp, the form every TIMESTAMP column in the schema holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def loaded_ids(con: duckdb.DuckDBPyConnection, sha256s: list[str]) -> set[str]:
    """The subset of `sha256s` already loaded as reports, or replaced by a later edition.

    Replaced bytes count as known so that an inbox holding both editions does not swap them
    back and forth on every run.
    """
    if not sha256s:
        return set()
    rows = con.execute(
        "SELECT report_id FROM reports WHERE report_id IN (SELECT unnest(?::VARCHAR[]))"
        " UNION SELECT old_report_id FROM report_replacements"
        " WHERE old_report_id IN (SELECT unnest(?::VARCHAR[]))",
        [sha256s, sha256s],
    ).fetchall()
    return {row[0] for row in rows}


def record_paths(
    con: duckdb.DuckDBPyConnection,
    pairs: list[tuple[str, str]],
    seen: datetime | None = None,
    reader: str | None = None,
    fallback: str | None = None,
) -> None:
    """Remember each (sha256, path) pair; a pair already known keeps its first_seen.

    `reader` read these paths ('pdfium' or 'pdfplumber'; None: not read, e.g. known bytes
    under a new name), `fallback` why pdfium did not.
    """
    if not pairs:
        return
    seen = seen or utcnow()
    # one statement (executemany costs a statement per pair: ~3 ms for a report's one path)
    con.execute(
        "INSERT OR IGNORE INTO report_files (sha256, path, first_seen, reader, reader_fallback)"
        " SELECT unnest(?), unnest(?), ?, ?, ?",
        [[sha for sha, _ in pairs], [path for _, path in pairs], seen, reader or None,
         fallback or None],
    )


def record_rejection(
    con: duckdb.DuckDBPyConnection,
    sha256: str,
    path: str,
    reason: str,
    detail: str,
    seen: datetime | None = None,
    reader: str | None = None,
    fallback: str | None = None,
) -> None:
    """Keep the latest reason a file (by bytes and path) could not be loaded, and the reader
    that read it (None: refused before any reader read it)."""
    con.execute(
        "INSERT OR REPLACE INTO rejected_files"
        " (sha256, path, reason, detail, seen_at, reader, reader_fallback)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [sha256, path, reason, detail, seen or utcnow(), reader or None, fallback or None],
    )
