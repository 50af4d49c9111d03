"""extract: PDF files -> plain Document objects (pages, lines, ruled tables). Knows PDFs only."""

from extract.document import Cell, Document, Line, Page, Table, Word
from extract.errors import UnreadablePDF
from extract.reader import read_pdf

__all__ = ["Cell", "Document", "Line", "Page", "Table", "UnreadablePDF", "Word", "read_pdf"]
