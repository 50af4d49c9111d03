"""pdfium as a character source: the objects `lean_objects` gives, without pdfminer's interpreter.

pdfminer's content-stream interpreter is ~88 % of reading a report with pdfplumber
(docs/performance.md); pdfium (pypdfium2, already installed for pdfplumber's rendering) walks the
same content streams in C. This module produces the chars and shapes `extract/` uses with
pdfplumber's conventions (top-left origin, `top`/`bottom`, pdfminer's char boxes), so
`build_lines`, drawn bullets and pdfplumber's own table finder give the same Document:

- a char's box is pdfminer's: from its origin, the advance width in the font's `/Widths` and the
  font descriptor's `/Descent`, one font size high. pdfium only knows the font program's metrics
  (and rounds widths to whole units), so those two numbers come from pdfminer's font objects,
  read from the page resources without interpreting any content stream (milliseconds);
- characters pdfium synthesises (spaces and line breaks it guesses from gaps) are dropped:
  pdfminer has none, and the line builder decides word breaks from real gaps;
- one glyph mapped to several characters (a ligature) stays one char, as in pdfminer;
- a text several codes draw with different widths (Ghostscript gives Chromium's apostrophe
  the text "9") takes the width of the glyph's own code: pdfium's loose box of the glyph
  (its code's width, in whole units), which the advance to the next glyph must confirm;
- paths become pdfminer's rect / line / curve objects by pdfminer's own rules, so the table
  finder sees the same edges;
- blanks pdfium's text page leaves out and pdfminer keeps are read back from the page's text
  objects (`_restore_blanks`) in files Microsoft Word made: Word writes the space between two
  runs as a text object of its own, whose box is empty, and pdfium's text page skips such an
  object and deletes a space that follows another space. A lost blank whose place its object
  does not tell exactly makes the page Unsupported. Other producers' files skip this pass
  (it walks every text object); bench/reader_identity.py shows they lose no blank.

The per-character loop and the path walk's object loops also exist in C (`_pdfium_chars.c`,
built by `pip install` where a compiler is found); the Python loops here are their reference
and tests compare the two.

Anything this cannot reproduce exactly raises `Unsupported` and the caller reads the whole file
with pdfplumber instead: rotated pages, a MediaBox not at the origin, characters without a
Unicode mapping (pdfminer writes "(cid:N)"), Type3 or vertical fonts, fonts pdfminer cannot
match by name, blanks a Word file loses that cannot be placed exactly.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
from dataclasses import dataclass, field
from typing import Any
from unicodedata import normalize

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from extract.errors import UnreadablePDF

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class Unsupported(Exception):
    """This file needs pdfplumber to give the reference result (the reason says why)."""


@dataclass
class FontMetrics:
    """pdfminer's numbers for one font: descent and advance widths (text space, per 1 pt)."""

    descent: float
    # text -> the font's own width number (None: ambiguous); times `hscale` for text space
    widths: dict[str, float | None] = field(default_factory=dict)
    default_width: float = 0.0
    hscale: float = 0.001
    ligatures: dict[str, str] = field(default_factory=dict)  # "ff" -> "\ufb00" as the font maps it
    name: str = ""  # pdfminer's font name, which pdfplumber's chars carry
    program: str | None = None  # sha1 of the embedded font program (FontFile*), None if none
    cid: bool = False  # a composite (Type0) font
    # text -> its widths, for a text several codes give with different widths (None in
    # `widths`, a code outside /W giving the default): each glyph's own is chosen
    # (`_TextPage.chosen_width`), else the page is Unsupported
    choices: dict[str, tuple[float, ...]] = field(default_factory=dict)
    other_name: str = ""  # a composite font's descendant's /BaseFont, which pdfium may give

    def agrees_with(self, other: FontMetrics) -> bool:
        """Every value a char takes from either font is the same (so either may serve): name,
        descent, scale and the width of every text both draw."""
        if (self.name, self.descent, self.hscale) != (other.name, other.descent, other.hscale):
            return False
        shared = self.widths.keys() & other.widths.keys()
        return all(self.widths[t] == other.widths[t] for t in shared) and all(
            self.ligatures.get(k, v) == v for k, v in other.ligatures.items()
        )


def bare_name(name: str) -> str:
    """A font name without its subset tag ("ABCDEF+Tahoma" -> "Tahoma"), as pdfium may give it."""
    if len(name) > 7 and name[6] == "+" and name[:6].isupper() and name[:6].isalpha():
        return name[7:]
    return name


class FontTable:
    """pdfminer's metrics of every font object a file's pages use, and which of them a pdfium
    font object is.

    A font is matched by object, never by name alone: pdfium strips subset tags and swaps
    standard names (Arial-BoldMT -> Helvetica-Bold), and producers give several fonts one name
    (Word: every subset "ABCDEE+..."; cairo: the same face as a simple and a CID font). A pdfium
    font matches the pdfminer fonts with its embedded program (same bytes), else with its bare
    name; when several match they must agree on every value a char takes from them, or the
    file is Unsupported.
    """

    def __init__(self, fonts: list[FontMetrics]) -> None:
        self.fonts = fonts
        self.by_program: dict[str, list[FontMetrics]] = {}
        self.by_bare: dict[str, list[FontMetrics]] = {}
        for font in fonts:
            if font.program is not None:
                self.by_program.setdefault(font.program, []).append(font)
            self.by_bare.setdefault(bare_name(font.name), []).append(font)
            if font.other_name and bare_name(font.other_name) != bare_name(font.name):
                self.by_bare.setdefault(bare_name(font.other_name), []).append(font)
        # pdfium font object -> its metrics; per page (pdfium may free a font between pages)
        self.resolved: dict[int, FontMetrics] = {}
        # the file's producer drops blanks pdfium's text page cannot see (Microsoft Word):
        # `_restore_blanks` reads them from the page's text objects
        self.blanks = False
        # id(FontMetrics) -> the texts the font draws as a blank glyph (`_blank_text`)
        self.blank_texts: dict[int, tuple[str, ...]] = {}
        # (id(FontMetrics), size, matrix) -> its run, for `_object_run`
        self.object_runs: dict[tuple, Any] = {}

    def __len__(self) -> int:
        return len(self.fonts)

    def names(self) -> list[str]:
        return [font.name for font in self.fonts]

    def match(self, handle: int) -> FontMetrics:
        """The metrics of pdfium font object `handle` (cached for the page being read)."""
        found = self.resolved.get(handle)
        if found is None:
            found = self.resolved[handle] = self._match(handle)
        return found

    def _match(self, handle: int) -> FontMetrics:
        name = _pdfium_font_name(handle)
        bare = bare_name(name)
        candidates = self.by_bare.get(bare, [])
        family = _standard_family(bare)
        if family is not None:  # pdfium names a system font by its standard name
            candidates = candidates + [
                f for f in self.fonts if f.program is None and f not in candidates
                and _standard_family(bare_name(f.name)) == family
            ]
        if len(candidates) > 1:  # several: the embedded program, then the kind decides
            program = _pdfium_font_program(handle)
            if program is not None:
                candidates = [f for f in candidates if f.program == program] or candidates
        if len(candidates) > 1 and any(f.name != bare_name(f.name) for f in candidates):
            # pdfium drops the subset tag of a simple font and keeps a composite font's
            kind = name != bare
            candidates = [f for f in candidates if f.cid == kind] or candidates
        if not candidates and len(self.fonts) == 1:
            candidates = self.fonts
        if not candidates:
            raise Unsupported(f"font {name!r} not found in the page resources")
        first = candidates[0]
        if any(not first.agrees_with(other) for other in candidates[1:]):
            raise Unsupported(f"fonts named {name!r} that differ and cannot be told apart")
        if len(candidates) == 1:
            return first
        merged = FontMetrics(first.descent, {}, first.default_width, first.hscale, {},
                             first.name, first.program)
        for other in candidates:
            merged.widths.update(other.widths)
            merged.ligatures.update(other.ligatures)
            merged.choices.update(other.choices)
        return merged



