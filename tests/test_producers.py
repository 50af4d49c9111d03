"""Values do not change with the producer, and pdfium reads every producer's file itself
(issue 19).

The PDFs are made here (tests/producers.py): 2018+ golds laid out by LibreOffice Writer, the
bundled reports re-distilled by Ghostscript and re-written by cairo. Each is read by both
readers (bench/reader_identity.py: Documents and Reports field by field) and scored against its
gold (bench/accuracy.py). The Microsoft Word files of tests/data/realworld are read by pdfium
too (the spaces its text page drops come back from the text objects).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.accuracy import score_pdf
from bench.reader_identity import check_pdf
from tests import producers
from tests.conftest import DATA_DIR, EXAMPLES_DIR, data_path

STOKE_GOLD = data_path("reports/stoke-on-trent-2011.gold.json")
# (PDF, its gold): both CCI producers of the examples and a 2018+ report of each engine
REPORTS = [
    (EXAMPLES_DIR / "stoke-on-trent-2011.pdf", STOKE_GOLD),
    (EXAMPLES_DIR / "stoke-on-trent-2011.chromium.pdf", STOKE_GOLD),
    (EXAMPLES_DIR / "brent-2021.pdf", DATA_DIR / "corpus-yjs" / "brent-2021.gold.json"),
    (DATA_DIR / "corpus-yjs" / "bedford-2019.pdf",
     DATA_DIR / "corpus-yjs" / "bedford-2019.gold.json"),
]
CHROMIUM_MADE = {"stoke-on-trent-2011.chromium.pdf", "bedford-2019.pdf"}
# the downloads Microsoft Word made (tests/data/realworld)
WORD_MADE = {"council-minutes.pdf", "ofsted-103980.pdf", "ofsted-139305.pdf"}
# 2018+ golds and the layout habits tests/alt_layout.py gives them (both eras, both variants)
LAYOUTS = [("bedford-2019", "a"), ("devon-2022", "a"), ("leeds-2021", "b")]


def _same_values_read_by_pdfium(pdf: Path, gold: Path | None) -> None:
    outcome = check_pdf(pdf)
    assert outcome.differences == [], outcome.differences[:5]
    assert outcome.reader == "pdfium", f"pdfium fell back: {outcome.fallback}"
    if gold is not None:
        score = score_pdf(pdf, gold)  # with the default reader, pdfium
        assert score.mismatches == [], score.mismatches[:5]
        assert score.total > 200


@pytest.mark.parametrize(("name", "variant"), LAYOUTS, ids=[n for n, _ in LAYOUTS])
def test_libreoffice_layout_is_read_by_pdfium_with_every_value(name, variant, tmp_path):
    producers.require("soffice")
    gold = data_path(f"corpus-yjs/{name}.gold.json")
    pdf = producers.libreoffice(json.loads(gold.read_text("utf-8")), tmp_path / f"{name}.pdf",
                                variant)
    _same_values_read_by_pdfium(pdf, gold)


@pytest.mark.parametrize("tool", ["gs", "pdftocairo"])
@pytest.mark.parametrize(("pdf", "gold"), REPORTS, ids=[p.name for p, _ in REPORTS])
def test_redistilled_reports_are_read_by_pdfium_with_every_value(tool, pdf, gold, tmp_path):
    producers.require(tool)
    make = producers.ghostscript if tool == "gs" else producers.cairo
    if tool == "gs" and pdf.name in CHROMIUM_MADE:
        # Ghostscript re-encodes Chromium's glyphs wrongly ("fi" as "ü", "ff" as "û", the
        # apostrophe as a "9" of another width) in the file it writes: both readers read that,
        # so only identity is checked; pdfium chooses each "9"'s width from the glyph's code
        gold = None
    _same_values_read_by_pdfium(make(pdf, tmp_path / f"{tool}-{pdf.name}"), gold)


def test_ghostscripts_digits_of_two_widths_take_their_own_codes_width(tmp_path, monkeypatch):
    """Ghostscript gives Chromium's apostrophe the text "9" (and a digit's code no /W entry,
    so the default width): one text, two widths. Each such glyph takes its own code's width
    (pdfium's loose box, confirmed by the advance to the next glyph), so its chars are
    pdfplumber's, from both loops."""
    import pdfplumber
    import pypdfium2 as pdfium

    from extract import pdfium_source
    from extract.page_objects import lean_objects

    producers.require("gs")
    pdf = str(producers.ghostscript(DATA_DIR / "corpus-yjs" / "bedford-2019.pdf",
                                    tmp_path / "bedford.pdf"))
    chosen: list[float] = []
    choose = pdfium_source._TextPage.chosen_width

    def counted(self, i, run, text):
        chosen.append(choose(self, i, run, text))
        return chosen[-1]

    monkeypatch.setattr(pdfium_source._TextPage, "chosen_width", counted)
    fonts, sizes = pdfium_source.font_metrics(pdf)

    def chars(page: int) -> list[dict]:
        document = pdfium.PdfDocument(pdf)
        try:
            return pdfium_source.page_objects(document[page], fonts, sizes[page])[2]["char"]
        finally:
            document.close()

    by_c = {}
    for number in range(len(sizes)):
        before = len(chosen)
        page_chars = chars(number)
        if len(chosen) > before:  # a page with such glyphs
            by_c[number] = page_chars
    assert len(by_c) >= 3 and len(set(chosen)) >= 2  # both widths chosen somewhere
    with pdfplumber.open(pdf) as reference:
        for number, ours in by_c.items():
            theirs = lean_objects(reference.pages[number])["char"]
            assert [c["text"] for c in ours] == [c["text"] for c in theirs]
            assert max(abs(a[key] - b[key]) for a, b in zip(ours, theirs, strict=True)
                       for key in ("x0", "x1", "top", "bottom")) < 0.011
    monkeypatch.setattr(pdfium_source, "_c_loop", None)
    assert {number: chars(number) for number in by_c} == by_c


def test_fonts_sharing_a_name_are_told_apart_by_object(tmp_path):
    """cairo writes one face as a simple font and as a CID font under one bare name; each
    pdfium font object finds its own pdfminer font, and the page reads."""
    import pypdfium2 as pdfium

    from extract.pdfium_source import bare_name, font_metrics, page_objects

    producers.require("pdftocairo")
    pdf = producers.cairo(EXAMPLES_DIR / "brent-2021.pdf", tmp_path / "brent.pdf")
    fonts, sizes = font_metrics(str(pdf))
    bare = [bare_name(name) for name in fonts.names()]
    shared = {name for name in bare if bare.count(name) > 1}
    assert shared, fonts.names()
    assert any(f.cid for f in fonts.fonts) and any(not f.cid for f in fonts.fonts)
    document = pdfium.PdfDocument(str(pdf))
    try:
        chars = page_objects(document[0], fonts, sizes[0])[2]["char"]
    finally:
        document.close()
    assert {c["fontname"] for c in chars} <= set(fonts.names())


@pytest.mark.parametrize("pdf", sorted((DATA_DIR / "realworld").glob("*.pdf")),
                         ids=lambda p: p.name)
def test_real_downloads_give_the_same_values_and_say_which_reader(pdf: Path):
    """Every download gives the same Document from both readers; Microsoft Word's files are
    read by pdfium itself, and a file that falls back says why."""
    from extract import read_pdf

    outcome = check_pdf(pdf)
    assert outcome.differences == [], outcome.differences[:5]
    document = read_pdf(str(pdf))
    if pdf.name in WORD_MADE:
        assert (document.reader, document.fallback) == ("pdfium", "")
    if document.reader == "pdfplumber":
        assert document.fallback, "a fall-back must say why"
    else:
        assert document.fallback == ""
