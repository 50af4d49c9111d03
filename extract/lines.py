"""Characters -> visual lines and words, in one pass over a page's chars.

Why not `extract_text()` + `extract_words()`: each re-walks every char; building lines once here
keeps extraction at about the cost of one `extract_text()` call per page.

This runs for every char of every page (it was most of the time spent after reading chars),
so the per-char loops avoid function calls, and what is the same for a whole row of chars is
worked out once per row. Each shortcut gives exactly the value of the plain computation it
replaces; the docstrings say why.
"""

from __future__ import annotations

from functools import lru_cache
from operator import itemgetter
from statistics import median

from extract.document import Line, Word

_BOLD_MARKERS = ("bold", "black", "heavy", "semibold", "demi", ",b")
# typographic ligatures some engines emit as single glyphs ("ﬁ" -> "fi")
_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
}
_X0 = itemgetter("x0")
_TOP = itemgetter("top")
_BOTTOM = itemgetter("bottom")
_SIZE = itemgetter("size")
_FONTNAME = itemgetter("fontname")


@lru_cache(maxsize=256)  # a page has a handful of font names and thousands of chars
def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return any(marker in name for marker in _BOLD_MARKERS)


def build_lines(chars: list[dict]) -> list[Line]:
    """Group upright chars into lines (by vertical overlap), then into words (by gaps).

    In reading order, a char joins the current line when it overlaps the line's band by at
    least half the smaller height. `_blocks` hands over a row whose chars all have the same box
    as one block: its first char decides for all (the others then lie inside the band, so they
    pass the test and leave the band as it is).
    """
    blocks, sorted_by_x0 = _blocks(chars)
    groups: list[tuple[list[dict], bool]] = []  # a line's chars, and whether they are one block
    current: list[dict] = []
    one_block = True
    line_top = line_bottom = 0.0
    for block, top, bottom in blocks:
        if current:
            # min()/max() of two values written out: `b if b < a else a` is exactly min(a, b)
            char_height, band_height = bottom - top, line_bottom - line_top
            height = (band_height if band_height < char_height else char_height) or 1.0
            overlap = ((line_bottom if line_bottom < bottom else bottom)
                       - (line_top if line_top > top else top))
            if overlap >= 0.5 * height:
                current += block
                one_block = False
                if top < line_top:
                    line_top = top
                if bottom > line_bottom:
                    line_bottom = bottom
                continue
            groups.append((current, one_block))
        current = block
        one_block = sorted_by_x0
        line_top, line_bottom = top, bottom
    if current:
        groups.append((current, one_block))
    lines = [_make_line(group, one_block) for group, one_block in groups]
    return [line for line in lines if line.text]


def _blocks(chars: list[dict]) -> tuple[list[tuple[list[dict], float, float]], bool]:
    """Upright chars with text in reading order, as (chars, top, bottom) blocks; and a flag.

    Reading order is `sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"]))`. A page has
    thousands of chars on a few dozen baselines, so instead chars go into rows by rounded top
    (in page order; a char's box is looked up only when it differs from the previous char's),
    each row is sorted by x0 and the rows are taken by rounded top: the same stable sort.

    A row whose chars all have the same box (top, bottom), of positive height, is one block;
    any other row gives one block per char. The flag is True when the rows were sorted here:
    a one-block line is then already in x0 order. A NaN x0 or top (never seen) would compare
    differently in the two sorts, so it takes the plain sort and one block per char, flag False.
    """
    rows: dict[float, list[dict]] = {}  # rounded top -> its chars in page order
    boxes: dict[float, list[tuple[float, float]]] = {}  # rounded top -> the boxes in its row
    row_of: dict[tuple[float, float], list[dict]] = {}  # (top, bottom) -> its row
    row: list[dict] = []
    last_top = last_bottom = None
    nan = False
    for char in chars:
        if not (char.get("upright", True) and char["text"]):
            continue
        x0 = char["x0"]
        if x0 != x0:
            nan = True
        top, bottom = char["top"], char["bottom"]
        if top != last_top or bottom != last_bottom:
            last_top, last_bottom = top, bottom
            row = row_of.get((top, bottom))
            if row is None:
                key = round(top, 1)
                row = row_of[top, bottom] = rows.setdefault(key, [])
                boxes.setdefault(key, []).append((top, bottom))
        row.append(char)
    if nan or any(key != key for key in rows):
        upright = [c for c in chars if c.get("upright", True) and c["text"]]
        upright.sort(key=lambda c: (round(c["top"], 1), c["x0"]))
        return [([c], c["top"], c["bottom"]) for c in upright], False
    blocks: list[tuple[list[dict], float, float]] = []
    for key in sorted(rows):
        row = rows[key]
        row.sort(key=_X0)
        row_boxes = boxes[key]
        top, bottom = row_boxes[0]
        if len(row_boxes) == 1 and top < bottom:
            blocks.append((row, top, bottom))
        else:
            blocks += [([c], c["top"], c["bottom"]) for c in row]
    return blocks, True


