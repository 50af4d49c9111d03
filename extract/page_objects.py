"""A pdfplumber page's objects with lean chars: the same layout, a third less reading time.

`Page.chars` turns every pdfminer character into a dict of some twenty attributes (colours,
matrix, marked content, ...): about a third of the time pdfplumber needs to read one of these
reports (docs/performance.md). `extract/` uses eight attributes of a char, so this module reads
them straight from the layout pdfplumber builds (`Page.layout`), with `Page.process_object`'s own
coordinate rules. Rules and shapes, a few per page, still go through `process_object`, so
pdfplumber's table finder sees exactly what it would have.
"""

from __future__ import annotations

from unicodedata import normalize as normalize_unicode

from pdfminer.layout import LTChar, LTContainer, LTCurve
from pdfplumber.page import Page, fix_fontname_bytes

_SHAPE_KINDS = ("rect", "line", "curve")


def lean_objects(page: Page) -> dict[str, list[dict]]:
    """Fill `page`'s object cache with lean chars and full shapes, and return it.

    pdfplumber keeps a page's objects in `_objects` (it sets that cache itself, e.g. in
    `dedupe_chars`); filling it means `page.chars`, `page.rects`, `page.edges` and
    `page.find_tables()` all work from this one pass.
    """
    mb_x0, mb_top = page.mediabox[:2]
    height = page.height
    unicode_norm = page.pdf.unicode_norm
    chars: list[dict] = []
    objects: dict[str, list[dict]] = {"char": chars}
    stack = [iter(page.layout._objs)]
    while stack:
        for obj in stack[-1]:
            if isinstance(obj, LTChar):
                text = obj.get_text()
                if unicode_norm is not None:
                    text = normalize_unicode(unicode_norm, text)
                fontname = obj.fontname
                if isinstance(fontname, bytes):  # rare; pdfplumber decodes these the same way
                    fontname = fix_fontname_bytes(fontname)
                chars.append({
                    "text": text,
                    "fontname": fontname,
                    "size": obj.size,
                    "upright": obj.upright,
                    "x0": obj.x0 + mb_x0,
                    "x1": obj.x1 + mb_x0,
                    "top": height - obj.y1 + mb_top,
                    "bottom": height - obj.y0 + mb_top,
                })
            elif isinstance(obj, LTContainer):
                stack.append(iter(obj._objs))
                break
            elif isinstance(obj, LTCurve):
                shape = page.process_object(obj)
                if shape["object_type"] in _SHAPE_KINDS:
                    objects.setdefault(shape["object_type"], []).append(shape)
        else:
            stack.pop()
    page._objects = objects
    return objects
