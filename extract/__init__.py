"""extract: PDF files and saved web pages -> plain Document objects (pages, lines, tables,
and a web page's blocks). Knows file formats only, nothing of inspections."""

from extract.dispatch import read_document
from extract.document import Block, Cell, Document, Line, Page, Table, Word
from extract.errors import UnreadablePDF
from extract.html import read_html
from extract.reader import read_pdf

__all__ = [
    "Block", "Cell", "Document", "Line", "Page", "Table", "UnreadablePDF", "Word",
    "read_document", "read_html", "read_pdf",
]