_STANDARD_FAMILIES = (("Helvetica", "Helvetica"), ("Arial", "Helvetica"), ("Times", "Times"),
                      ("Courier", "Courier"), ("Symbol", "Symbol"), ("ZapfDingbats", "Dingbats"))


def _standard_family(name: str) -> tuple[str, bool, bool] | None:
    """(family, bold, italic) of a name pdfium may give a system font in place of its own
    (Arial-BoldMT -> Helvetica-Bold); None for other fonts."""
    for prefix, family in _STANDARD_FAMILIES:
        if name.startswith(prefix):
            lower = name.lower()
            return family, "bold" in lower, "italic" in lower or "oblique" in lower
    return None


def _pdfium_font_name(handle: int) -> str:
    """pdfium's /BaseFont of a font object (subset tag and standard names as pdfium keeps them)."""
    buffer = ctypes.create_string_buffer(512)
    length = _base_font_name(handle, ctypes.addressof(buffer), 512)
    return buffer.raw[: max(length - 1, 0)].decode("utf-8", "replace")


def _pdfium_font_program(handle: int) -> str | None:
    """sha1 of the font program embedded in the PDF, None when pdfium uses a system font."""
    if not _is_embedded(handle):
        return None
    length = ctypes.c_size_t()
    if not _font_data(handle, None, 0, ctypes.addressof(length)) or not length.value:
        return None
    buffer = ctypes.create_string_buffer(length.value)
    if not _font_data(handle, ctypes.addressof(buffer), length.value, ctypes.addressof(length)):
        return None
    return hashlib.sha1(buffer.raw[: length.value]).hexdigest()


# ------------------------------------------------------------------------------------- opening
def open_document(path: str) -> pdfium.PdfDocument:
    """Open with pdfium; its errors become UnreadablePDF (the caller may still try pdfplumber)."""
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD or code == raw.FPDF_ERR_SECURITY:
            raise UnreadablePDF(
                "encrypted", "the PDF is encrypted or password-protected."
            ) from None
        raise UnreadablePDF(
            "corrupt_pdf", f"the PDF structure is damaged or truncated (pdfium: {error})."
        ) from None


def font_metrics(path: str) -> tuple[FontTable, list[tuple[float, float]]]:
    """pdfminer's metrics of every font object the pages (and their forms) use, and each
    page's (width, height) from its MediaBox as pdfplumber reads it.

    Reads only the page tree and the font dictionaries (and, for fonts that share a name, their
    embedded programs, so pdfium's font objects can be matched to them). Page sizes come from
    here because pdfium holds them as 32-bit floats (595.27559 for 595.275591).
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdffont import PDFCIDFont, PDFType3Font
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef, dict_value, resolve1
    from pdfminer.psparser import PSLiteral
    from pdfplumber.page import fix_fontname_bytes

    manager = PDFResourceManager(caching=True)
    fonts: list[FontMetrics] = []
    seen_fonts: set[Any] = set()
    seen_resources: set[int] = set()

    def program(font: Any) -> str | None:
        descriptor = resolve1(getattr(font, "descriptor", None)) or {}
        for key in ("FontFile2", "FontFile3", "FontFile"):
            stream = resolve1(descriptor.get(key)) if isinstance(descriptor, dict) else None
            if stream is not None and hasattr(stream, "get_data"):
                return hashlib.sha1(stream.get_data()).hexdigest()
        return None

    def descendant_name(spec: dict) -> str:
        descendants = resolve1(spec.get("DescendantFonts"))
        if not isinstance(descendants, list) or not descendants:
            return ""
        name = resolve1((resolve1(descendants[0]) or {}).get("BaseFont"))
        name = getattr(name, "name", name)
        return fix_fontname_bytes(name) if isinstance(name, bytes) else str(name or "")

    def add_font(spec_ref: Any) -> None:
        objid = spec_ref.objid if isinstance(spec_ref, PDFObjRef) else None
        spec = dict_value(spec_ref)
        key = objid if objid is not None else id(spec)
        if key in seen_fonts:
            return
        seen_fonts.add(key)
        font = manager.get_font(objid, spec)
        name = font.fontname
        if isinstance(name, PSLiteral):
            name = name.name
        if isinstance(name, bytes):
            name = fix_fontname_bytes(name)
        name = str(name)
        if isinstance(font, PDFType3Font) or font.is_vertical():
            raise Unsupported(f"Type3 or vertical font {name!r}")
        texts: dict[str, set[float]] = {}
        raw_widths = getattr(font, "widths", {}) or {}
        codes: dict[int, str] = {}
        if isinstance(font, PDFCIDFont):
            if font.unicode_map is not None:
                codes.update(getattr(font.unicode_map, "cid2unichr", {}))
        else:
            codes.update(getattr(font, "cid2unicode", {}))
            if font.unicode_map is not None:
                codes.update(getattr(font.unicode_map, "cid2unichr", {}))
        defaulted: dict[str, float] = {}  # texts codes outside the widths give
        for cid, text in codes.items():
            number = raw_widths.get(cid)
            if number is None:
                number = raw_widths.get(text)
            if number is None:
                defaulted[text] = float(font.default_width)
            else:
                texts.setdefault(text, set()).add(float(number))
        for text, number in defaulted.items():  # the default too may be drawn (Ghostscript
            texts.setdefault(text, set()).add(number)  # gives a digit's code no /W entry)
        for numbers in texts.values():  # a zero width beside others: a code never drawn
            if len(numbers) > 1:
                numbers.discard(0.0)
        fonts.append(FontMetrics(
            descent=font.get_descent(),
            widths={t: (w.pop() if len(w) == 1 else None) for t, w in texts.items()},
            default_width=float(font.default_width),
            hscale=font.hscale,
            ligatures={
                normalize("NFKC", t): t for t in texts
                if len(t) == 1 and len(normalize("NFKC", t)) > 1
            },
            name=name,
            program=program(font),
            cid=isinstance(font, PDFCIDFont),
            choices={t: tuple(sorted(w)) for t, w in texts.items() if len(w) > 1},
            other_name=descendant_name(spec),
        ))

    def walk(resources: Any, depth: int = 0) -> None:
        resources = resolve1(resources)
        if not isinstance(resources, dict) or id(resources) in seen_resources or depth > 8:
            return
        seen_resources.add(id(resources))
        for spec_ref in (resolve1(resources.get("Font")) or {}).values():
            add_font(spec_ref)
        for xobject in (resolve1(resources.get("XObject")) or {}).values():
            stream = resolve1(xobject)
            attrs = getattr(stream, "attrs", None)
            if attrs and getattr(resolve1(attrs.get("Subtype")), "name", None) == "Form":
                walk(attrs.get("Resources"), depth + 1)

    sizes: list[tuple[float, float]] = []
    with open(path, "rb") as handle:
        document = PDFDocument(PDFParser(handle))
        for page in PDFPage.create_pages(document):
            walk(page.resources)
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            sizes.append((abs(x1 - x0), abs(y1 - y0)))
        table = FontTable(fonts)
        table.blanks = _made_by_word(document.info)
    return table, sizes


def _made_by_word(info: list[dict]) -> bool:
    """Whether the document info names Microsoft Word as its producer or creator: Word writes
    spaces as text objects of their own, which pdfium's text page drops."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    made_by = []
    for entry in info:
        for key in ("Producer", "Creator"):
            value = resolve1(entry.get(key)) if isinstance(entry, dict) else None
            if isinstance(value, bytes):
                value = decode_text(value)
            made_by.append(str(value or ""))
    text = " ".join(made_by)
    return "Microsoft" in text and "Word" in text


