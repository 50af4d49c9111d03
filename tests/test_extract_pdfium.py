"""The pdfium character source gives the same Documents and Reports as pdfplumber (issue 11).

Default tests cover one PDF of each layout and producer; the whole corpus is under
`@pytest.mark.slow` (and bench/reader_identity.py, which also times both readers).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.reader_identity import check_pdf, compare_reports
from extract import UnreadablePDF, read_pdf
from extract.reader import READER_ENV, resolve_reader
from tests.bad_pdfs import text_pages_pdf, write
from tests.conftest import DATA_DIR, EXAMPLES_DIR, SHARED_DIR, data_path

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.pdf"))
# one report of each family and producer (WeasyPrint, Chromium/Skia) from ../shared; examples/
# already holds both CCI producers and a WeasyPrint 2018+ report, so by default only the
# Chromium 2018+ one runs here (each check reads the file twice: ~5 s)
SHARED_SAMPLES = [
    pytest.param("corpus/barnet-2011.pdf", marks=pytest.mark.slow),  # WeasyPrint
    pytest.param("corpus/barking-and-dagenham-2010.pdf", marks=pytest.mark.slow),  # Chromium
    pytest.param("corpus-yjs/birmingham-2020.pdf", marks=pytest.mark.slow),  # WeasyPrint
    "corpus-yjs/bedford-2019.pdf",  # Chromium, 2018+ family (in tests/data)
]


def _identical(path: Path) -> None:
    outcome = check_pdf(path)
    assert outcome.differences == [], outcome.differences[:5]
    assert outcome.reader == "pdfium", "pdfium should read this file itself, not fall back"
    assert outcome.max_box_delta <= 1.0


@pytest.mark.parametrize("pdf", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_give_identical_documents_and_reports(pdf: Path):
    _identical(pdf)


@pytest.mark.parametrize("name", SHARED_SAMPLES)
def test_each_layout_in_shared_gives_identical_reports(name: str):
    path = data_path(name)
    if not path.exists():
        pytest.skip(f"{name} is not available")
    _identical(path)


def test_pdfium_is_the_default_and_the_setting_chooses(monkeypatch):
    monkeypatch.delenv(READER_ENV, raising=False)
    assert resolve_reader() == "pdfium"
    monkeypatch.setenv(READER_ENV, "PDFplumber")
    assert resolve_reader() == "pdfplumber"
    assert resolve_reader("pdfium") == "pdfium"  # the argument wins over the setting
    with pytest.raises(ValueError, match="unknown reader"):
        resolve_reader("mupdf")


def test_accuracy_against_gold_stays_complete_with_pdfium(stoke_gold_path: Path, monkeypatch):
    from bench.accuracy import score_pdf

    monkeypatch.setenv(READER_ENV, "pdfium")
    for name in ("stoke-on-trent-2011.pdf", "stoke-on-trent-2011.chromium.pdf"):
        score = score_pdf(EXAMPLES_DIR / name, stoke_gold_path)
        assert score.total > 200 and score.mismatches == [], score.mismatches[:3]


def test_standard_font_without_widths_matches(tmp_path: Path):
    """Helvetica with no /Widths: both sides take the standard metrics, boxes agree."""
    path = write(tmp_path / "plain.pdf", text_pages_pdf([["Hello (world) - fine", "Line two"]]))
    plumber = read_pdf(str(path), reader="pdfplumber")
    pdfium = read_pdf(str(path), reader="pdfium")
    assert pdfium.reader == "pdfium"
    assert [line.text for line in pdfium.pages[0].lines] == ["Hello (world) - fine", "Line two"]
    differences, delta = compare_reports(plumber, pdfium.__class__(**{
        **pdfium.__dict__, "reader": plumber.reader}))
    assert differences == [] and delta < 0.01


def test_page_pdfium_cannot_reproduce_falls_back_to_pdfplumber(tmp_path: Path):
    """A MediaBox away from the origin: pdfplumber shifts coordinates its own way, so
    pdfplumber reads the file (rotated pages are handled the same way)."""
    data = text_pages_pdf([["Shifted page text"]]).replace(
        b"/MediaBox [0 0 595 842]", b"/MediaBox [20 30 615 872]"
    )
    path = write(tmp_path / "shifted.pdf", data)
    document = read_pdf(str(path), reader="pdfium")
    assert document.reader == "pdfplumber"
    reference = read_pdf(str(path), reader="pdfplumber")
    assert [p.text for p in document.pages] == [p.text for p in reference.pages]


def test_file_pdfium_cannot_open_is_read_by_pdfplumber(monkeypatch):
    import extract.pdfium_source as source

    def refuse(path: str):
        raise UnreadablePDF("corrupt_pdf", "pdfium says no.")

    monkeypatch.setattr(source, "open_document", refuse)
    path = EXAMPLES_DIR / "stoke-on-trent-2011.pdf"
    document = read_pdf(str(path), reader="pdfium")
    assert document.reader == "pdfplumber" and len(document.pages) == 24


def test_file_pdfminer_cannot_read_is_still_read_by_pdfium(monkeypatch):
    """The reverse: pdfminer fails on the fonts; pdfium reads with its own metrics."""
    import extract.pdfium_source as source

    def broken(path: str):
        raise ValueError("pdfminer cannot parse this")

    monkeypatch.setattr(source, "font_metrics", broken)
    path = EXAMPLES_DIR / "stoke-on-trent-2011.pdf"
    document = read_pdf(str(path), reader="pdfium")
    reference = read_pdf(str(path), reader="pdfplumber")
    assert document.reader == "pdfium"
    assert [p.text for p in document.pages] == [p.text for p in reference.pages]


@pytest.mark.parametrize(
    ("maker", "reason", "needs"),
    [
        ("empty_file", "empty_file", None),
        ("truncated_pdf", "corrupt_pdf", None),
        ("corrupt_pdf", "corrupt_pdf", None),
        ("encrypted_pdf", "encrypted", "pypdf"),
        ("scanned_pdf", "no_text_layer", "PIL"),
        ("undecodable_pdf", "no_usable_text", None),
    ],
)
def test_bad_files_get_the_same_reason_from_both_readers(tmp_path, maker, reason, needs):
    if needs:
        pytest.importorskip(needs)
    import tests.bad_pdfs as bad

    path = getattr(bad, maker)(tmp_path / f"{maker}.pdf")
    for reader in ("pdfium", "pdfplumber"):
        with pytest.raises(UnreadablePDF) as caught:
            read_pdf(str(path), reader=reader)
        assert caught.value.reason == reason, reader


def test_page_limit_is_checked_by_pdfium_too(tmp_path: Path):
    path = write(tmp_path / "long.pdf", text_pages_pdf([["page"]] * 5))
    with pytest.raises(UnreadablePDF) as caught:
        read_pdf(str(path), reader="pdfium", max_pages=3)
    assert caught.value.reason == "too_many_pages"


@pytest.mark.slow
def test_every_corpus_report_is_identical_with_both_readers():
    from bench.reader_identity import DEFAULT_PATHS, pdfs_under

    pdfs = pdfs_under([p for p in DEFAULT_PATHS if p.exists() and p.parent == SHARED_DIR])
    if len(pdfs) < 200:
        pytest.skip("../shared corpora are not available")
    differing = {}
    for pdf in pdfs:
        outcome = check_pdf(pdf)
        if outcome.differences or outcome.reader != "pdfium":
            differing[pdf.name] = (outcome.reader, outcome.differences[:3])
    assert differing == {}


def test_page_text_read_char_by_char_matches_the_bulk_read(monkeypatch):
    """A page with characters beyond U+FFFF is read one character at a time (UTF-16 pairs
    would shift the bulk text); both ways give the same chars."""
    from extract import pdfium_source

    pdf_path = str(EXAMPLES_DIR / "brent-2021.pdf")
    bulk = _chars_per_page(pdf_path)
    monkeypatch.setattr(pdfium_source, "_get_text", lambda *args: -1)  # as a pair would
    assert _chars_per_page(pdf_path) == bulk
    assert sum(len(chars) for chars in bulk) > 1000


def _chars_per_page(pdf_path: str) -> list[list[dict]]:
    import pypdfium2 as pdfium

    from extract import pdfium_source

    fonts, sizes = pdfium_source.font_metrics(pdf_path)
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        return [
            pdfium_source.page_objects(pdf[index], fonts, sizes[index])[2]["char"]
            for index in range(len(pdf))
        ]
    finally:
        pdf.close()


C_LOOP_SAMPLES = [*EXAMPLES, DATA_DIR / "corpus-yjs" / "bedford-2019.pdf"]


@pytest.mark.parametrize("pdf", C_LOOP_SAMPLES, ids=[p.name for p in C_LOOP_SAMPLES])
def test_c_loop_gives_the_python_loops_chars(pdf: Path, monkeypatch):
    """extract/_pdfium_chars.c is the Python loop step for step: the same chars, to the bit."""
    from extract import pdfium_source

    if pdfium_source._c_loop is None:
        pytest.skip("the C loop is not built here")
    if not pdf.exists():
        pytest.skip(f"{pdf.name} is not available")
    by_c = _chars_per_page(str(pdf))
    monkeypatch.setattr(pdfium_source, "_c_loop", None)
    by_python = _chars_per_page(str(pdf))
    assert sum(len(chars) for chars in by_c) > 10_000
    for number, (c_chars, python_chars) in enumerate(zip(by_c, by_python, strict=True), 1):
        assert c_chars == python_chars, f"page {number}"


def test_c_loop_is_built_where_a_compiler_is(monkeypatch):
    """`pip install` builds the C loop whenever it finds a compiler (it is optional so an
    install without one still works), and FINDINGS_PURE_PYTHON turns it off."""
    import shutil
    import sysconfig

    from extract import pdfium_source

    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    monkeypatch.delenv(pdfium_source.PURE_PYTHON_ENV, raising=False)
    if shutil.which(compiler) is None:
        pytest.skip("no C compiler here: the Python loop runs")
    assert pdfium_source._load_c_loop() is not None, "reinstall: pip install -e ."
    monkeypatch.setenv(pdfium_source.PURE_PYTHON_ENV, "1")
    assert pdfium_source._load_c_loop() is None


def test_a_c_loop_built_from_another_source_is_not_used(monkeypatch):
    """An install not rebuilt after _pdfium_chars.c changed: its functions may take other
    arguments, so the reader runs the Python loops rather than call them."""
    import sys
    import types

    import extract
    from extract import pdfium_source

    stale = types.ModuleType("extract._pdfium_chars")
    stale.signature = pdfium_source._C_LOOP_SIGNATURE - 1  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "extract._pdfium_chars", stale)
    monkeypatch.setattr(extract, "_pdfium_chars", stale, raising=False)
    monkeypatch.delenv(pdfium_source.PURE_PYTHON_ENV, raising=False)
    assert pdfium_source._load_c_loop() is None
    stale.signature = pdfium_source._C_LOOP_SIGNATURE  # type: ignore[attr-defined]
    assert pdfium_source._load_c_loop() is stale


def test_an_error_raised_for_the_c_loop_reaches_the_reader(monkeypatch):
    """Python's answers to the C loop's questions may refuse the page (Unsupported): the
    refusal gets through the C code and pdfplumber reads the file instead."""
    from extract import pdfium_source

    if pdfium_source._c_loop is None:
        pytest.skip("the C loop is not built here")

    def refuse(self, i: int):
        raise pdfium_source.Unsupported("a font this test refuses")

    monkeypatch.setattr(pdfium_source._TextPage, "run_of", refuse)
    document = read_pdf(str(EXAMPLES_DIR / "stoke-on-trent-2011.pdf"), reader="pdfium")
    assert document.reader == "pdfplumber" and len(document.pages) == 24


def test_rotated_and_mirrored_text_gives_the_same_chars_in_both_loops(tmp_path, monkeypatch):
    """Glyphs whose matrix rotates or flips them take the loop's rare path (their box from
    its four corners): the C loop hands them to Python and gets the same chars back."""
    from extract import pdfium_source

    if pdfium_source._c_loop is None:
        pytest.skip("the C loop is not built here")
    data = text_pages_pdf(
        [["Rotated line of text"], ["Mirrored words here"]],
        placements=[b"0 1 -1 0 300 400 Tm", b"1 0 0 -1 72 500 Tm"],
    )
    path = str(write(tmp_path / "turned.pdf", data))
    by_c = _chars_per_page(path)
    monkeypatch.setattr(pdfium_source, "_c_loop", None)
    assert by_c == _chars_per_page(path)
    assert ["".join(char["text"] for char in chars) for chars in by_c] == [
        "Rotated line of text", "Mirrored words here"]
    assert not any(char["upright"] for chars in by_c for char in chars)


def _ruled_forms_pdf() -> bytes:
    """A page with text, a rectangle, and a form drawing rules, a curve and a nested form."""
    from tests.bad_pdfs import pdf_bytes, stream

    page = (b"BT /F1 11 Tf 72 770 Td (Ruled text) Tj ET 50 700 100 20 re S"
            b" q 1 0 0 1 100 100 cm /Fm1 Do Q")
    outer = (b"10 10 200 30 re f 0 0 m 300 0 l S 0 50 m 10 60 20 60 30 50 c S"
             b" q 2 0 0 2 0 0 cm /Fm2 Do Q")
    form = b" /Type /XObject /Subtype /Form /BBox [0 0 500 500]"
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R"
        b" /Resources << /Font << /F1 3 0 R >> /XObject << /Fm1 6 0 R >> >> >>",
        stream(page),
        stream(outer, form + b" /Resources << /XObject << /Fm2 7 0 R >> >>"),
        stream(b"5 5 40 40 re S", form),
    ])


def test_shapes_inside_forms_are_pdfplumbers_by_both_walks(tmp_path, monkeypatch):
    """Rules drawn on the page and inside (nested) forms: the C walk, the Python walk and
    pdfplumber give the same rects, lines and curves."""
    import pdfplumber
    import pypdfium2 as pdfium

    from extract import pdfium_source

    path = str(write(tmp_path / "forms.pdf", _ruled_forms_pdf()))
    fonts, sizes = pdfium_source.font_metrics(path)

    def shapes() -> dict[str, list[dict]]:
        pdf = pdfium.PdfDocument(path)
        try:
            objects = pdfium_source.page_objects(pdf[0], fonts, sizes[0])[2]
        finally:
            pdf.close()
        return {kind: found for kind, found in objects.items() if kind != "char"}

    walked = shapes()
    monkeypatch.setattr(pdfium_source, "_c_loop", None)
    assert shapes() == walked
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        reference = {"rect": page.rects, "line": page.lines, "curve": page.curves}

    def boxes(found: list[dict]) -> list[tuple[float, ...]]:
        return sorted(tuple(round(s[k], 3) for k in ("x0", "top", "x1", "bottom"))
                      for s in found)

    assert {k: len(v) for k, v in walked.items()} == {"rect": 3, "line": 1, "curve": 1}
    for kind in ("rect", "line", "curve"):
        assert boxes(walked[kind]) == boxes(reference[kind]), kind


# ---------------------------------------------------------------------------- Word's blanks
WORD_FILES = [DATA_DIR / "realworld" / name
              for name in ("council-minutes.pdf", "ofsted-103980.pdf", "ofsted-139305.pdf")]


def _plumber_chars(pdf_path: str) -> list[list[dict]]:
    import pdfplumber

    from extract.page_objects import lean_objects

    with pdfplumber.open(pdf_path) as pdf:
        return [lean_objects(page)["char"] for page in pdf.pages]


def _same_chars(ours: list[dict], theirs: list[dict]) -> list[str]:
    """What differs between two pages' chars: text, font and order exactly, boxes to 0.001 pt."""
    if [(c["text"], c["fontname"], c["upright"]) for c in ours] != [
            (c["text"], c["fontname"], c["upright"]) for c in theirs]:
        return ["".join(c["text"] for c in ours)[:200], "".join(c["text"] for c in theirs)[:200]]
    return [f"{a['text']!r} {key}: {a[key]} != {b[key]}" for a, b in zip(ours, theirs, strict=True)
            for key in ("x0", "x1", "top", "bottom", "size") if abs(a[key] - b[key]) > 0.001]


