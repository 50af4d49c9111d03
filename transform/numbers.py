"""Numbers written as words ("Twenty-one", "nine", "No") -> int, as reports state counts."""

from __future__ import annotations

import re

_UNITS = {
    "no": 0, "none": 0, "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}


def parse_number(text: str) -> int | None:
    """'Twenty-one' -> 21, 'one hundred and five' -> 105, '21' / '1,024' -> int; else None."""
    cleaned = text.strip().lower().replace(",", "")
    if cleaned.isdigit():
        return int(cleaned)
    tokens = [t for t in re.split(r"[\s\-\u2010]+", cleaned) if t and t != "and"]
    if not tokens:
        return None
    total = current = 0
    for token in tokens:
        if token in _UNITS:
            current += _UNITS[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current


_WORDS = [*_UNITS, *_TENS, "hundred", "thousand", "and"]
_NUMBER_WORD = "|".join(sorted(_WORDS, key=len, reverse=True))
LEADING_NUMBER = re.compile(
    rf"^\s*(\d[\d,]*|(?:(?:{_NUMBER_WORD})(?:[\s\-\u2010]+|(?=\W)|$))+)", re.IGNORECASE
)


def leading_number(text: str) -> int | None:
    """The count a sentence starts with: 'Twenty-one children ...' -> 21."""
    match = LEADING_NUMBER.match(text)
    if not match:
        return None
    return parse_number(match.group(1))