# ------------------------------------------------------------------------------------- a page
def page_objects(
    page: pdfium.PdfPage,
    fonts: FontTable | None,
    size: tuple[float, float] | None = None,
) -> tuple[float, float, dict[str, list[dict]]]:
    """(width, height, {"char": [...], "rect": [...], "line": [...], "curve": [...]}).

    `fonts` None means pdfminer could not read the fonts: boxes then come from pdfium's own
    metrics (close, not identical) so a file only pdfium can open is still read. `size`:
    the page's (width, height) as pdfplumber reads it (else pdfium's).
    """
    handle = page.raw
    if raw.FPDFPage_GetRotation(handle) != 0:
        raise Unsupported("rotated page")
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if raw.FPDFPage_GetMediaBox(handle, left, bottom, right, top) and (left.value or bottom.value):
        raise Unsupported("MediaBox not at the origin")
    width = float(raw.FPDF_GetPageWidthF(handle))
    height = float(raw.FPDF_GetPageHeightF(handle))
    if size is not None:
        if abs(size[0] - width) > 0.01 or abs(size[1] - height) > 0.01:
            raise Unsupported("pdfium and pdfminer disagree on the page size")
        width, height = size
    objects: dict[str, list[dict]] = {"char": _chars(handle, height, fonts)}
    _shapes(handle, height, objects)
    return width, height, objects


def _chars(handle: Any, height: float, fonts: FontTable | None) -> list[dict]:
    textpage = raw.FPDFText_LoadPage(handle)
    if not textpage:
        raise Unsupported("pdfium could not build the page's text")
    if fonts is not None:  # font objects are matched again on each page
        fonts.resolved.clear()
        fonts.blank_texts.clear()
        fonts.object_runs.clear()
    try:
        chars = _read_chars(textpage, height, fonts)
        if fonts is not None and fonts.blanks:
            chars = _restore_blanks(handle, textpage, fonts, chars, height)
        return chars
    finally:
        raw.FPDFText_ClosePage(textpage)


def _address(pointer: Any) -> int:
    """A pdfium function or handle as a plain int, as ctypes prototypes and the C loops take it."""
    return ctypes.cast(pointer, ctypes.c_void_p).value


def _fast(function: Any, restype: Any, *argtypes: Any) -> Any:
    """The same pdfium function, declared with plain int and pointer arguments.

    pypdfium2's declarations build a typed pointer object for every argument and result;
    with `c_void_p` ctypes passes Python ints straight through, about twice as fast, and a
    page has tens of thousands of characters.
    """
    return ctypes.CFUNCTYPE(restype, *argtypes)(_address(function))


_VOID, _INT, _DOUBLE = ctypes.c_void_p, ctypes.c_int, ctypes.c_double
_text_object = _fast(raw.FPDFText_GetTextObject, _VOID, _VOID, _INT)
_char_origin = _fast(raw.FPDFText_GetCharOrigin, _INT, _VOID, _INT, _VOID, _VOID)
_is_generated = _fast(raw.FPDFText_IsGenerated, _INT, _VOID, _INT)
_has_map_error = _fast(raw.FPDFText_HasUnicodeMapError, _INT, _VOID, _INT)
_unicode = _fast(raw.FPDFText_GetUnicode, ctypes.c_uint, _VOID, _INT)
_get_text = _fast(raw.FPDFText_GetText, _INT, _VOID, _INT, _INT, _VOID)
_object_font = _fast(raw.FPDFTextObj_GetFont, _VOID, _VOID)
_base_font_name = _fast(raw.FPDFFont_GetBaseFontName, ctypes.c_size_t, _VOID, _VOID,
                        ctypes.c_size_t)
_is_embedded = _fast(raw.FPDFFont_GetIsEmbedded, _INT, _VOID)
_font_data = _fast(raw.FPDFFont_GetFontData, _INT, _VOID, _VOID, ctypes.c_size_t, _VOID)
_font_size = _fast(raw.FPDFText_GetFontSize, _DOUBLE, _VOID, _INT)
_char_matrix = _fast(raw.FPDFText_GetMatrix, _INT, _VOID, _INT, _VOID)
# pdfium marks a line-end hyphen U+0002; FPDFText_GetText writes that as U+FFFE
_HYPHEN_MARKS = ("\ufffe", "\x02")


PURE_PYTHON_ENV = "FINDINGS_PURE_PYTHON"
_C_LOOP_SIGNATURE = 4  # the C functions' arguments, as _pdfium_chars.c declares them


def _load_c_loop() -> Any:
    """extract/_pdfium_chars.c when `pip install` could build it and FINDINGS_PURE_PYTHON is
    not set, else None (the Python loops give the same objects; reading takes twice as long)."""
    if os.environ.get(PURE_PYTHON_ENV, "").strip() not in ("", "0"):
        return None
    try:
        from extract import _pdfium_chars
    except ImportError:
        return None
    if getattr(_pdfium_chars, "signature", None) != _C_LOOP_SIGNATURE:
        return None  # built from an older _pdfium_chars.c: `pip install -e .` rebuilds it
    return _pdfium_chars