@pytest.mark.parametrize("pdf", WORD_FILES, ids=[p.name for p in WORD_FILES])
def test_word_files_are_read_by_pdfium_with_pdfplumbers_chars(pdf: Path, monkeypatch):
    """Microsoft Word writes the spaces between runs as text objects of their own, which
    pdfium's text page drops: they are read back from the objects, so every page has
    pdfplumber's chars (spaces included) from both loops, and pdfium reads the file."""
    from extract import pdfium_source

    by_c = _chars_per_page(str(pdf))
    reference = _plumber_chars(str(pdf))
    assert len(by_c) == len(reference)
    spaces = 0
    for number, (ours, theirs) in enumerate(zip(by_c, reference, strict=True), 1):
        assert _same_chars(ours, theirs) == [], f"page {number}"
        spaces += sum(char["text"] == " " for char in ours)
    assert spaces > 500
    monkeypatch.setattr(pdfium_source, "_c_loop", None)
    assert _chars_per_page(str(pdf)) == by_c
    document = read_pdf(str(pdf), reader="pdfium")
    assert (document.reader, document.fallback) == ("pdfium", "")


WORD_INFO = b"<< /Producer (Microsoft\xae Word 2013) /Creator (Microsoft\xae Word 2013) >>"


def _word_like_pdf(path: Path, content: bytes) -> str:
    """One Helvetica page with the given content stream, its producer Microsoft Word."""
    from tests.bad_pdfs import pdf_bytes, stream

    data = pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R"
        b" /Resources << /Font << /F1 3 0 R >> >> >>",
        stream(content),
        WORD_INFO,
    ]).replace(b"/Root 1 0 R", b"/Root 1 0 R /Info 6 0 R")
    return str(write(path, data))


