"""read_pdf: a PDF file -> Document, or UnreadablePDF with a specific reason.

One pass per page over its chars; ruled tables only where the page draws rules; each page is
closed after use so memory stays flat on long batches.

Two character sources give the same Document (bench/reader_identity.py checks every corpus
report): pdfium (`extract/pdfium_source.py`, ~8x faster) and pdfplumber (the reference). A file
pdfium cannot open, or cannot reproduce exactly, is read with pdfplumber instead, which then
also gives the specific reason a bad file is refused. Choose with `reader=` or FINDINGS_READER.
"""

from __future__ import annotations

import hashlib
import os
import re

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
READERS = ("pdfium", "pdfplumber")
DEFAULT_READER = "pdfium"
READER_ENV = "FINDINGS_READER"


def resolve_reader(reader: str | None = None) -> str:
    """The reader to use: the argument, else FINDINGS_READER, else the default."""
    name = (reader or os.environ.get(READER_ENV) or DEFAULT_READER).strip().lower()
    if name not in READERS:
        raise ValueError(f"unknown reader {name!r} (choose from {', '.join(READERS)})")
    return name


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


def read_pdf(
    path: str,
    *,
    sha256: str | None = None,
    max_pages: int | None = None,
    reader: str | None = None,
) -> Document:
    """Read `path` into a Document (lines with boxes and fonts, ruled tables, no furniture).

    `reader`: "pdfium" or "pdfplumber" (default: FINDINGS_READER, else pdfium); the Document
    says in `reader` which one read it ("pdfplumber" also after a fall-back).
    """
    name = resolve_reader(reader)
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
    pages, fallback = None, ""
    if name == "pdfium":
        pages, fallback = _pdfium_pages(path, max_pages)
    if pages is not None:
        document.pages = pages
        document.reader = "pdfium"
    else:
        document.pages = _plumber_pages(path, max_pages)
        document.reader, document.fallback = "pdfplumber", fallback
    if not any(page.lines for page in document.pages):
        raise UnreadablePDF(
            "no_text_layer",
            "the file has no text layer (a scanned image?); OCR would be needed.",
            document.reader, document.fallback,
        )
    if undecodable_share(document.pages) >= UNDECODABLE_LIMIT:
        raise UnreadablePDF(
            "no_usable_text",
            "the text cannot be decoded (fonts without a Unicode map); OCR would be needed.",
            document.reader, document.fallback,
        )
    remove_furniture(document.pages)
    return document


UNDECODABLE_LIMIT = 0.5  # share of a file's characters no Unicode map gives
_CID = re.compile(r"\(cid:\d+\)")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc, exactly


def undecodable_share(pages: list[Page]) -> float:
    """The share of the text's characters that no Unicode map decodes: pdfminer's "(cid:N)"
    for a code its font cannot map, and control characters (what pdfium gives such a code).

    A file over the limit has a text layer no tool can read; telling it apart from a file
    that is merely not a report keeps the reason true ("OCR would be needed").
    """
    total = unknown = 0
    for page in pages:
        for line in page.lines:
            text = line.text.replace(" ", "")
            codes = _CID.findall(text)
            rest = _CID.sub("", text)
            total += len(codes) + len(rest)
            unknown += len(codes) + len(_CONTROL.findall(rest))
    return unknown / total if total else 0.0


def _page(number: int, width: float, height: float, objects: dict, table_page) -> Page:
    """One page from its objects: lines, drawn bullets, ruled tables (either reader)."""
    lines = build_lines(objects["char"])
    shapes = objects.get("curve", []) + objects.get("rect", [])
    if shapes:
        mark_drawn_bullets(lines, shapes)
    return Page(
        number=number,
        width=width,
        height=height,
        lines=lines,
        tables=find_ruled_tables(table_page, lines),
    )


def _pdfium_pages(path: str, max_pages: int | None) -> tuple[list[Page] | None, str]:
    """(the pages read by pdfium, "") or (None, why pdfplumber must read this file).

    None for a file pdfium cannot open (pdfplumber may, or will name the reason) and for one
    it cannot reproduce exactly (extract.pdfium_source.Unsupported). Only the page limit is
    final here: pdfplumber would count the same pages.
    """
    from extract.pdfium_source import (
        ShapePage,
        Unsupported,
        font_metrics,
        open_document,
        page_objects,
    )

    try:
        pdf = open_document(path)
    except UnreadablePDF as error:
        return None, f"pdfium cannot open it ({error.reason})"
    try:
        count = len(pdf)
        if count == 0:
            return None, "pdfium finds no pages"
        if max_pages is not None and count > max_pages:
            raise UnreadablePDF(
                "too_many_pages", f"the PDF has {count} pages, more than the limit {max_pages}."
            )
        try:
            fonts, sizes = font_metrics(path)
        except Unsupported:
            raise
        except Exception:  # noqa: BLE001 - pdfminer cannot read the fonts: pdfium's own metrics
            fonts, sizes = None, []
        if fonts is not None and len(sizes) != count:
            return None, "pdfium and pdfminer count different pages"
        pages = []
        for index in range(count):
            pdfium_page = pdf[index]
            try:
                size = sizes[index] if fonts is not None else None
                width, height, objects = page_objects(pdfium_page, fonts, size)
            finally:
                pdfium_page.close()
            pages.append(
                _page(index + 1, width, height, objects, ShapePage(width, height, objects))
            )
        return pages, ""
    except Unsupported as error:
        return None, str(error)
    except UnreadablePDF:
        raise
    except Exception as error:  # noqa: BLE001 - anything pdfium trips on: the reference decides
        return None, f"pdfium failed: {type(error).__name__}: {error}"[:200]
    finally:
        pdf.close()


def _plumber_pages(path: str, max_pages: int | None) -> list[Page]:
    """The reference reader: pdfplumber's layout with lean chars (extract/page_objects.py)."""
    pages: list[Page] = []
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
                pages.append(_page(
                    plumber_page.page_number,
                    float(plumber_page.width),
                    float(plumber_page.height),
                    objects,
                    plumber_page,
                ))
                plumber_page.close()
    except UnreadablePDF:
        raise
    except Exception as error:  # pdfminer raises many types; none may escape raw
        raise _classify(error) from None
    return pages
