"""A PDF's lines as blocks (headings, paragraphs, list items, table rows), like a web page's.

A web page marks its blocks; a PDF only has lines. Here lines are grouped by what the page
shows: a heading is a short line set larger than the body text (or bold at body size, ending
without a full stop), a list item opens at a bullet or a number, a paragraph runs over lines
until a gap wider than the line spacing, and a ruled table gives one block per row. Positions
and sizes are compared within the document only (the body size is the most common size), never
against fixed values. Knows nothing of inspections: the generic report layer reads the blocks.
"""

from __future__ import annotations

import re
from collections import Counter

from extract.document import Block, Document, Line, Table
from extract.hyphenation import Vocabulary, join_lines

# Characters that open a bulleted item (pdf bullets, private-use Symbol-font bullets, dashes).
BULLETS = "•●▪◦‣∙·○■□►*–-\uf0b7\uf0a7"
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")
_SENTENCE_END = (".", ",", ";", "?", "!")


def document_blocks(document: Document) -> list[Block]:
    """The document's blocks: a web page's own, else built from the PDF's lines."""
    if document.blocks:
        return document.blocks
    return pdf_blocks(document)


def pdf_blocks(document: Document) -> list[Block]:
    lines = [(page.number, line) for page in document.pages for line in page.lines]
    if not lines:
        return []
    body = Counter(round(ln.size) for _, ln in lines).most_common(1)[0][0]
    bigger = sorted({round(ln.size) for _, ln in lines if ln.size >= body + 1.5}, reverse=True)
    levels = {size: k for k, size in enumerate(bigger, start=1)}
    vocabulary = Vocabulary(ln.text for _, ln in lines)
    builder = _Builder(vocabulary)
    for page in document.pages:
        tables = sorted(page.tables, key=lambda t: t.top)
        for line in page.lines:
            while tables and tables[0].top <= line.top:
                builder.table(tables.pop(0), page.number)
            if any(_inside(line, t) for t in page.tables):
                continue
            builder.line(line, page.number, _heading_level(line, body, levels))
        for table in tables:
            builder.table(table, page.number)
    return builder.finish()


def _heading_level(line: Line, body: int, levels: dict[int, int]) -> int:
    """1.. for a heading (larger first), 0 for running text."""
    text = line.text.strip()
    if len(text) > 150 or not text or text[0] in BULLETS or text.endswith(_SENTENCE_END):
        return 0
    if round(line.size) in levels:
        return levels[round(line.size)]
    if line.bold and len(text) < 100:
        # a bold label ending in a colon ("Strengths:") sits under the bold heading before it
        return len(levels) + (2 if text.endswith(":") else 1)
    return 0


def _inside(line: Line, table: Table) -> bool:
    middle = (line.top + line.bottom) / 2
    return table.top - 1 <= middle <= table.bottom + 1 and table.x0 - 1 <= line.x0 <= table.x1


class _Builder:
    """Collects lines into open blocks and closes them when the layout says a new one starts."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.blocks: list[Block] = []
        self.headings: list[tuple[int, str]] = []
        self.open: tuple[str, list[str], Line, int, str, float] | None = None

    @property
    def section(self) -> str:
        return " > ".join(text for _, text in self.headings)

    def close(self) -> None:
        if self.open is None:
            return
        kind, texts, _, page, marker, _ = self.open
        text = " ".join(join_lines(texts, self.vocabulary).split())
        if text:
            self.blocks.append(Block(kind, text, self.section, marker=marker, page=page))
        self.open = None

    def line(self, line: Line, page: int, level: int) -> None:
        text = line.text.strip()
        if level:
            previous = self.open
            # a heading wrapped over two lines: the same size, straight after the first line
            if (
                previous is not None and previous[0] == "heading" and previous[3] == page
                and abs(previous[2].size - line.size) < 0.5
                and line.top - previous[5] < 1.6 * line.size
            ):
                previous[1].append(text)
                self.open = (*previous[:5], line.bottom)
                self.headings[-1] = (self.headings[-1][0], " ".join(previous[1]))
                return
            self.close()
            self.open = ("heading", [text], line, page, "", line.bottom)
            self._heading(level, text)
            return
        marker, rest = _marker(text)
        if marker is not None:
            self.close()
            if rest:
                self.open = ("list_item", [rest], line, page, marker, line.bottom)
            else:  # a bullet drawn on its own: the item's text is the next line
                self.open = ("list_item", [], line, page, marker, line.bottom)
            return
        if self.open is not None and self._continues(line, page):
            kind, texts, first, at, mark, _ = self.open
            texts.append(text)
            self.open = (kind, texts, first, at, mark, line.bottom)
            return
        self.close()
        self.open = ("paragraph", [text], line, page, "", line.bottom)

    def _heading(self, level: int, text: str) -> None:
        # the heading block is closed later (it may wrap); its path is set now
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, text))

    def _continues(self, line: Line, page: int) -> bool:
        kind, texts, first, at, _, bottom = self.open  # type: ignore[misc]
        if kind == "heading":
            return False
        if not texts:  # the text beside a bullet drawn alone
            return True
        gap = line.top - bottom if page == at else 0.0
        if gap > 0.8 * line.size:
            return False
        if kind == "list_item":  # a line left of the item's text is prose after the list
            return line.x0 >= first.x0 - 2
        return True

    def table(self, table: Table, page: int) -> None:
        self.close()
        for row in table.rows:
            cells = [" ".join(join_lines(c.lines, self.vocabulary).split()) if c else ""
                     for c in row]
            if any(cells):
                self.blocks.append(Block(
                    "table_row", " ".join(c for c in cells if c), self.section, cells=cells,
                    page=page,
                ))

    def finish(self) -> list[Block]:
        self.close()
        return self.blocks


def _marker(text: str) -> tuple[str | None, str]:
    """('•', rest) at a bullet, ('3.', rest) at a number, (None, text) otherwise."""
    if text[:1] in BULLETS and (len(text) == 1 or text[1:2].isspace()):
        return "•", text[1:].strip()
    numbered = _NUMBERED.match(text)
    if numbered:
        return f"{numbered.group(1)}.", numbered.group(2)
    return None, text