def _show(*runs: tuple[float, bytes], y: float = 700, extra: bytes = b"") -> bytes:
    """Text objects as Word writes them: each run a BT .. ET of its own at its own Tm."""
    return b" ".join(b"BT /F1 12 Tf %s 1 0 0 1 %.2f %.2f Tm %s Tj ET" % (extra, x, y, text)
                     for x, text in runs)


# each: a content stream and the text pdfplumber reads from it
RESTORED_BLANKS = {
    "a space as its own object": (_show((72, b"(1st)"), (88.7, b"( )"), (92.1, b"(Meeting)")),
                                  "1st Meeting"),
    "two spaces as one object": (_show((72, b"(1st)"), (88.7, b"(  )"), (95.5, b"(Meeting)")),
                                 "1st  Meeting"),
    "two spaces with Tc": (_show((72, b"(1st)"), (88.7, b"(  )"), (95.5, b"(Meeting)"),
                                 extra=b"0.2 Tc"), "1st  Meeting"),
    "two spaces ending a run": (_show((72, b"(1st  )"), (97, b"(Meeting)")), "1st  Meeting"),
    "a space after a run's space": (_show((72, b"(1st )"), (92.1, b"( Meeting)")),
                                    "1st  Meeting"),
    "spaces as objects with Tw": (b"BT /F1 12 Tf 4 Tw 1 0 0 1 72 700 Tm (words) Tj ( ) Tj ( ) Tj"
                                  b" (more) Tj ET", "words  more"),
    "a line of one space": (_show((72, b"( )")) + b" " + _show((72, b"(Line)"), (100, b"( )"),
                                                               y=680), " Line "),
    "a scaled text matrix": (b"BT /F1 1 Tf 12 0 0 12 72 700 Tm (1st) Tj ET BT /F1 1 Tf 12 0 0 12"
                             b" 88.7 700 Tm ( ) Tj ET", "1st "),
}


