"""The extracted document: plain, picklable text geometry, independent of pdfplumber.

Workers send these across processes, so they hold only builtins. Coordinates are PDF points
from the page's top-left; page numbers are physical and 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Word:
    text: str
    x0: float
    x1: float


@dataclass
class Line:
    """One visual line of text (all columns at the same height), words in reading order."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    words: list[Word] = field(default_factory=list)


@dataclass
class Cell:
    """One ruled table cell; `lines` keep the cell's own line breaks for dehyphenation."""

    lines: list[str]
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Table:
    """A table drawn with rules; `rows` are top to bottom, cells left to right (None = merged)."""

    rows: list[list[Cell | None]]
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Block:
    """One block of a web page's body, in reading order: a heading, a paragraph, a list item
    or a table row, with the path of headings it sits under (`section`, " > "-joined).

    Web pages have no pages or boxes; `section` is where a value is found again (trace).
    """

    kind: str  # heading | paragraph | list_item | table_row
    text: str
    section: str
    level: int = 0  # a heading's level (1 for h1); 0 otherwise
    marker: str = ""  # a list item's printed marker: "•" or its number "3."
    cells: list[str] = field(default_factory=list)  # a table row's cells, left to right
    depth: int = 0  # nesting of lists, tables and boxes it sits in (an indent, as on screen)
    page: int | None = None  # a PDF's physical page; None on a web page


@dataclass
class Document:
    path: str
    sha256: str
    size_bytes: int
    pages: list[Page] = field(default_factory=list)
    reader: str = "pdfplumber"  # the character source that read it (extract/reader.py), "html"
    fallback: str = ""  # why pdfium did not read it, when pdfplumber did after trying pdfium
    # a web page's body as blocks (extract/html.py); its pages are those blocks laid out as
    # lines, one page per top-level section, for the templates, and are not physical
    blocks: list[Block] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """'html' for a web page, 'pdf' otherwise: a web page's values have no page."""
        return "html" if self.reader == "html" else "pdf"

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)
