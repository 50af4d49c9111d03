"""Characters -> visual lines and words, in one pass over a page's chars.

Why not `extract_text()` + `extract_words()`: each re-walks every char; building lines once here
keeps extraction at about the cost of one `extract_text()` call per page.
"""

from __future__ import annotations

from functools import lru_cache
from statistics import median

from extract.document import Line, Word

_BOLD_MARKERS = ("bold", "black", "heavy", "semibold", "demi", ",b")
# typographic ligatures some engines emit as single glyphs ("ﬁ" -> "fi")
_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
}


@lru_cache(maxsize=256)  # a page has a handful of font names and thousands of chars
def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return any(marker in name for marker in _BOLD_MARKERS)


def build_lines(chars: list[dict]) -> list[Line]:
    """Group upright chars into lines (by vertical overlap), then into words (by gaps)."""
    upright = [c for c in chars if c.get("upright", True) and c["text"]]
    upright.sort(key=lambda c: (round(c["top"], 1), c["x0"]))
    groups: list[list[dict]] = []
    current: list[dict] = []
    line_top = line_bottom = 0.0
    for char in upright:
        top, bottom = char["top"], char["bottom"]
        if current:
            height = min(bottom - top, line_bottom - line_top) or 1.0
            overlap = min(bottom, line_bottom) - max(top, line_top)
            if overlap >= 0.5 * height:
                current.append(char)
                line_top = min(line_top, top)
                line_bottom = max(line_bottom, bottom)
                continue
            groups.append(current)
        current = [char]
        line_top, line_bottom = top, bottom
    if current:
        groups.append(current)
    lines = [_make_line(group) for group in groups]
    return [line for line in lines if line.text]


def _make_line(chars: list[dict]) -> Line:
    chars.sort(key=lambda c: c["x0"])
    words: list[Word] = []
    text_parts: list[str] = []
    word_x0 = word_x1 = 0.0
    prev_x1: float | None = None
    sizes = [c["size"] for c in chars]
    size = median(sizes) if sizes else 0.0
    gap_limit = max(0.8, 0.18 * size)
    for char in chars:
        glyph = _LIGATURES.get(char["text"], char["text"])
        if glyph.isspace():
            if text_parts:
                words.append(Word("".join(text_parts), word_x0, word_x1))
                text_parts = []
            prev_x1 = None
            continue
        if text_parts and prev_x1 is not None and char["x0"] - prev_x1 > gap_limit:
            words.append(Word("".join(text_parts), word_x0, word_x1))
            text_parts = []
        if not text_parts:
            word_x0 = char["x0"]
        text_parts.append(glyph)
        word_x1 = char["x1"]
        prev_x1 = char["x1"]
    if text_parts:
        words.append(Word("".join(text_parts), word_x0, word_x1))
    bold_chars = sum(
        1 for c in chars if _is_bold(c.get("fontname", "")) and not c["text"].isspace()
    )
    visible = sum(1 for c in chars if not c["text"].isspace()) or 1
    return Line(
        text=" ".join(w.text for w in words),
        x0=min(c["x0"] for c in chars),
        top=min(c["top"] for c in chars),
        x1=max(c["x1"] for c in chars),
        bottom=max(c["bottom"] for c in chars),
        size=round(size, 2),
        bold=bold_chars * 2 > visible,
        words=words,
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