@pytest.mark.parametrize("case", RESTORED_BLANKS, ids=list(RESTORED_BLANKS))
def test_blanks_pdfiums_text_page_drops_are_restored_from_the_text_objects(
        case: str, tmp_path: Path, monkeypatch):
    """Spaces pdfium's text page leaves out (an object of blanks, a space after a space) come
    back at pdfminer's positions, from either loop."""
    from extract import pdfium_source

    content, text = RESTORED_BLANKS[case]
    path = _word_like_pdf(tmp_path / "word.pdf", content)
    (ours,) = _chars_per_page(path)
    (theirs,) = _plumber_chars(path)
    assert "".join(char["text"] for char in theirs) == text
    assert _same_chars(ours, theirs) == []
    monkeypatch.setattr(pdfium_source, "_c_loop", None)
    assert _chars_per_page(path) == [ours]


UNPLACEABLE_BLANKS = {
    "three spaces as one object": (_show((72, b"(1st)"), (88.7, b"(   )"), (99, b"(Meeting)")),
                                   "dropped blanks that end a text object"),
    "two spaces inside a run": (_show((72, b"(a  b and more)")),
                                "may have dropped a space inside a text object"),
    "a wide kerning before a space": (b"BT /F1 12 Tf 1 0 0 1 72 700 Tm [(word)-600( next)] TJ ET",
                                      "made up a space inside a text object"),
}


@pytest.mark.parametrize("case", UNPLACEABLE_BLANKS, ids=list(UNPLACEABLE_BLANKS))
def test_blanks_that_cannot_be_placed_exactly_fall_back(case: str, tmp_path: Path):
    """Where the text objects do not tell where each lost space was, pdfplumber reads the
    file, and the fall-back says why."""
    content, reason = UNPLACEABLE_BLANKS[case]
    path = _word_like_pdf(tmp_path / "word.pdf", content)
    document = read_pdf(path, reader="pdfium")
    assert document.reader == "pdfplumber"
    assert reason in document.fallback
    reference = read_pdf(path, reader="pdfplumber")
    assert [page.text for page in document.pages] == [page.text for page in reference.pages]
