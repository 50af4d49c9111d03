"""read_html: a saved web page (or a fetched one) -> Document, or UnreadablePDF with a reason.

The Inspectorate's site publishes each report as one long web page as well as a PDF. lxml's
HTML parser (libxml2, forgiving of real-world markup) builds the tree; this module walks it
into the same Document the PDF reader gives: blocks (headings, paragraphs, list items, table
rows, each with its heading path) and, for the templates, those blocks laid out as lines on
one pseudo-page per top-level section, tables as Table cells. Site furniture is dropped by
what it is in the markup (navigation, banners, footer, "(Back to top)" links, footnote
markers), never by its wording alone. Pages and boxes of a web page are not physical: the
loader stores them as NULL and keeps the section instead.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from extract.document import Block, Cell, Document, Line, Page, Table
from extract.errors import UnreadablePDF

HTML_SUFFIXES = (".html", ".htm")
# A report page is ~60-700 kB; anything far beyond is not one page of a report.
MAX_HTML_BYTES = 20 * 1024 * 1024
READER = "html"

# Elements that are the site's, not the report's.
_FURNITURE_TAGS = {
    "head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside",
    "form", "button", "svg", "iframe", "object", "select", "input", "dialog",
}
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog"}
# class / id words of banners and navigation on GOV.UK-style sites
_FURNITURE_NAMES = re.compile(
    r"(?:^|[\s_-])(cookie|cookies|banner|breadcrumbs?|skip-?link|site-?header|site-?footer|"
    r"licen[cs]e|menu|navigation|share|print-?link|back-?to-?top)(?:$|[\s_-])",
    re.I,
)
_BACK_TO_TOP = re.compile(r"^\(?\s*back\s+to\s+top\s*\)?$", re.I)
_FOOTNOTE_MARK = re.compile(r"^\[?\s*\d{1,3}\s*\]?$")
# a marker left in the running text itself, not in markup of its own: "… partners[2], and …"
_FOOTNOTE_IN_TEXT = re.compile(r"\s*\[\d{1,3}\]")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LISTS = {"ul", "ol"}
# elements whose content is running text inside a block
_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "font", "i",
    "img", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
    "time", "u", "var", "wbr", "del", "ins",
}
_LINE_HEIGHT = 14.0
_INDENT = 20.0
_WIDTH = 600.0


def is_html_file(path: str | Path, head: bytes = b"") -> bool:
    """A web page by its name (.html/.htm) or, for a file not named .pdf, by its first bytes (an
    HTML error page saved as x.pdf stays a file that is not a PDF)."""
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return True
    if suffix == ".pdf":
        return False
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html"))


def read_html(
    path: str, *, sha256: str | None = None, max_bytes: int = MAX_HTML_BYTES
) -> Document:
    """Parse a saved web page into a Document; UnreadablePDF says why it cannot be one."""
    data = Path(path).read_bytes()
    digest = sha256 or hashlib.sha256(data).hexdigest()
    if not data:
        raise UnreadablePDF("empty_file", "the file is empty (0 bytes).")
    if len(data) > max_bytes:
        raise UnreadablePDF(
            "html_too_large",
            f"the web page is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit"
            " for one report page.",
        )
    if b"\x00" in data[:4096] or not re.search(rb"<\s*[a-zA-Z!]", data[:65536]):
        raise UnreadablePDF(
            "malformed_html", "the file has no HTML markup (binary data or plain text)."
        )
    blocks = html_blocks(data)
    if not blocks:
        raise UnreadablePDF("empty_html", "the web page has no text in its body.")
    document = Document(path, digest, len(data), reader=READER, blocks=blocks)
    document.pages = layout_pages(blocks)
    return document


def html_blocks(data: bytes) -> list[Block]:
    """The body's blocks in reading order, site furniture dropped."""
    from lxml import etree, html

    try:
        root = html.document_fromstring(data)
    except (etree.ParserError, ValueError) as error:
        raise UnreadablePDF(
            "malformed_html", f"the web page cannot be parsed as HTML ({error})."
        ) from error
    body = root.find("body")
    if body is None:
        return []
    _drop_furniture(body)
    content = _main_content(body)
    walker = _Walker()
    walker.container(content, 0)
    return walker.blocks