_c_loop = _load_c_loop()
# the pdfium functions the C loop calls, by address: those pypdfium2 has loaded
_C_FUNCTIONS = tuple(map(_address, (
    raw.FPDFText_GetTextObject, raw.FPDFText_GetCharOrigin, raw.FPDFText_IsGenerated,
    raw.FPDFTextObj_GetFont, raw.FPDFText_GetFontSize, raw.FPDFText_GetMatrix,
)))


def _texts(page: int, count: int) -> str:
    """Every character's Unicode text, one per character index, in one call for the page.

    FPDFText_GetText writes UTF-16; a character outside the Basic Multilingual Plane takes
    two units there, so such a page is read one character at a time instead.
    """
    buffer = ctypes.create_string_buffer(4 * count + 2)  # room for surrogate pairs
    if _get_text(page, 0, count, ctypes.addressof(buffer)) == count + 1:
        texts = buffer.raw[: 2 * count].decode("utf-16-le", "surrogatepass")
        if len(texts) == count:
            return texts
    return "".join(chr(_unicode(page, i)) for i in range(count))


class _Run:
    """Characters drawn with one font, size and matrix (what a pdfium text object shares)."""

    def __init__(self, name: str, size: float, matrix: tuple[float, float, float, float],
                 metrics: FontMetrics | None) -> None:
        self.name, self.size = name, size
        self.a, self.b, self.c, self.d = matrix
        self.upright = self.a * self.d > 0 and self.b * self.c <= 0
        self.metrics = metrics
        if metrics is not None:
            self.descent = metrics.descent * size
        # texts whose width is known; one several codes give (metrics.choices) goes through
        # _TextPage.rare, which chooses the glyph's own width or refuses
        self.widths = {} if metrics is None else {
            text: number for text, number in metrics.widths.items() if number is not None
        }
        # text -> self.glyph(text); not kept when it depends on pdfium's box of each glyph
        self.glyphs: dict[str, tuple] = {}

    def glyph(self, text: str, loose: tuple[float, float]) -> tuple:
        """`_shape(text)`, worked out once per text when the font's metrics are known."""
        shape = self.glyphs.get(text)
        if shape is None:
            shape = self._shape(text, loose)
            if self.metrics is not None:
                self.glyphs[text] = shape
        return shape

    def corners(self, adv: float, descent: float, x: float, y: float
                ) -> tuple[float, float, float, float]:
        """(x0, x1, y0, y1) of a glyph whose matrix rotates or flips it: the extremes of its
        box's four corners."""
        a, b, c, d = self.a, self.b, self.c, self.d
        top_y = descent + self.size
        xs = (x + c * descent, x + a * adv + c * descent, x + c * top_y, x + a * adv + c * top_y)
        ys = (y + d * descent, y + b * adv + d * descent, y + d * top_y, y + b * adv + d * top_y)
        return min(xs), max(xs), min(ys), max(ys)

    def _shape(self, text: str, loose: tuple[float, float], number: float | None = None
               ) -> tuple:
        """(text, advance, descent, lag, upright box) of a glyph: the box (0, descent) -
        (advance, descent + size) through the matrix is, when the matrix neither rotates nor
        flips, an offset (width, low, high) from the origin. `number`: the font's width of
        this glyph when its text alone does not say it."""
        a, b, c, d, size, metrics = self.a, self.b, self.c, self.d, self.size, self.metrics
        text, chosen, width = text.partition(_CHOSEN)
        if chosen:  # a text of several widths, the glyph's chosen by `_TextPage.rare`
            number = float(width)
        if metrics is not None:
            text = metrics.ligatures.get(text, text)
            if number is None:
                number = metrics.widths.get(text, metrics.default_width)
            if number is None:
                raise Unsupported(f"ambiguous width of {text!r} in {self.name!r}")
            descent = self.descent
            adv = number * metrics.hscale * size
            lag = a * (number - int(number)) * metrics.hscale * size
        else:  # pdfium's own metrics: the loose box (font program widths and descent)
            adv = loose[0] / ((a * a + b * b) ** 0.5 or 1.0)
            descent = loose[1] / ((c * c + d * d) ** 0.5 or 1.0)
            lag = 0.0
        upright_box = None
        if b == 0 and c == 0 and a > 0 and d > 0 and adv >= 0 and size >= 0:
            upright_box = (a * adv, d * descent, d * (descent + size))
        return text, adv, descent, lag, upright_box


_NO_LOOSE = (0.0, 0.0)
# `_TextPage.rare` gives a text several codes draw with different widths as text + this + the
# width it chose; `_Run._shape` reads it back (a char text never holds a NUL)
_CHOSEN = "\x00"


