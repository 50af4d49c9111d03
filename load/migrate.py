"""Bring an older findings database up to this version's schema, or say exactly why not.

The database records its schema version in `schema_info`. Each later version is one file
`sql/migrations/NNN_<what>.sql` (NNN = the version it produces), applied in order, each in its
own transaction together with the new version number: an interrupted upgrade leaves the
database at the last complete version, and running it again carries on. Migrations only add
(tables, columns, views, a wider CHECK); none drops or rewrites user data. A database written
by a *newer* findings is never touched.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import duckdb

from load.schema import SCHEMA_VERSION, DatabaseError, sql_text

_MIGRATION = re.compile(r"^(\d{3})_\w+\.sql$")


def _build_search_index(con: duckdb.DuckDBPyConnection) -> None:
    """004: index the texts of the reports already loaded (tokenising needs Python)."""
    from load.search_index import rebuild_index

    # the view also reads tables later versions add (passages): create the missing ones first
    # (IF NOT EXISTS: no existing table changes; their own migrations then find them there)
    con.execute(sql_text("schema.sql") or "")
    con.execute(sql_text("search.sql") or "")  # the view and macros the index is built from
    rebuild_index(con)


def _rule_evidence(con: duckdb.DuckDBPyConnection) -> None:
    """005: tags made before the model were rule matches; say so in their evidence."""
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables"
        " WHERE table_name = 'text_themes' AND table_schema = current_schema()"
    ).fetchone()[0]
    if has_table:
        con.execute("UPDATE text_themes SET evidence = 'rule: \"' || matched_text || '\"'"
                    " WHERE evidence IS NULL")


NLP_SOURCE_TABLES = ("text_themes", "text_proportions", "text_acronyms")
_OLD_SOURCES = "'finding', 'recommendation', 'good_practice')"


def _allow_passage_source(con: duckdb.DuckDBPyConnection) -> None:
    """007: let the NLP tables hold source 'passage'. DuckDB cannot alter a CHECK, so each
    table is recreated from its own stored definition (every column it has now, whatever
    migration added it) with the wider CHECK, and its rows copied back by name."""
    for table in NLP_SOURCE_TABLES:
        row = con.execute(
            "SELECT sql FROM duckdb_tables() WHERE table_name = ? AND schema_name = "
            "current_schema()",
            [table],
        ).fetchone()
        if row is None or _OLD_SOURCES not in row[0]:
            continue  # no such table yet (sql/nlp.sql creates it) or already widened
        definition = row[0].replace(_OLD_SOURCES, "'finding', 'recommendation', "
                                    "'good_practice', 'passage')")
        con.execute(f"ALTER TABLE {table} RENAME TO {table}_006")
        con.execute(definition)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {table}_006")
        con.execute(f"DROP TABLE {table}_006")


AFTER_SQL = {
    "004_search_index.sql": _build_search_index,
    "005_theme_confidence.sql": _rule_evidence,
    "007_passages.sql": _allow_passage_source,
}


def migrations() -> list[tuple[int, str]]:
    """(version, file name) of every migration shipped, in order."""
    folder = resources.files("sql").joinpath("migrations")
    found = [
        (int(match.group(1)), entry.name)
        for entry in folder.iterdir()
        if (match := _MIGRATION.match(entry.name))
    ]
    return sorted(found)


def stored_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version the database records; None for a new (empty) database."""
    has_info = con.execute(
        "SELECT count(*) FROM information_schema.tables"
        " WHERE table_name = 'schema_info' AND table_schema = current_schema()"
    ).fetchone()[0]
    if not has_info:
        return None
    row = con.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def upgrade(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations the database lacks; return their names. A new database needs none."""
    target = int(SCHEMA_VERSION)
    version = stored_version(con)
    if version is None:
        return []
    if version > target:
        raise DatabaseError(_newer(version))
    applied = []
    pending = [(n, name) for n, name in migrations() if version < n <= target]
    if pending:  # migrations may call the shared macros (normalise_area for area_key)
        con.execute(sql_text("functions.sql") or "")
    for number, name in pending:
        text = resources.files("sql").joinpath("migrations", name).read_text("utf-8")
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(text)
            if name in AFTER_SQL:  # a step SQL alone cannot do, in the same transaction
                AFTER_SQL[name](con)
            con.execute(
                "INSERT OR REPLACE INTO schema_info VALUES ('schema_version', ?)",
                [str(number)],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def check_readable(con: duckdb.DuckDBPyConnection, path: str | Path) -> None:
    """Refuse a read-only open of a database whose schema this findings does not match."""
    version = stored_version(con)
    target = int(SCHEMA_VERSION)
    if version is None:
        raise DatabaseError(f"{path} is not a findings database (no schema_info table)")
    if version > target:
        raise DatabaseError(_newer(version))
    if version < target:
        raise DatabaseError(
            f"database {path} has schema version {version}; this findings needs {target}."
            f" Upgrade it (nothing is deleted) with: findings migrate --db {path}"
        )


def _newer(version: int) -> str:
    return (
        f"the database has schema version {version}, newer than this findings knows"
        f" ({SCHEMA_VERSION}): upgrade inspection-findings; the database was not changed"
    )

