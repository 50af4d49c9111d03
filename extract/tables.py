"""Ruled tables: pdfplumber finds the grid; cell text comes from our own lines' words.

Reusing the words already built for the page keeps one pass over the chars, and keeps the
cell's line breaks so hyphenation can be undone later like any other text.
"""

from __future__ import annotations

from extract.document import Cell, Line, Table


def _cell(bbox: tuple[float, float, float, float], lines: list[tuple[float, Line]]) -> Cell:
    """The words centred in the box, of the lines whose middle is in it.

    `lines` are the page's lines with their vertical middle, computed once per page.
    """
    x0, top, x1, bottom = bbox
    texts: list[str] = []
    for mid_y, line in lines:
        if not top <= mid_y <= bottom:
            continue
        words = [w.text for w in line.words if x0 <= (w.x0 + w.x1) / 2 <= x1]
        if words:
            texts.append(" ".join(words))
    return Cell(texts, x0, top, x1, bottom)


def find_ruled_tables(plumber_page, lines: list[Line]) -> list[Table]:
    """Tables drawn with lines or rects on this page (none when the page has no rules)."""
    if not (plumber_page.rects or plumber_page.lines or plumber_page.edges):
        return []
    tables = []
    verticals = [e for e in plumber_page.edges if e["orientation"] == "v"]
    middles = [((line.top + line.bottom) / 2, line) for line in lines]
    for found in plumber_page.find_tables():
        found_rows = found.rows  # a property that recomputes the rows on each access
        rows = [[_cell(bbox, middles) if bbox else None for bbox in row.cells]
                for row in found_rows]
        if not rows:
            continue
        x0, top, x1, bottom = found.bbox
        columns = max((r.cells for r in found_rows), key=lambda c: sum(b is not None for b in c))
        xs = [(b[0], b[2]) for b in columns if b is not None]
        above, below = _open_bands(verticals, x0, top, x1, bottom)
        if above:
            rows.insert(0, [_cell((a, above[0], b, above[1]), middles) for a, b in xs])
            top = above[0]
        if below:
            rows.append([_cell((a, below[0], b, below[1]), middles) for a, b in xs])
            bottom = below[1]
        tables.append(Table(rows, x0, top, x1, bottom))
    return tables


def _open_bands(verticals: list[dict], x0: float, top: float, x1: float, bottom: float):
    """Row parts a page break left open: column rules running on above or below the grid.

    A table row split over two pages has its side rules but no closing rule, so pdfplumber's
    grid stops short of it; the text there still belongs to the table.
    """
    inside = [e for e in verticals if x0 - 2 <= e["x0"] <= x1 + 2]
    down = [e for e in inside if abs(e["top"] - bottom) <= 2 and e["bottom"] > bottom + 4]
    up = [e for e in inside if abs(e["bottom"] - top) <= 2 and e["top"] < top - 4]
    below = (bottom, max(e["bottom"] for e in down)) if len(down) >= 2 else None
    above = (min(e["top"] for e in up), top) if len(up) >= 2 else None
    return above, below