class _TextPage:
    """One pdfium text page and what both character loops ask of it besides each glyph's
    object and origin: the run of a new text object, the rule for a rare character."""

    def __init__(self, textpage: Any, fonts: FontTable | None) -> None:
        self.textpage = textpage
        self.address = _address(textpage)
        self.fonts = fonts
        self.runs: dict[tuple, _Run] = {}  # (font object, size, matrix) -> run
        self.matrix = raw.FS_MATRIX()
        self.matrix_at = ctypes.addressof(self.matrix)

    def run_of(self, i: int) -> _Run:
        """The run of character `i`'s text object: its font object, size and matrix."""
        page = self.address
        font = _object_font(_text_object(page, i))
        _char_matrix(page, i, self.matrix_at)
        matrix = self.matrix
        shared = (font, _font_size(page, i), matrix.a, matrix.b, matrix.c, matrix.d)
        run = self.runs.get(shared)
        if run is None:
            if self.fonts is not None:
                metrics: FontMetrics | None = self.fonts.match(font)
                name = metrics.name
            else:  # pdfminer could not read the fonts: pdfium's name and metrics
                metrics, name = None, _pdfium_font_name(font)
            run = self.runs[shared] = _Run(name, shared[1], shared[2:], metrics)
        return run

    def rare(self, i: int, run: _Run, text: str) -> str:
        """Character `i`, whose text its font's widths do not know: pdfium's line-end hyphen
        marker, a NUL, or (refused) a character without a Unicode mapping."""
        if text in _HYPHEN_MARKS and _unicode(self.address, i) == 2 and raw.FPDFText_IsHyphen(
            self.textpage, i
        ) == 1:
            return _hyphen(run.metrics)  # pdfium reports a line-end hyphen as U+0002
        if text == "\x00":
            text = ""
        if run.metrics is not None and text in run.metrics.choices:
            return f"{text}{_CHOSEN}{self.chosen_width(i, run, text)!r}"
        if text not in run.widths and _has_map_error(self.address, i):
            raise Unsupported("a character without a Unicode mapping")
        return text


    def chosen_width(self, i: int, run: _Run, text: str) -> float:
        """The font's width of glyph `i`, whose text several codes give with different widths
        (Ghostscript maps Chromium's apostrophe to '9'): the candidate pdfium's loose box of
        the glyph is as wide as (pdfium takes it from the glyph's own code, in whole units),
        which the advance to the next glyph of its text object must confirm where there is
        one (the advance is the width plus Tc and any TJ kerning: within a quarter of the
        candidates' spacing, and 40 thousandths of the font size). Anything else, or pdfium
        giving its tight box in place of the loose one: Unsupported."""
        assert run.metrics is not None
        choices = run.metrics.choices[text]
        refused = Unsupported(f"ambiguous width of {text!r} in {run.name!r}: {choices}")
        if not (run.b == 0 and run.c == 0 and run.a > 0 and run.d > 0):
            raise refused
        scale = run.metrics.hscale * run.size * run.a  # one width unit, in page space
        loose, tight = raw.FS_RECTF(), (ctypes.c_double(), ctypes.c_double())
        raw.FPDFText_GetLooseCharBox(self.textpage, i, loose)
        _char_box(self.address, i, *(ctypes.addressof(v) for v in tight), None, None)
        if abs(loose.left - tight[0].value) < 1e-3 and abs(loose.right - tight[1].value) < 1e-3:
            raise refused  # pdfium fell back to the glyph's outline box
        wide = (loose.right - loose.left) / scale
        fits = [number for number in choices if abs(wide - number) <= 1.0]
        if len(fits) != 1:
            raise refused
        advance = self._advance(i)
        if advance is not None:
            spacing = min(b - a for a, b in zip(choices, choices[1:], strict=False))
            tolerance = min(spacing / 4, 40 * run.metrics.hscale * 1000)
            near = [number for number in choices if abs(advance / scale - number) <= tolerance]
            if near != fits:
                raise refused
        return fits[0]

    def _advance(self, i: int) -> float | None:
        """The distance from glyph `i`'s origin to the next glyph's of its text object along
        a horizontal line (None when it is the object's last glyph)."""
        page = self.address
        key = _text_object(page, i)
        count = raw.FPDFText_CountChars(self.textpage)
        x, y = ctypes.c_double(), ctypes.c_double()
        _char_origin(page, i, ctypes.addressof(x), ctypes.addressof(y))
        here, line = x.value, y.value
        for after in range(i + 1, count):
            if _text_object(page, after) != key:
                return None
            if _is_generated(page, after) == 1:
                continue
            _char_origin(page, after, ctypes.addressof(x), ctypes.addressof(y))
            if x.value != here or y.value != line:
                return x.value - here if y.value == line else None
        return None


def _read_chars(textpage: Any, height: float, fonts: FontTable | None) -> list[dict]:
    """Every real glyph of the page as a lean char dict with pdfminer's box: by the C loop
    (extract/_pdfium_chars.c) when it is built, else by the same loop in Python."""
    page = _TextPage(textpage, fonts)
    texts = _texts(page.address, raw.FPDFText_CountChars(textpage))
    if _c_loop is not None and fonts is not None:
        return _c_loop.read_chars(
            page.address, texts, height, page.run_of, page.rare, _NO_LOOSE, *_C_FUNCTIONS
        )
    return _read_chars_python(page, texts, height)


def _read_chars_python(page: _TextPage, texts: str, height: float) -> list[dict]:
    """The reference loop (extract/_pdfium_chars.c does the same, step for step).

    pdfium advances each glyph by its width truncated to whole font units (Chromium writes
    widths like 733.887); along a text object that drifts from pdfminer's positions (0.2 pt
    over a line). The origin is corrected by the running sum of the truncated fractions,
    reset at each text object: both then agree to ~1e-4 pt.

    Two pdfium calls per character (its text object and its origin); the rest is asked only
    where it can matter: whether a space is one pdfium made up (characters it made up
    elsewhere have no text object), and what a character the font's widths do not know is.
    """
    address, fonts = page.address, page.fonts
    ox, oy = ctypes.c_double(), ctypes.c_double()
    origin_x, origin_y = ctypes.addressof(ox), ctypes.addressof(oy)
    box = raw.FS_RECTF()
    by_object: dict[int, _Run] = {}  # pdfium text object -> its run
    chars: list[dict] = []
    run_key, lag = None, 0.0  # the text object being read; its origins' accumulated lag
    last_key = last_x = last_y = None  # the previous glyph's text object and origin
    last_text, last_lag, loose = "", 0.0, _NO_LOOSE
    for i, text in enumerate(texts):
        key = _text_object(address, i)
        if not key or (text == " " and _is_generated(address, i) == 1):
            continue  # a space or line break pdfium made up from a gap
        _char_origin(address, i, origin_x, origin_y)
        x = ox.value
        y = oy.value
        run = by_object.get(key)
        if run is None:
            run = by_object[key] = page.run_of(i)
        if text not in run.widths:  # rare: a hyphen marker, a NUL, an unmapped char
            text = page.rare(i, run, text)
        if key == last_key and x == last_x and y == last_y:
            chars.pop()  # one glyph, several characters (a ligature): one char
            text, lag = last_text + text, last_lag
        else:
            if key != run_key:
                run_key, lag = key, 0.0
            last_key, last_x, last_y, last_lag = key, x, y, lag
            if fonts is None:  # only then are pdfium's own metrics needed
                raw.FPDFText_GetLooseCharBox(page.textpage, i, box)
                loose = (box.right - box.left, box.bottom - y)
        last_text = text
        shape = run.glyph(text, loose)
        chars.append(_char(run, shape, x + lag, y, height))
        lag += shape[3]
    return chars


# ------------------------------------------------------------------------------------- blanks
_BLANK_TOLERANCE = 0.01  # pt: pdfium's own test for an empty text object (kSizeEpsilon)
_object_bounds = _fast(raw.FPDFPageObj_GetBounds, _INT, _VOID, _VOID, _VOID, _VOID, _VOID)
_object_font_size = _fast(raw.FPDFTextObj_GetFontSize, _INT, _VOID, _VOID)
_char_box = _fast(raw.FPDFText_GetCharBox, _INT, _VOID, _INT, _VOID, _VOID, _VOID, _VOID)
_glyph_path = _fast(raw.FPDFFont_GetGlyphPath, _VOID, _VOID, ctypes.c_uint, ctypes.c_float)
_glyph_segments = _fast(raw.FPDFGlyphPath_CountGlyphSegments, _INT, _VOID)
_TEXT = raw.FPDF_PAGEOBJ_TEXT


