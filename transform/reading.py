"""What every report template reads with: lines in order, landmarks, numbered lists, bullets.

A template walks the document's lines in reading order and keys on the report's own words
("Strengths:", "(1)", "1.", "•"), never on one file's positions or fonts. This module holds that
shared machinery so `cci.py` and `yjs.py` keep only what is particular to their report family.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from extract.document import Document, Line
from extract.hyphenation import Vocabulary, join_lines
from transform.columns import text_table_rows
from transform.model import Box, GlossaryEntry, Report

MONTHS = {
    m: i
    for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"],
        start=1,
    )
}
MONTH_YEAR = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{4})\b"
)
#: the four ratings of the 2018+ frameworks, as a regex alternation (spacing may vary)
RATING_WORDS = r"Outstanding|Good|Requires\s+improvement|Inadequate"
# Characters that open a bulleted item (pdf bullets, private-use Symbol-font bullets, dashes).
BULLETS = "•●▪◦‣∙·○■□►*–-\uf0b7\uf0a7"


def month(text: str | None) -> date | None:
    """The first "March 2011" in `text` as the first day of that month."""
    if not text:
        return None
    match = MONTH_YEAR.search(text)
    if not match:
        return None
    return date(int(match.group(2)), MONTHS[match.group(1).lower()], 1)


def bullet_text(text: str) -> str | None:
    """The text after a leading bullet ("• Plans were…" -> "Plans were…"), or None."""
    if text[:1] in BULLETS and (len(text) == 1 or text[1:2].isspace()):
        return text[1:].strip()
    return None


@dataclass
class TextLine:
    """A line of the report in reading order, with the page it sits on."""

    page: int
    line: Line

    @property
    def text(self) -> str:
        return self.line.text.strip()

    def box(self) -> Box:
        ln = self.line
        return Box(
            self.page, round(ln.x0, 2), round(ln.top, 2), round(ln.x1, 2), round(ln.bottom, 2)
        )

    def relabel(self, text: str) -> TextLine:
        """The same line and box with other text (a heading's label cut off, say)."""
        ln = self.line
        return TextLine(
            self.page, Line(text, ln.x0, ln.top, ln.x1, ln.bottom, ln.size, ln.bold, ln.words)
        )


@dataclass
class Part:
    """A part of the report found by its heading: the lines up to the next part's heading."""

    heading: TextLine
    lines: list[TextLine]
    next_heading: TextLine | None  # None: the part runs to the end of the document


class Reader:
    """Holds the document's lines in order plus its vocabulary, and finds landmarks."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.lines = [TextLine(p.number, ln) for p in document.pages for ln in p.lines]
        self.vocabulary = Vocabulary(tl.line.text for tl in self.lines)
        self.warnings: list[str] = []

    def join(self, texts: list[str]) -> str:
        """Wrapped lines as running text, line-end hyphenation undone from evidence."""
        return join_lines(texts, self.vocabulary)

    def join_lines(self, lines: list[TextLine]) -> str:
        return self.join([tl.text for tl in lines])

    def find(self, pattern: re.Pattern[str] | str, start: int = 0, stop: int | None = None) -> int:
        """Index of the first line from `start` matching `pattern`, or -1."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        end = len(self.lines) if stop is None else stop
        for i in range(start, end):
            if regex.search(self.lines[i].text):
                return i
        return -1

    def part(
        self,
        heading: re.Pattern[str] | str,
        next_heading: re.Pattern[str] | str,
        missing: str | None = None,
        start: int = 0,
    ) -> Part | None:
        """The part under the first line matching `heading`, cut at the next `next_heading`.

        None when there is no such heading, noting the warning `missing` if one is given.
        """
        first = self.find(heading, start)
        if first < 0:
            if missing:
                self.warnings.append(missing)
            return None
        stop = self.find(next_heading, first + 1)
        return Part(
            self.lines[first],
            self.lines[first + 1 : stop if stop > 0 else None],
            self.lines[stop] if stop > 0 else None,
        )


def numbered_items(
    lines: list[TextLine], pattern: re.Pattern[str]
) -> list[tuple[int, list[TextLine]]]:
    """Split lines into numbered items ("(3) …" or "3. …", as `pattern`'s group 1 says).

    Lines before the first item are dropped; an item runs until the next item starts.
    """
    items: list[tuple[int, list[TextLine]]] = []
    for tl in lines:
        match = pattern.match(tl.text)
        if match:
            items.append((int(match.group(1)), [tl]))
        elif items:
            items[-1][1].append(tl)
    return items


def bulleted_items(lines: list[TextLine]) -> list[list[TextLine]]:
    """Split lines into bulleted items: each starts at a bullet and runs to the next one.

    Lines before the first bullet are dropped. A bullet standing alone on its line (some tools
    draw the text beside it as a separate line) is joined to the line after it. A line that
    starts left of its item's bullet is prose after the list, which ends it (a position used
    as a hint relative to the same item, never as an absolute place). Without any bullet at all
    (a producer that drew none), items are told apart by sentences: a line after one that ends a
    sentence and starting with a capital opens the next item.
    """
    items: list[list[TextLine]] = []
    pending_bullet = False
    ended = False
    for tl in lines:
        rest = bullet_text(tl.text)
        if rest is not None:
            ended = False
            if rest:
                items.append([tl.relabel(rest)])
                pending_bullet = False
            else:
                pending_bullet = True
        elif pending_bullet:
            items.append([tl])
            pending_bullet = False
        elif items and not ended:
            if tl.line.x0 < items[-1][0].line.x0 - 2 and tl.page == items[-1][-1].page:
                ended = True
                continue
            items[-1].append(tl)
    if not items and lines:
        return sentence_items(lines)
    return items


def sentence_items(lines: list[TextLine]) -> list[list[TextLine]]:
    """Unbulleted list items: a new item where a line follows a sentence's end with a capital."""
    items: list[list[TextLine]] = []
    for tl in lines:
        opens = not items or (
            items[-1][-1].text.endswith((".", ";", "!", "?")) and tl.text[:1].isupper()
        )
        if opens:
            items.append([tl])
        else:
            items[-1].append(tl)
    return items


def glossary_entries(r: Reader, part: Part) -> list[GlossaryEntry]:
    """Term | definition rows of a glossary part: from its ruled table where one is drawn
    (a row with no term continues the previous definition across a page), else from the
    lines' two columns (transform/columns.py)."""
    first_page = part.heading.page
    last_page = part.next_heading.page if part.next_heading else r.document.pages[-1].number
    entries: list[tuple[int, list[str], list[str]]] = []
    for page in r.document.pages:
        if not first_page <= page.number <= last_page:
            continue
        for table in page.tables:
            for row in table.rows:
                cells = [c for c in row if c is not None]
                if len(cells) < 2:
                    continue
                term, definition = cells[0].lines, cells[-1].lines
                if not term and entries:
                    entries[-1][2].extend(definition)
                elif term and definition:
                    entries.append((page.number, list(term), list(definition)))
    if not entries:
        for row in text_table_rows([(tl.page, tl.line) for tl in part.lines]):
            if row.left and row.right:
                entries.append((row.page, row.left, row.right))
            elif row.right and entries:
                entries[-1][2].extend(row.right)
    return [GlossaryEntry(r.join(term), r.join(text), page) for page, term, text in entries]


PartReader = Callable[[Reader, Report], None]


def read_parts(r: Reader, report: Report, parts: Iterable[PartReader]) -> None:
    """Run each part's reader; a part that meets an unexpected layout becomes a warning, so it
    never loses the rest of the report. Ends by noting how much text the document had."""
    for part in parts:
        try:
            part(r, report)
        except (ValueError, IndexError, AttributeError, KeyError, TypeError) as error:
            r.warnings.append(f"{part.__name__.lstrip('_')}: {type(error).__name__}: {error}")
    report.warnings.extend(r.warnings)
    report.text_chars = sum(len(tl.text) for tl in r.lines)
