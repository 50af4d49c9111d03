"""Remove page furniture: running headers, running footers and page numbers.

A line is furniture when it sits in the top or bottom margin band and either repeats (digits
ignored) on most pages, or is a bare page number. Position is only used to choose candidates;
repetition across pages is the evidence.
"""

from __future__ import annotations

import re
from collections import Counter

from extract.document import Page

_MARGIN = 0.12  # fraction of page height searched at top and bottom
_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.IGNORECASE)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _candidates(page: Page) -> list[int]:
    """Indexes of the first two and last two lines if they lie in the margin bands."""
    n = len(page.lines)
    picks = [i for i in (0, 1, n - 2, n - 1) if 0 <= i < n]
    result = []
    for i in dict.fromkeys(picks):
        line = page.lines[i]
        if line.bottom <= page.height * _MARGIN or line.top >= page.height * (1 - _MARGIN):
            result.append(i)
    return result


def remove_furniture(pages: list[Page]) -> None:
    """Drop running headers/footers and page numbers from `pages` in place."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_key(page.lines[i].text) for i in _candidates(page)})
    threshold = max(2, len(pages) // 2)
    for page in pages:
        drop = set()
        for i in _candidates(page):
            text = page.lines[i].text.strip()
            if _PAGE_NUMBER.match(text) or (len(pages) >= 3 and counts[_key(text)] >= threshold):
                drop.add(i)
        if drop:
            page.lines = [line for i, line in enumerate(page.lines) if i not in drop]