def _restore_blanks(handle: Any, textpage: Any, fonts: FontTable, chars: list[dict],
                    height: float) -> list[dict]:
    """`chars` with the blank glyphs pdfium's text page leaves out, as pdfminer has them.

    pdfium's text page skips a text object whose box is empty (every glyph blank: Word writes
    each space between runs as a text object of its own) and deletes a space that follows
    another space on a line; pdfminer keeps every glyph. The page's text objects, walked in
    content order (into forms), say what is missing: an object with no char on the text page
    is blank if its box has no height, and its glyphs sit at its origin (one blank) or at both
    ends of its box (two). The glyph is the one text the font draws blank. An object whose
    chars pdfium kept must span exactly its box, else pdfium dropped something inside it that
    cannot be placed: Unsupported, as is anything else not known exactly.
    """
    address = _address(textpage)
    texts = _texts(address, raw.FPDFText_CountChars(textpage))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    origin_x, origin_y = ctypes.addressof(ox), ctypes.addressof(oy)
    keys: list[int] = []  # the text object of each char of `chars`
    owned: dict[int, list[int]] = {}  # text object -> its text-page indices
    last = None
    for i, text in enumerate(texts):
        key = _text_object(address, i)
        if not key:
            continue
        if text == " " and _is_generated(address, i) == 1:
            # a space pdfium made up from a wide kerning inside an object: it deletes a real
            # space that follows it, which no box shows
            raise Unsupported("pdfium made up a space inside a text object (a blank may be lost)")
        _char_origin(address, i, origin_x, origin_y)
        if last == (key, ox.value, oy.value):
            continue  # a ligature's further characters: one char
        last = (key, ox.value, oy.value)
        keys.append(key)
        owned.setdefault(key, []).append(i)
    if len(keys) != len(chars):
        raise Unsupported("pdfium's text page and its chars disagree")
    after: dict[int, list[dict]] = {}  # index in `chars` -> blanks that follow that char
    last_index = {key: index for index, key in enumerate(keys)}
    first_index = {key: index for index, key in reversed(list(enumerate(keys)))}
    previous = -1  # the last char of the latest text object in content order
    for obj, form in _text_objects(handle):
        left, bottom, right, top = _bounds(obj, form)
        if obj in owned:
            leading, trailing = _kept_ends(address, owned[obj], texts, (left, right), obj,
                                           form, fonts, height)
            if leading:
                after.setdefault(first_index[obj] - 1, []).extend(leading)
            if trailing:
                after.setdefault(last_index[obj], []).extend(trailing)
            previous = max(previous, last_index[obj])
            continue
        if top - bottom > _BLANK_TOLERANCE:
            raise Unsupported("pdfium's text page dropped a text object that draws ink")
        after.setdefault(previous, []).extend(
            _blank_chars(obj, form, fonts, left, right, height)
        )
    if not after:
        return chars
    restored = list(after.get(-1, []))
    for index, char in enumerate(chars):
        restored.append(char)
        restored.extend(after.get(index, ()))
    return restored


def _text_objects(handle: Any) -> list[tuple[int, Matrix]]:
    """(text object, the matrix of the forms around it) of a page, in content order."""
    found: list[tuple[int, Matrix]] = []
    matrix = raw.FS_MATRIX()
    matrix_at = ctypes.addressof(matrix)

    def walk(owner: int, count: int, in_form: bool, outer: Matrix) -> None:
        for obj, kind in _drawn_objects(owner, count, in_form, _TEXT):
            if kind == _TEXT:
                found.append((obj, outer))
            else:  # a form
                _object_matrix(obj, matrix_at)
                m = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
                walk(obj, _form_count(obj), True, _multiply(m, outer))

    page = _address(handle)
    walk(page, raw.FPDFPage_CountObjects(handle), False, _IDENTITY)
    return found


def _bounds(obj: int, form: Matrix) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a text object's box on the page (pdfium's GetRect: the
    union of its glyphs' boxes, a blank glyph a point at its origin)."""
    values = [ctypes.c_float() for _ in range(4)]
    if not _object_bounds(obj, *(ctypes.addressof(v) for v in values)):
        raise Unsupported("pdfium gives no box for a text object")
    left, bottom, right, top = (v.value for v in values)
    if form != _IDENTITY:
        a, b, c, d, e, f = form
        if b or c or a <= 0 or d <= 0:
            raise Unsupported("a blank inside a rotated or flipped form")
        left, right, bottom, top = a * left + e, a * right + e, d * bottom + f, d * top + f
    return left, bottom, right, top


def _kept_ends(address: int, indices: list[int], texts: str, box: tuple[float, float],
               obj: int, form: Matrix, fonts: FontTable, height: float
               ) -> tuple[list[dict], list[dict]]:
    """The spaces pdfium deleted at the start and end of a text object whose other chars it
    kept (a space after a space: its temporary line keeps only the first), as chars.

    The object's box runs from its first glyph to its last (a blank glyph a point at its
    origin); kept chars that do not reach an end of it leave out one space there: at the
    object's origin, or at the box's right end. A gap of more than one space, a space lost
    between two kept chars or a turned object: Unsupported.
    """
    left, right = box
    ox, oy = ctypes.c_double(), ctypes.c_double()
    x0, x1, y0, y1 = (ctypes.c_double() for _ in range(4))

    def origin(i: int) -> tuple[float, float]:
        _char_origin(address, i, ctypes.addressof(ox), ctypes.addressof(oy))
        return ox.value, oy.value

    def extent(i: int) -> tuple[float, float]:
        if texts[i].isspace():  # a blank glyph's box is a point at its origin
            x = origin(i)[0]
            return x, x
        _char_box(address, i, *(ctypes.addressof(v) for v in (x0, x1, y0, y1)))
        return x0.value, x1.value

    def short(low: float, high: float) -> tuple[bool, bool]:
        return left < low - _BLANK_TOLERANCE, right > high + _BLANK_TOLERANCE

    # the first and last chars reach the box's ends (nearly always); only if not, all of them
    short_left, short_right = short(extent(indices[0])[0], extent(indices[-1])[1])
    if short_left or short_right:
        extents = [extent(i) for i in indices]
        short_left, short_right = short(min(x[0] for x in extents), max(x[1] for x in extents))
    spaces = [n for n, i in enumerate(indices[:-1]) if texts[i] == " "]
    if not (short_left or short_right or spaces):
        return [], []
    run, e, f = _object_run(obj, form, fonts)
    if " " not in run.widths:
        if short_left or short_right:
            raise Unsupported("pdfium's text page dropped a blank inside a text object")
        return [], []
    shape = run.glyph(" ", _NO_LOOSE)
    advance = shape[1] * (run.a * run.a + run.b * run.b) ** 0.5  # a space along the line

    def one_space(gap: float) -> bool:
        return abs(gap - advance) <= advance / 4

    for n in spaces:  # a space after a kept space leaves a gap of two
        (xa, ya), (xb, yb) = origin(indices[n]), origin(indices[n + 1])
        if ((xb - xa) ** 2 + (yb - ya) ** 2) ** 0.5 > advance * 1.5:
            raise Unsupported("pdfium's text page may have dropped a space inside a text object")
    leading, trailing = [], []
    if (short_left or short_right) and not (run.b == 0 and run.c == 0 and run.a > 0
                                            and run.d > 0):
        raise Unsupported("pdfium's text page dropped a blank inside a turned text object")
    if short_left:
        if not one_space(origin(indices[0])[0] - e) or abs(left - e) > _BLANK_TOLERANCE:
            raise Unsupported("pdfium's text page dropped blanks that start a text object")
        leading.append(_char(run, shape, e, f, height))
    if short_right:
        last_x, last_y = origin(indices[-1])
        if texts[indices[-1]] != " " or not one_space(right - last_x):
            raise Unsupported("pdfium's text page dropped blanks that end a text object")
        trailing.append(_char(run, shape, right, last_y, height))
    return leading, trailing


