"""What a findings database is: its schema version, its SQL files, and why one cannot be opened.

The lowest layer of load/: it imports nothing of the package, so db.py (opening), migrate.py
(upgrading) and search_index.py (indexing) all build on it without importing one another in a
circle.
"""

from __future__ import annotations

from importlib import resources

SCHEMA_VERSION = "7"  # one more with each sql/migrations/NNN_*.sql (load/migrate.py)
SQL_FILES: tuple[str, ...] = ("functions.sql", "schema.sql", "quality.sql", "nlp.sql", "views.sql",
                              "search.sql")


class DatabaseError(Exception):
    """The database file cannot be opened for the requested use (one clear sentence)."""


class DatabaseBusy(DatabaseError):
    """Another process held the file's lock for longer than we were willing to wait."""


def sql_text(name: str) -> str | None:
    """The text of `sql/<name>`, or None when that file is not there (e.g. no NLP layer)."""
    resource = resources.files("sql").joinpath(name)
    return resource.read_text(encoding="utf-8") if resource.is_file() else None