def _drop_furniture(body) -> None:
    for element in list(body.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.getparent() is not None:
                element.drop_tree()
            continue
        if element.getparent() is None:
            continue
        tag = element.tag.lower()
        names = f"{element.get('class', '')} {element.get('id', '')}"
        furniture = (
            tag in _FURNITURE_TAGS
            or element.get("role", "").lower() in _FURNITURE_ROLES
            or element.get("aria-hidden") == "true"
            or element.get("hidden") is not None
            or (tag in {"div", "section", "p", "a", "span"} and _FURNITURE_NAMES.search(names))
        )
        text = _text(element) if tag in {"a", "sup", "span"} else ""
        if tag == "a" and _BACK_TO_TOP.match(text):
            furniture = True
        # footnote markers: "[1]" as a superscript or a link to the note
        if tag == "sup" and _FOOTNOTE_MARK.match(text):
            furniture = True
        if tag == "a" and text.startswith("[") and _FOOTNOTE_MARK.match(text):
            furniture = True
        if not furniture and tag in {"p", "li", "div"}:
            furniture = _only_page_links(element)
        if furniture:
            element.drop_tree()


def _only_page_links(element) -> bool:
    """A contents entry: all its text is links to places on the same page ("#ratings")."""
    text = _text(element)
    links = element.xpath(".//a[starts-with(@href, '#')]")
    return bool(text) and bool(links) and " ".join(_text(a) for a in links) == text


def _main_content(body):
    """The report itself: <main> (or role=main, or the one <article>) when the page marks it."""
    for path in ("//main", "//*[@role='main']", "//article"):
        found = body.xpath(path)
        if len(found) == 1:
            return found[0]
    return body


def _text(element) -> str:
    return " ".join(element.text_content().split())


class _Walker:
    """Turns the tree into blocks: block elements open blocks, inline ones run into them."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.headings: list[tuple[int, str]] = []

    @property
    def section(self) -> str:
        return " > ".join(text for _, text in self.headings)

    def emit(self, kind: str, text: str, depth: int, **extra) -> None:
        text = " ".join(_FOOTNOTE_IN_TEXT.sub("", text).split())
        if not text:
            return
        self.blocks.append(Block(kind, text, self.section, depth=depth, **extra))

    def container(self, element, depth: int) -> None:
        """Text and inline children run into paragraphs; block children are walked."""
        run: list[str] = [element.text or ""]
        for child in element:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag in _INLINE:
                run.append(" " if tag == "br" else child.text_content())
                run.append(child.tail or "")
                continue
            self.emit("paragraph", "".join(run), depth)
            run = []
            self.block(child, tag, depth)
            run.append(child.tail or "")
        self.emit("paragraph", "".join(run), depth)

    def block(self, element, tag: str, depth: int) -> None:
        if tag in _HEADINGS:
            level = _HEADINGS[tag]
            text = _text(element)
            if not text:
                return
            while self.headings and self.headings[-1][0] >= level:
                self.headings.pop()
            self.headings.append((level, text))
            self.emit("heading", text, depth, level=level)
        elif tag in _LISTS:
            self.list_items(element, tag, depth + 1)
        elif tag == "table":
            self.table(element, depth + 1)
        elif tag in {"p", "dt", "dd", "caption", "figcaption", "pre", "address", "summary"}:
            self.container(element, depth)
        elif tag == "li":  # an item outside a list: walk it as a list of one
            self.list_item(element, "•", depth + 1)
        else:  # div, section, blockquote, figure, details, dl, ...
            leaf = all(
                not isinstance(c.tag, str) or c.tag.lower() in _INLINE for c in element
            )
            self.container(element, depth if leaf else depth + 1)

    def list_items(self, element, tag: str, depth: int) -> None:
        number = _int(element.get("start"), 1)
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag.lower() != "li":
                self.block(child, child.tag.lower(), depth)
                continue
            number = _int(child.get("value"), number)
            self.list_item(child, f"{number}." if tag == "ol" else "•", depth)
            number += 1

    def list_item(self, element, marker: str, depth: int) -> None:
        """The item's own text is one block; lists or paragraphs inside it follow it."""
        own: list[str] = [element.text or ""]
        rest = []
        for child in element:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag in _INLINE and not rest:
                own.append(" " if tag == "br" else child.text_content())
                own.append(child.tail or "")
            else:
                rest.append(child)
        if not " ".join("".join(own).split()) and rest and rest[0].tag in {"p", "div"}:
            own, rest = [rest[0].text_content()], rest[1:]  # <li><p>text</p></li>
        self.emit("list_item", "".join(own), depth, marker=marker)
        for child in rest:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag:
                self.block(child, tag, depth + 1)
            if (child.tail or "").strip():
                self.emit("paragraph", child.tail, depth)

    def table(self, element, depth: int) -> None:
        for row in element.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            cells = [_text(c) for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if any(cells):
                self.emit("table_row", " ".join(c for c in cells if c), depth, cells=cells)
        for caption in element.xpath("./caption"):
            self.emit("paragraph", _text(caption), depth)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def layout_pages(blocks: list[Block]) -> list[Page]:
    """The blocks as lines for the templates: one line per block (a list item led by its
    marker, a table row's cells side by side), indented by nesting depth, headings bold and
    larger; a new pseudo-page at each top-level heading, so parts that read "the tables on
    the part's pages" (the glossary) see only their own section's tables."""
    top_level = min((b.level for b in blocks if b.kind == "heading"), default=1)
    page_level = top_level + 1  # h1 and h2 sections each start a page
    pages: list[Page] = [Page(1, _WIDTH, 0.0)]
    table: Table | None = None
    y = 0.0
    for block in blocks:
        if block.kind == "heading" and block.level <= page_level and pages[-1].lines:
            pages.append(Page(len(pages) + 1, _WIDTH, 0.0))
            y, table = 0.0, None
        page = pages[-1]
        x0 = block.depth * _INDENT
        text = f"{block.marker} {block.text}" if block.marker else block.text
        size = {1: 20.0, 2: 16.0, 3: 13.0}.get(block.level, 11.0 if block.level else 10.0)
        page.lines.append(
            Line(text, x0, y, _WIDTH, y + size, size, block.kind == "heading")
        )
        if block.kind == "table_row":
            if table is None:
                table = Table([], x0, y, _WIDTH, y + _LINE_HEIGHT)
                page.tables.append(table)
            step = (_WIDTH - x0) / max(len(block.cells), 1)
            table.rows.append(
                [
                    Cell([c] if c else [], x0 + k * step, y, x0 + (k + 1) * step, y + size)
                    for k, c in enumerate(block.cells)
                ]
            )
            table.bottom = y + size
        else:
            table = None
        y += _LINE_HEIGHT if size <= 11 else size + 4
        page.height = y
    return pages