def _object_run(obj: int, form: Matrix, fonts: FontTable) -> tuple[_Run, float, float]:
    """The run of a text object's glyphs (as the character loops make it from the text page:
    its font, size and matrix) and its origin on the page."""
    matrix = raw.FS_MATRIX()
    _object_matrix(obj, ctypes.addressof(matrix))
    a, b, c, d, e, f = _multiply(
        (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), form
    )
    size = ctypes.c_float()
    if not _object_font_size(obj, ctypes.addressof(size)):
        raise Unsupported("pdfium gives no font size for a text object")
    metrics = fonts.match(_object_font(obj))
    key = (id(metrics), size.value, a, b, c, d)
    run = fonts.object_runs.get(key)
    if run is None:
        run = fonts.object_runs[key] = _Run(metrics.name, float(size.value), (a, b, c, d),
                                            metrics)
    return run, e, f


def _blank_chars(obj: int, form: Matrix, fonts: FontTable, left: float, right: float,
                 height: float) -> list[dict]:
    """pdfminer's chars of a blank text object pdfium's text page left out: one blank at its
    origin, or two, at both ends of its box (more cannot be placed: Unsupported)."""
    run, e, f = _object_run(obj, form, fonts)
    assert run.metrics is not None
    text = _blank_text(fonts, run.metrics, _object_font(obj))
    shape = run.glyph(text, _NO_LOOSE)
    origins = [(e, f)]
    span = right - left
    if span > _BLANK_TOLERANCE:  # several blanks: the box runs from the first to the last
        advance = shape[1] * run.a  # the blank's width along the line
        upright = run.b == 0 and run.c == 0 and run.a > 0 and run.d > 0
        if not upright or abs(span - advance) > advance / 4:
            raise Unsupported("a blank text object of more than two glyphs")
        origins.append((e + span, f))
    return [_char(run, shape, x, y, height) for x, y in origins]


def _blank_text(fonts: FontTable, metrics: FontMetrics, font: int) -> str:
    """The one text `metrics`' font draws as a blank glyph (no outline), else Unsupported."""
    found = fonts.blank_texts.get(id(metrics))
    if found is None:
        found = fonts.blank_texts[id(metrics)] = tuple(
            text for text in metrics.widths if len(text) == 1 and _is_blank(font, text)
        )
    if len(found) != 1:
        raise Unsupported(f"which blank a text object of {metrics.name!r} draws: {found}")
    return found[0]


def _is_blank(font: int, text: str) -> bool:
    """Whether pdfium draws `text` in `font` with no outline (or cannot say)."""
    path = _glyph_path(font, ord(text), 1.0)
    return not path or _glyph_segments(path) <= 0


def _char(run: _Run, shape: tuple, x: float, y: float, height: float) -> dict:
    """A char dict as the character loops make it, for a glyph at origin (x, y)."""
    char_text, adv, descent, _, upright_box = shape
    if upright_box is not None:  # nearly every char: its corners need no search
        width, low, high = upright_box
        x0, x1, y0, y1 = x, x + width, y + low, y + high
    else:
        x0, x1, y0, y1 = run.corners(adv, descent, x, y)
    return {
        "text": char_text,
        "fontname": run.name,
        "size": y1 - y0,
        "upright": run.upright,
        "x0": x0,
        "x1": x1,
        "top": height - y1,
        "bottom": height - y0,
    }


def _hyphen(metrics: FontMetrics | None) -> str:
    """The character behind pdfium's line-end hyphen marker: '-' or a soft hyphen."""
    if metrics is None or "\u00ad" not in metrics.widths:
        return "-"
    if "-" in metrics.widths:
        raise Unsupported("a line-end hyphen that may be '-' or a soft hyphen")
    return "\u00ad"


# ------------------------------------------------------------------------------------- shapes
def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2, a * b2 + b * d2,
        c * a2 + d * c2, c * b2 + d * d2,
        e * a2 + f * c2 + e2, e * b2 + f * d2 + f2,
    )


_page_object = _fast(raw.FPDFPage_GetObject, _VOID, _VOID, _INT)
_form_object = _fast(raw.FPDFFormObj_GetObject, _VOID, _VOID, ctypes.c_ulong)
_form_count = _fast(raw.FPDFFormObj_CountObjects, _INT, _VOID)
_object_type = _fast(raw.FPDFPageObj_GetType, _INT, _VOID)
_object_matrix = _fast(raw.FPDFPageObj_GetMatrix, _INT, _VOID, _VOID)
_segment_count = _fast(raw.FPDFPath_CountSegments, _INT, _VOID)
_segment = _fast(raw.FPDFPath_GetPathSegment, _VOID, _VOID, _INT)
_segment_point = _fast(raw.FPDFPathSegment_GetPoint, _INT, _VOID, _VOID, _VOID)
_segment_type = _fast(raw.FPDFPathSegment_GetType, _INT, _VOID)
_segment_closes = _fast(raw.FPDFPathSegment_GetClose, _INT, _VOID)
_PAGE_OBJECT_AT, _FORM_OBJECT_AT, _OBJECT_TYPE_AT = map(_address, (
    raw.FPDFPage_GetObject, raw.FPDFFormObj_GetObject, raw.FPDFPageObj_GetType,
))
_SEGMENT_FUNCTIONS = tuple(map(_address, (
    raw.FPDFPath_CountSegments, raw.FPDFPath_GetPathSegment, raw.FPDFPathSegment_GetPoint,
    raw.FPDFPathSegment_GetType, raw.FPDFPathSegment_GetClose,
)))
_PATH, _FORM = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM


