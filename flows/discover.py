"""Find the PDFs and saved web pages an ingest should look at and fingerprint them.

Kept free of Prefect and DuckDB so the CLI can validate paths before starting a flow.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

SOURCES = (".pdf", ".html", ".htm")  # what a folder is searched for


class MissingPath(FileNotFoundError):
    """A path given to ingest does not exist."""


def discover_pdfs(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named as-is, plus every *.pdf, *.html and *.htm (any case) under named folders;
    sorted, no repeats.

    A file named explicitly is taken whatever its extension, so a mis-named download is
    rejected with a reason rather than silently ignored.
    """
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            pdfs = (p for p in path.rglob("*") if p.suffix.lower() in SOURCES and p.is_file())
            for pdf in sorted(pdfs):
                found.setdefault(pdf.resolve(), None)
        elif path.is_file():
            found.setdefault(path.resolve(), None)
        else:
            raise MissingPath(f"no such file or folder: {raw}")
    return sorted(found)


def sha256_file(path: str | os.PathLike[str], chunk_size: int = 1 << 20) -> str:
    """sha256 of the file's bytes, read in chunks so big files never sit in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()
