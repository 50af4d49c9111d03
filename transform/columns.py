"""Two-column tables drawn without rules (term | definition, label | text), read from lines.

Used when a PDF has no ruled grid for a table. Layout is only a hint here: the right column's
left edge is the x where most lines' second column starts, and a new row starts where the
left column has text after a gap larger than the usual line pitch (or after an empty left cell).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from extract.document import Line
from transform.model import Box


@dataclass
class TextRow:
    page: int
    left: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)


def _column_split(lines: list[Line]) -> float | None:
    """The x where the right column starts on most lines (None: not a two-column block)."""
    margin = min(line.x0 for line in lines)
    starts: Counter[int] = Counter()
    for line in lines:
        words = line.words
        if words and words[0].x0 > margin + 40:
            starts[round(words[0].x0)] += 1
            continue
        for prev, word in zip(words, words[1:], strict=False):
            if word.x0 - prev.x1 > max(1.2 * line.size, 8):
                starts[round(word.x0)] += 1
                break
    if not starts:
        return None
    x, count = starts.most_common(1)[0]
    near = sum(c for s, c in starts.items() if abs(s - x) <= 3)
    return float(x) - 3 if near >= max(2, len(lines) // 3) else None


def text_table_rows(lines: list[tuple[int, Line]]) -> list[TextRow]:
    """Rows of a rule-less two-column table from (page, line) pairs in reading order."""
    if not lines:
        return []
    split = _column_split([line for _, line in lines])
    if split is None:
        return []
    pitches = [
        b.top - a.top
        for (pa, a), (pb, b) in zip(lines, lines[1:], strict=False)
        if pa == pb and 0 < b.top - a.top < 3 * a.size
    ]
    pitch = median(pitches) if pitches else 0.0
    rows: list[TextRow] = []
    previous: tuple[int, Line] | None = None
    for page, line in lines:
        left = [w.text for w in line.words if w.x0 < split]
        right = [w.text for w in line.words if w.x0 >= split]
        gap = line.top - previous[1].top if previous and previous[0] == page else None
        new_row = bool(left) and (
            not rows
            or not rows[-1].left
            or gap is None  # first line on a new page
            or (pitch and gap > 1.25 * pitch)
            or (previous is not None and not [w for w in previous[1].words if w.x0 < split])
        )
        if new_row:
            rows.append(TextRow(page))
        if rows:
            row = rows[-1]
            if left:
                row.left.append(" ".join(left))
            if right:
                row.right.append(" ".join(right))
                row.boxes.append(Box(page, split, line.top, line.x1, line.bottom))
        previous = (page, line)
    return rows
