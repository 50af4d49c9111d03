"""read_pdf: a PDF file -> Document, or UnreadablePDF with a specific reason.

One pass per page over its chars; ruled tables only where the page draws rules; each page is
closed after use so memory stays flat on long batches.
"""

from __future__ import annotations

import hashlib
import os

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from extract.document import Document, Page
from extract.errors import UnreadablePDF
from extract.furniture import remove_furniture
from extract.lines import build_lines, mark_drawn_bullets
from extract.page_objects import lean_objects
from extract.tables import find_ruled_tables

_MAGIC = b"%PDF-"


def _sha256(path: str) -> tuple[str, int, bytes]:
    digest = hashlib.sha256()
    size = 0
    head = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if not head:
                head = chunk[:1024]
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size, head


def _classify(error: BaseException) -> UnreadablePDF:
    """Map pdfminer/pdfplumber errors to our reasons (pdfplumber may wrap the original)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for err in chain:
        if isinstance(err, PDFPasswordIncorrect | PDFEncryptionError):
            return UnreadablePDF("encrypted", "the PDF is encrypted or password-protected.")
    text = " ".join(f"{type(e).__name__}: {e}" for e in chain)
    if any(isinstance(e, PDFSyntaxError | PSException) for e in chain) or text:
        return UnreadablePDF(
            "corrupt_pdf", f"the PDF structure is damaged or truncated ({text[:160]})."
        )
    return UnreadablePDF("corrupt_pdf", "the PDF structure is damaged or truncated.")


def read_pdf(path: str, *, sha256: str | None = None, max_pages: int | None = None) -> Document:
    """Read `path` into a Document (lines with boxes and fonts, ruled tables, no furniture)."""
    path = os.fspath(path)
    digest, size, head = _sha256(path)
    if sha256 is None:
        sha256 = digest
    if size == 0:
        raise UnreadablePDF("empty_file", "the file is empty (0 bytes).")
    if _MAGIC not in head:
        raise UnreadablePDF(
            "not_a_pdf", "the file does not start with the PDF signature '%PDF-'; not a PDF."
        )
    document = Document(path=path, sha256=sha256, size_bytes=size)
    try:
        with pdfplumber.open(path) as pdf:
            count = len(pdf.pages)
            if count == 0:
                raise UnreadablePDF("corrupt_pdf", "the PDF has no readable pages.")
            if max_pages is not None and count > max_pages:
                raise UnreadablePDF(
                    "too_many_pages", f"the PDF has {count} pages, more than the limit {max_pages}."
                )
            for plumber_page in pdf.pages:
                objects = lean_objects(plumber_page)
                lines = build_lines(objects["char"])
                shapes = objects.get("curve", []) + objects.get("rect", [])
                if shapes:
                    mark_drawn_bullets(lines, shapes)
                page = Page(
                    number=plumber_page.page_number,
                    width=float(plumber_page.width),
                    height=float(plumber_page.height),
                    lines=lines,
                    tables=find_ruled_tables(plumber_page, lines),
                )
                document.pages.append(page)
                plumber_page.close()
    except UnreadablePDF:
        raise
    except Exception as error:  # pdfminer raises many types; none may escape raw
        raise _classify(error) from None
    if not any(page.lines for page in document.pages):
        raise UnreadablePDF(
            "no_text_layer",
            "the file has no text layer (a scanned image?); OCR would be needed.",
        )
    remove_furniture(document.pages)
    return document
