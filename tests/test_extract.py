"""extract/: PDFs -> Document, furniture removal, dehyphenation, and clear refusals."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from extract import UnreadablePDF, read_pdf
from extract.document import Line, Page
from extract.furniture import remove_furniture
from extract.hyphenation import Vocabulary, join_lines, keep_hyphen
from extract.page_objects import lean_objects
from tests.bad_pdfs import empty_file, text_as_pdf, text_pages_pdf, truncated_pdf, write
from tests.conftest import DATA_DIR, EXAMPLES_DIR

WEASY = EXAMPLES_DIR / "stoke-on-trent-2011.pdf"
CHROMIUM = EXAMPLES_DIR / "stoke-on-trent-2011.chromium.pdf"


REALWORLD = DATA_DIR / "realworld"
_CHAR_KEYS = ("text", "fontname", "size", "upright", "x0", "x1", "top", "bottom")


@pytest.mark.parametrize(
    "pdf",
    [WEASY, CHROMIUM, REALWORLD / "ofsted-103980.pdf", REALWORLD / "council-minutes.pdf"],
    ids=["weasyprint", "chromium", "ofsted", "council-minutes"],
)
def test_lean_objects_match_pdfplumbers_own(pdf: Path):
    """The fast path must read exactly the chars and shapes pdfplumber's Page.chars would."""
    import pdfplumber

    if not pdf.exists():
        pytest.skip(f"{pdf} not available")
    with pdfplumber.open(pdf) as full, pdfplumber.open(pdf) as lean:
        for full_page, lean_page in zip(full.pages, lean.pages, strict=True):
            objects = lean_objects(lean_page)
            expected = [tuple(c[k] for k in _CHAR_KEYS) for c in full_page.chars]
            assert [tuple(c[k] for k in _CHAR_KEYS) for c in objects["char"]] == expected
            for kind in ("rect", "line", "curve"):
                assert objects.get(kind, []) == full_page.objects.get(kind, [])
            assert lean_page.edges == full_page.edges
            assert [t.bbox for t in lean_page.find_tables()] == [
                t.bbox for t in full_page.find_tables()
            ]


@pytest.fixture(scope="module")
def weasy_doc():
    return read_pdf(str(WEASY))


def test_document_has_pages_lines_and_provenance(weasy_doc):
    assert len(weasy_doc.pages) == 24
    assert [p.number for p in weasy_doc.pages] == list(range(1, 25))
    assert len(weasy_doc.sha256) == 64 and weasy_doc.size_bytes == WEASY.stat().st_size
    first = weasy_doc.pages[0].lines[0]
    assert first.text.startswith("Core Case Inspection")
    assert 0 <= first.x0 < first.x1 <= weasy_doc.pages[0].width
    assert first.size > 0
    headings = [ln for p in weasy_doc.pages for ln in p.lines if ln.text == "Strengths:"]
    assert headings and all(ln.bold for ln in headings)


def test_document_pickles(weasy_doc):
    again = pickle.loads(pickle.dumps(weasy_doc))
    assert again.pages[7].text == weasy_doc.pages[7].text


@pytest.mark.parametrize("pdf", [WEASY, CHROMIUM], ids=["weasyprint", "chromium"])
def test_running_header_and_page_numbers_are_removed(pdf):
    doc = read_pdf(str(pdf))
    for page in doc.pages[1:]:
        texts = [ln.text for ln in page.lines]
        assert "Core Case Inspection of youth offending work in Stoke on Trent" not in texts
        assert str(page.number) not in texts
    assert doc.pages[1].lines[0].text == "Foreword"


@pytest.mark.parametrize("pdf", [WEASY, CHROMIUM], ids=["weasyprint", "chromium"])
def test_ruled_tables_keep_cell_lines(pdf):
    doc = read_pdf(str(pdf))
    glossary = [t for t in doc.pages[21].tables]
    rows = [r for t in glossary for r in t.rows]
    assert rows[0][0].text == "APIS"
    assert rows[0][1].text == "Assessment, Planning, Intervention and Support"
    assert rows[-1][0].text == "ISSP"


def test_drawn_bullets_become_bullet_marks():
    doc = read_pdf(str(CHROMIUM))  # Chromium paints list bullets as small circles
    bullets = [ln for ln in doc.pages[5].lines if ln.text.startswith("• ")]
    assert len(bullets) == 8


def _page(number: int, texts: list[str], height: float = 800) -> Page:
    lines = []
    step = height / (len(texts) + 1)
    for i, text in enumerate(texts):
        top = 20 if i == 0 else (height - 30 if i == len(texts) - 1 else step * (i + 1))
        lines.append(Line(text, 50, top, 300, top + 10, 10, False))
    return Page(number, 600, height, lines)


def test_furniture_removal_keeps_body_and_drops_repeats():
    pages = [
        _page(n, [f"Annual report of Somewhere {n % 2}", f"Body text {n}", "more", f"Page {n}"])
        for n in range(1, 6)
    ]
    pages.append(_page(6, ["Conclusion heading", "Body", "end", "6"]))
    remove_furniture(pages)
    assert [ln.text for ln in pages[0].lines] == ["Body text 1", "more"]
    assert [ln.text for ln in pages[5].lines] == ["Conclusion heading", "Body", "end"]