def _shapes(handle: Any, height: float, objects: dict[str, list[dict]]) -> None:
    """Path objects (also inside forms) as pdfplumber's rect / line / curve dicts."""
    matrix = raw.FS_MATRIX()
    matrix_at = ctypes.addressof(matrix)
    page = _address(handle)
    stack = [(iter(_drawn_objects(page, raw.FPDFPage_CountObjects(handle), False)), _IDENTITY)]
    while stack:  # depth first, in drawing order, without recursion
        items, outer = stack[-1]
        for obj, kind in items:
            _object_matrix(obj, matrix_at)
            m = _multiply((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            if kind == _FORM:
                stack.append((iter(_drawn_objects(obj, _form_count(obj), True)), m))
                break
            for subpath in _subpaths(obj, m):
                shape = _classify(subpath, height)
                if shape is not None:
                    objects.setdefault(shape["object_type"], []).append(shape)
        else:
            stack.pop()


def _drawn_objects(owner: int, count: int, in_form: bool, wanted: int = _PATH
                   ) -> list[tuple[int, int]]:
    """(object, kind) of the page's (or form's) objects of kind `wanted` (paths, or text for
    the blank pass) and its forms, in order: the C loop when it is built (most objects of a
    report page are its glyphs, each a text object)."""
    if _c_loop is not None:
        get = _FORM_OBJECT_AT if in_form else _PAGE_OBJECT_AT
        return _c_loop.drawn_objects(owner, count, in_form, get, _OBJECT_TYPE_AT, wanted, _FORM)
    found = []
    for index in range(count):
        obj = (_form_object if in_form else _page_object)(owner, index)
        kind = _object_type(obj)
        if kind in (wanted, _FORM):
            found.append((obj, kind))
    return found


def _path_segments(obj: int) -> list[tuple[int, float, float, int]]:
    """(kind, x, y, closes) of each segment of a path object, in the path's own space."""
    if _c_loop is not None:
        return _c_loop.path_segments(obj, *_SEGMENT_FUNCTIONS)
    x, y = ctypes.c_float(), ctypes.c_float()
    x_at, y_at = ctypes.addressof(x), ctypes.addressof(y)
    found = []
    for i in range(_segment_count(obj)):
        segment = _segment(obj, i)
        _segment_point(segment, x_at, y_at)
        closes = 1 if _segment_closes(segment) else 0
        found.append((_segment_type(segment), x.value, y.value, closes))
    return found


def _subpaths(obj: int, m: Matrix) -> list[list[tuple[str, tuple[float, float]]]]:
    """The path as pdfminer's segments ('m', 'l', 'c', 'h' with end points), split at each 'm'."""
    a, b, c, d, e, f = m
    segments: list[tuple[str, tuple[float, float]]] = []
    bezier = 0
    for kind, x, y, closes in _path_segments(obj):
        point = (a * x + c * y + e, b * x + d * y + f)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            segments.append(("m", point))
        elif kind == raw.FPDF_SEGMENT_LINETO:
            segments.append(("l", point))
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:  # control points: pdfminer keeps only a curve's end point
                continue
            segments.append(("c", point))
        if closes:
            segments.append(("h", point))
    subpaths: list[list[tuple[str, tuple[float, float]]]] = []
    for op, point in segments:
        if op == "m" or not subpaths:
            subpaths.append([])
        subpaths[-1].append((op, point))
    if len(subpaths) > 1:  # pdfminer splits at each 'm' and drops a bare moveto
        subpaths = [s for s in subpaths if len(s) > 1]
    return subpaths


def _classify(path: list[tuple[str, tuple[float, float]]], height: float) -> dict | None:
    """pdfminer's paint_path: a line, a rect or a curve (pdfplumber's coordinates)."""
    if not path or path[0][0] != "m":
        return None
    shape = "".join(op for op, _ in path)
    pts = [point if op != "h" else path[0][1] for op, point in path]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    kind = "curve"
    if shape in ("mlh", "ml"):
        kind = "line"
        pts = pts[:2]
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if pts[0] == pts[4] and square:
            kind = "rect"
            pts = [(x0, y0), (x2, y0), (x2, y2), (x0, y2)]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    left, right, low, high = min(xs), max(xs), min(ys), max(ys)
    return {
        "object_type": kind,
        "x0": left,
        "x1": right,
        "top": height - high,
        "bottom": height - low,
        "width": right - left,
        "height": high - low,
        "pts": [(px, height - py) for px, py in pts],
    }


# ------------------------------------------------------------------------------------- tables
def _edges(objects: dict[str, list[dict]]) -> list[dict]:
    """pdfplumber's `Page.edges` from these shapes (as its line_to_edge, rect_to_edges and
    curve_to_edges make them)."""
    edges: list[dict] = []
    for line in objects.get("line", []):
        edge = dict(line)
        edge["orientation"] = "h" if line["top"] == line["bottom"] else "v"
        edges.append(edge)
    for rect in objects.get("rect", []):
        x0, x1, top, bottom = rect["x0"], rect["x1"], rect["top"], rect["bottom"]
        w, h = rect["width"], rect["height"]
        base = {"object_type": "rect_edge"}
        edges += [
            {**base, "x0": x0, "x1": x1, "top": top, "bottom": top, "width": w, "height": 0,
             "orientation": "h"},
            {**base, "x0": x0, "x1": x1, "top": top + h, "bottom": bottom, "width": w,
             "height": 0, "orientation": "h"},
            {**base, "x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0, "height": h,
             "orientation": "v"},
            {**base, "x0": x1, "x1": x1, "top": top, "bottom": bottom, "width": 0, "height": h,
             "orientation": "v"},
        ]
    for curve in objects.get("curve", []):
        for (px0, py0), (px1, py1) in zip(curve["pts"], curve["pts"][1:], strict=False):
            edges.append({
                "object_type": "curve_edge",
                "x0": min(px0, px1), "x1": max(px0, px1),
                "top": min(py0, py1), "bottom": max(py0, py1),
                "width": abs(px0 - px1), "height": abs(py0 - py1),
                "orientation": "v" if px0 == px1 else ("h" if py0 == py1 else None),
            })
    return edges


class ShapePage:
    """What `find_ruled_tables` asks of a page, from pdfium's shapes: rects, lines, edges and
    pdfplumber's own table finder run on those edges (it reads nothing else of a page)."""

    def __init__(self, width: float, height: float, objects: dict[str, list[dict]]) -> None:
        self.bbox = (0.0, 0.0, width, height)
        self.rects = objects.get("rect", [])
        self.lines = objects.get("line", [])
        self.curves = objects.get("curve", [])
        self._objects = objects
        self._edges: list[dict] | None = None

    @property
    def edges(self) -> list[dict]:
        if self._edges is None:
            self._edges = _edges(self._objects)
        return self._edges

    def find_tables(self) -> list:
        from pdfplumber.table import TableFinder, TableSettings

        return TableFinder(self, TableSettings.resolve(None)).tables  # type: ignore[arg-type]
