"""read_document: a PDF or a saved web page -> Document, by what the file is.

The two sources build the same Document, so nothing after extraction asks which one it was
(except the loader, which stores no page for a web page: `Document.kind`).
"""

from __future__ import annotations

from extract.document import Document
from extract.html import is_html_file, read_html
from extract.reader import read_pdf

_PDF_MAGIC = b"%PDF-"


def read_document(
    path: str,
    *,
    sha256: str | None = None,
    max_pages: int | None = None,
    reader: str | None = None,
) -> Document:
    """A PDF by its signature, else a web page by its name or first bytes, else read_pdf's
    own reason (not_a_pdf, empty_file)."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if _PDF_MAGIC not in head and is_html_file(path, head):
        return read_html(path, sha256=sha256)
    return read_pdf(path, sha256=sha256, max_pages=max_pages, reader=reader)