def test_dehyphenation_uses_document_then_word_list():
    vocab = Vocabulary(["a self-assessment here", "three-quarters of cases", "restructure"])
    assert join_lines(["the assess-", "ment was done"], vocab) == "the assessment was done"
    assert join_lines(["a self-", "assessment"], vocab) == "a self-assessment"
    assert join_lines(["three-", "quarters"], vocab) == "three-quarters"
    assert join_lines(["the re-", "structure"], vocab) == "the restructure"  # document says so
    assert join_lines(["post-", "16"], vocab) == "post-16"
    assert join_lines(["a line", "  and   more  "], vocab) == "a line and more"


def test_dehyphenation_reads_whether_the_layout_hyphenated_automatically():
    """A report set without automatic hyphenation keeps every line-end hyphen, even where it
    spells the word both ways ("wellbeing" on one page, "well-/being" at a line end)."""
    lines = ["the safeguarding and wellbeing of the child", "a self-", "assessment by the",
             "out-", "of-court work and a", "short-", "term plan to safeguard the well-", "being"]
    body = [f"line {n} of the report, unbroken" for n in range(150)]
    plain = Vocabulary([*lines, *body])
    assert (plain.line_end_hyphens, plain.split_words) == (4, 0)
    assert plain.hyphenates_automatically is False
    kept = join_lines(["to safeguard the well-", "being of"], plain)
    assert kept == "to safeguard the well-being of"

    auto = Vocabulary([*lines, *body, "the assess-", "ment was late"])
    assert auto.split_words == 1 and auto.hyphenates_automatically is True
    assert join_lines(["the well-", "being of"], auto) == "the wellbeing of"  # its own spelling

    assert Vocabulary(["a self-", "assessment"]).hyphenates_automatically is None  # too few
    # a short text whose few line-end hyphens happen to fall between words: undecided, so the
    # document's own spelling still joins "over-/sight"
    short = Vocabulary(["the over-", "sight of plans and", "case-", "load and re-",
                        "view", "oversight was good; oversight was not"])
    assert short.line_end_hyphens == 3 and short.hyphenates_automatically is None
    assert join_lines(["the over-", "sight of"], short) == "the oversight of"


def test_dehyphenation_without_document_evidence():
    empty = Vocabulary()
    assert keep_hyphen("non", "compliance", "-", empty)
    assert keep_hyphen("assess", "ment", "-", empty) is False
    assert keep_hyphen("self", "assessment", "-", empty)
    assert keep_hyphen("three", "quarters", "-", empty)
    assert keep_hyphen("well", "being", "-", empty)
    # the automatic-hyphenation glyph is a hint towards joining, not a rule
    assert not keep_hyphen("under", "stand", "\u2010", empty)
    assert keep_hyphen("self", "assessment", "\u2010", empty)


def test_empty_file_is_refused(tmp_path: Path):
    with pytest.raises(UnreadablePDF) as caught:
        read_pdf(str(empty_file(tmp_path / "empty.pdf")))
    assert caught.value.reason == "empty_file"


def test_text_file_named_pdf_is_refused(tmp_path: Path):
    with pytest.raises(UnreadablePDF) as caught:
        read_pdf(str(text_as_pdf(tmp_path / "notes.pdf")))
    assert caught.value.reason == "not_a_pdf"
    assert "PDF" in caught.value.detail


def test_truncated_pdf_is_refused(tmp_path: Path):
    with pytest.raises(UnreadablePDF) as caught:
        read_pdf(str(truncated_pdf(tmp_path / "cut.pdf", WEASY, keep=0.3)))
    assert caught.value.reason in ("corrupt_pdf", "no_text_layer")
    assert caught.value.detail


def test_too_many_pages_is_refused(tmp_path: Path):
    words = ["alpha", "beta", "gamma", "delta", "epsilon"]
    path = write(tmp_path / "long.pdf", text_pages_pdf([[w] for w in words]))
    with pytest.raises(UnreadablePDF) as caught:
        read_pdf(str(path), max_pages=3)
    assert caught.value.reason == "too_many_pages"
    assert read_pdf(str(path), max_pages=5).pages[0].text == "alpha"


def test_unreadable_pdf_pickles_with_reason():
    error = pickle.loads(pickle.dumps(UnreadablePDF("encrypted", "the PDF is encrypted.")))
    assert (error.reason, error.detail) == ("encrypted", "the PDF is encrypted.")


@pytest.mark.parametrize(
    ("maker", "reason", "needs"),
    [
        ("corrupt_pdf", "corrupt_pdf", None),
        ("html_as_pdf", "not_a_pdf", None),
        ("encrypted_pdf", "encrypted", "pypdf"),
        ("scanned_pdf", "no_text_layer", "PIL"),
        ("undecodable_pdf", "no_usable_text", None),
    ],
)
def test_other_bad_files_get_specific_reasons(tmp_path: Path, maker: str, reason: str, needs):
    if needs:
        pytest.importorskip(needs)
    import tests.bad_pdfs as bad

    path = getattr(bad, maker)(tmp_path / f"{maker}.pdf")
    with pytest.raises(UnreadablePDF) as caught:
        read_pdf(str(path))
    assert caught.value.reason == reason
    assert caught.value.detail.endswith(".")