def _make_line(chars: list[dict], one_block: bool) -> Line:
    """One line from its chars: words split at spaces and at gaps wider than ~0.18 em.

    `one_block`: the chars are one block of `_blocks`, already in x0 order and all with the
    same top and bottom, so the line's x0, top and bottom are the first char's: the very
    values min()/max() would return.
    """
    if not one_block:
        chars.sort(key=_X0)
    sizes = list(map(_SIZE, chars))
    size = median(sizes) if sizes else 0.0
    gap_limit = max(0.8, 0.18 * size)
    spans: list[tuple[list[str], float, float]] = []  # each word's char texts, x0, x1
    text_parts: list[str] = []
    word_x0 = word_x1 = 0.0  # word_x1 is also the previous char's x1 while a word is open
    x1_max = chars[0]["x1"]
    spaces = 0
    for char in chars:
        x0, x1, text = char["x0"], char["x1"], char["text"]
        if x1 > x1_max:
            x1_max = x1
        if text.isspace():
            spaces += 1
            if text_parts:
                spans.append((text_parts, word_x0, word_x1))
                text_parts = []
            continue
        if not text_parts:
            word_x0 = x0
        elif x0 - word_x1 > gap_limit:
            spans.append((text_parts, word_x0, word_x1))
            text_parts = []
            word_x0 = x0
        text_parts.append(text)
        word_x1 = x1
    if text_parts:
        spans.append((text_parts, word_x0, word_x1))
    # a char's text is spelt out when it is a ligature (rare: test the word, not each char)
    words = [
        Word("".join(parts) if _LIGATURES.keys().isdisjoint(parts)
             else "".join([_LIGATURES.get(part, part) for part in parts]), x0, x1)
        for parts, x0, x1 in spans
    ]
    visible = len(chars) - spaces
    first = chars[0]
    return Line(
        text=" ".join([word.text for word in words]),
        x0=first["x0"] if one_block else min(map(_X0, chars)),
        top=first["top"] if one_block else min(map(_TOP, chars)),
        x1=x1_max,
        bottom=first["bottom"] if one_block else max(map(_BOTTOM, chars)),
        size=_two_places(size),
        bold=_bold_chars(chars, visible) * 2 > (visible or 1),
        words=words,
    )


def _two_places(size: float) -> float:
    """The size to 0.01 pt, halves rounded up; pdfium keeps a glyph's matrix in 32-bit floats
    (10.995 is 10.9949999 there, 10.995000000000001 in pdfminer's doubles), so without the
    nudge the two readers would round one size to 10.99 and 11.0."""
    return round(size + 1e-5, 2)


def _bold_chars(chars: list[dict], visible: int) -> int:
    """How many of the line's non-space chars are in a bold font.

    Nearly every line is in one font: then the answer is all of them or none, without a
    per-char loop. A char without a font name counts as not bold, as in the loop.
    """
    try:
        fonts = set(map(_FONTNAME, chars))
    except KeyError:
        fonts = {char.get("fontname", "") for char in chars}
    if len(fonts) == 1:
        return visible if _is_bold(fonts.pop()) else 0
    return sum(
        1 for c in chars if _is_bold(c.get("fontname", "")) and not c["text"].isspace()
    )


def mark_drawn_bullets(lines: list[Line], shapes: list[dict]) -> None:
    """Prefix '•' to lines whose list bullet is drawn as a small shape, not a glyph.

    Some engines paint bullets as tiny filled circles or squares; without this the text would
    lose where each list item starts.
    """
    dots = [
        s for s in shapes
        if 1.0 <= s["x1"] - s["x0"] <= 8.0 and 1.0 <= s["bottom"] - s["top"] <= 8.0
        and abs((s["x1"] - s["x0"]) - (s["bottom"] - s["top"])) <= 1.5
    ]
    for dot in dots:
        mid = (dot["top"] + dot["bottom"]) / 2
        for line in lines:
            if line.top <= mid <= line.bottom and 0 <= line.x0 - dot["x1"] <= 30:
                if not line.text.startswith("•"):
                    line.text = "• " + line.text
                    line.words.insert(0, Word("•", dot["x0"], dot["x1"]))
                    line.x0 = min(line.x0, dot["x0"])
                break
