"""The 2018+ template (transform/yjs.py): recognised from its own words, read field by field.

The bundled example is checked on its own; with ../shared, reports of both eras and both PDF
engines must match their gold exactly (all 40 in the slow run).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.accuracy import compare, flatten_gold, flatten_report, score_pdf
from extract import read_pdf
from tests.conftest import DATA_DIR, EXAMPLES_DIR, SHARED_DIR
from transform import yjs
from transform.reading import Reader
from transform.templates import parse_document, template_for

EXAMPLE = EXAMPLES_DIR / "brent-2021.pdf"
CORPUS = SHARED_DIR / "corpus-yjs"  # whole-corpus tests only
SAMPLES = DATA_DIR / "corpus-yjs"  # the sample's PDFs and golds, in the repository
# both eras (2018-2020: 3.4 Joint working; 2021+: 3.4 policy and provision, 4.1 resettlement)
# and both engines (Chromium's Skia, WeasyPrint)
SAMPLE = ("bedford-2019.pdf", "birmingham-2020.pdf", "devon-2022.pdf", "brent-2021.pdf")


@pytest.fixture(scope="module")
def example():
    return parse_document(read_pdf(str(EXAMPLE)))


def test_example_is_recognised_as_the_2018_framework(example):
    assert example.template == "yjs-2018"
    assert example.area == "Brent"
    assert example.service_name == "Brent Youth Offending Service"
    assert example.published_month.isoformat() == "2021-05-01"
    assert (example.rating_score, example.rating_score_max) == (23, 36)
    assert example.overall_rating == "Good"
    assert example.warnings == []


def test_example_ratings_questions_and_findings(example):
    codes = [s.code for s in example.standards]
    assert codes == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4",
                     "3.1", "3.2", "3.3", "3.4", "4.1"]
    assert [s.code for s in example.standards if not s.in_score] == ["4.1"]
    # every standard's own section states the same rating as the ratings table
    assert all(s.section_rating == s.rating for s in example.standards)
    keys = [q for q in example.questions if q.parent_id is None]
    subs = [q for q in example.questions if q.parent_id is not None]
    assert {q.standard for q in keys} == {"2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3"}
    assert all(q.percent_yes == q.body_percent for q in keys)  # annex agrees with the body
    assert subs and all(q.question_id.startswith(q.parent_id) for q in subs)
    assert all(not q.text[:1].isdigit() and q.text.endswith("?") for q in example.questions)
    findings = example.coded_findings()
    assert {code for code, _ in findings} == set(codes)
    for standard in example.standards:
        for kind_list in (standard.strengths, standard.improvements):
            assert [f.seq for f in kind_list] == list(range(1, len(kind_list) + 1))
            assert all(f.boxes and f.page >= 9 for f in kind_list)
    # the standards' own question bullets are not findings
    assert not any(text.endswith("?") for _, f in findings for text in [f.text])


def test_example_recommendations_name_bodies_without_the_area(example):
    groups = [r.responsible for r in example.recommendations]
    assert [r.seq for r in example.recommendations] == list(range(1, len(groups) + 1))
    assert "The Youth Offending Service" in groups and "The Management Board" in groups
    assert not any("Brent" in g for g in groups)
    assert (example.court_cases, example.out_of_court_cases) == (31, 17)


def test_example_context_facts_pair_the_area_with_england_and_wales(example):
    facts = {f.label: f for f in example.context_facts}
    entrants = facts["First-time entrants per 100,000"]
    assert (entrants.value, entrants.comparator_label, entrants.comparator_value) == (
        103, "England and Wales", 181)
    assert facts["Reoffending rate"].unit == "%"


@pytest.mark.parametrize("name", SAMPLE)
def test_sample_matches_gold_exactly(name):
    pdf = SAMPLES / name if name != "brent-2021.pdf" else EXAMPLE
    score = score_pdf(pdf, SAMPLES / (name[:-4] + ".gold.json"))
    assert score.mismatches == []
    assert score.total > 300


@pytest.mark.slow
def test_whole_yjs_corpus_matches_gold_exactly():
    pdfs = sorted(CORPUS.glob("*.pdf"))
    if not pdfs:
        pytest.skip("../shared/corpus-yjs is not available")
    mismatches = []
    for pdf in pdfs:
        gold = json.loads(pdf.with_name(pdf.name[:-4] + ".gold.json").read_text("utf8"))
        report = parse_document(read_pdf(str(pdf)))
        mismatches += compare(flatten_gold(gold), flatten_report(report), pdf.name).mismatches
    assert len(pdfs) == 40
    assert mismatches == []


def test_cci_report_is_not_taken_for_the_2018_framework(parsed_examples):
    document = read_pdf(str(EXAMPLES_DIR / "stoke-on-trent-2011.pdf"))
    assert not yjs.recognise(document)
    assert template_for(document).TEMPLATE_ID == "cci-2009"


@pytest.mark.parametrize(
    ("heading", "area", "expected"),
    [
        ("The Bedford Management Board should:", "Bedford", "The Management Board"),
        ("The Essex Youth Justice Service should:", "Essex", "The Youth Justice Service"),
        ("Essex Police should:", "Essex", "Essex Police"),
        ("Bedfordshire Police should:", "Bedford", "Bedfordshire Police"),
        ("The local authority should:", "Brent", "The local authority"),
        ("The Metropolitan Police Service should:", "Brent", "The Metropolitan Police Service"),
    ],
)
def test_responsible_body_drops_the_area_name(heading, area, expected):
    assert yjs._GROUP_HEAD.match(heading)
    assert yjs._responsible(heading, area) == expected


@pytest.mark.parametrize(
    ("sentence", "domain", "court", "out_of_court"),
    [
        ("We took a detailed look at nine community sentences and five custodial sentences "
         "managed by the YOS.", 2, 14, None),
        ("We inspected 25 cases managed by the YOS that had received an out-of-court disposal. "
         "These consisted of three youth cautions and 22 community resolutions.", 3, None, 25),
        ("We took a detailed look at 29 community sentences and two custodial sentences.",
         2, 31, None),
    ],
)
def test_cases_inspected_are_read_from_words_or_digits(sentence, domain, court, out_of_court):
    from extract.document import Document, Line, Page
    from transform.model import Report, SourceFile

    line = Line(sentence, 0, 0, 100, 10, 11, False)
    reader = Reader(Document("x.pdf", "0" * 64, 0, [Page(1, 595, 842, [line])]))
    report = Report(SourceFile("x.pdf", "0" * 64, 1, 0), "yjs-2018", "test")
    yjs._parse_cases(reader, report, domain, reader.lines)
    assert (report.court_cases, report.out_of_court_cases) == (court, out_of_court)


def test_recognise_needs_the_reports_own_title(tmp_path: Path):
    from tests.bad_pdfs import not_a_report_pdf

    document = read_pdf(str(not_a_report_pdf(tmp_path / "agenda.pdf")))
    assert not yjs.recognise(document)


@pytest.mark.parametrize(
    ("name", "variant"),
    [("haringey-2018", "a"), ("devon-2022", "a"), ("leeds-2021", "b")],
    ids=["2018-era", "2021-era", "2021-era-other-habits"],
)
def test_another_producers_layout_reads_the_same(name, variant, tmp_path: Path):
    """The same facts laid out by matplotlib's PDF backend (tests/alt_layout.py): other fonts,
    wrapped table rows with the percentage level with their first line, cells of their own for
    "Score" and the ratings, square bullets, wrapped group headings; variant "b" moves the
    rating before the statement, percentages onto their own lines, dash bullets, "1)" and "a."
    numbering."""
    from tests.alt_layout import render

    gold_path = SAMPLES / f"{name}.gold.json"
    pdf = render(json.loads(gold_path.read_text("utf8")), tmp_path / f"{name}.pdf", variant)
    score = score_pdf(pdf, gold_path)
    assert score.mismatches == []
    assert score.total > 400


def _lines(rows: list[tuple[float, str]], page: int = 1):
    """TextLines at the given left edges (the only geometry bulleted_items looks at)."""
    from extract.document import Line
    from transform.reading import TextLine

    return [TextLine(page, Line(text, x0, 0, 500, 10, 11, False)) for x0, text in rows]


def test_bulleted_items_join_wrapped_lines_and_stop_at_prose_left_of_the_bullet():
    from transform.reading import bulleted_items

    items = bulleted_items(_lines([
        (77, "• Plans were clear and"), (89, "achievable."),
        (77, "• Home visits were used well."),
        (73, "Inspectors also spoke with the police."),  # prose after the list
    ]))
    assert [[tl.text for tl in item] for item in items] == [
        ["Plans were clear and", "achievable."], ["Home visits were used well."]]


def test_unbulleted_lists_are_split_by_sentences_and_a_none_statement_is_no_finding():
    from transform.reading import bulleted_items

    items = bulleted_items(_lines([
        (73, "Plans were clear and"), (73, "achievable."), (73, "Home visits were used well."),
    ]))
    assert len(items) == 2
    assert yjs._NONE.match("There are no areas for improvement.")
    assert not yjs._NONE.match("There is no joint scrutiny of out-of-court disposal decisions.")


@pytest.mark.parametrize(
    ("cover", "title", "area"),
    [
        (["An inspection of youth offending services in", "Bedford",
          "HM Inspectorate of Probation, August 2019"],
         "An inspection of youth offending services in Bedford", "Bedford"),
        (["HM Inspectorate of Probation", "An inspection of youth justice services in",
          "Cheshire West", "and Chester", "August 2023"],
         "An inspection of youth justice services in Cheshire West and Chester",
         "Cheshire West and Chester"),
        (["An inspection of youth justice services in", "Cheshire West and", "Chester",
          "HM Inspectorate of Probation, December 2024"],
         "An inspection of youth justice services in Cheshire West and Chester",
         "Cheshire West and Chester"),
        (["An inspection of youth justice services in Brighton and Hove",
          "An inspection by HM Inspectorate of Probation", "March 2024"],
         "An inspection of youth justice services in Brighton and Hove", "Brighton and Hove"),
    ],
    ids=["area-on-next-line", "area-wrapped", "area-wrapped-after-and", "area-on-title-line"],
)
def test_cover_title_and_area_however_the_lines_fall(cover, title, area):
    from extract.document import Document, Line, Page
    from transform.model import Report, SourceFile

    lines = [Line(t, 0, 20 * i, 300, 20 * i + 12, 14, False) for i, t in enumerate(cover)]
    reader = Reader(Document("x.pdf", "0" * 64, 0, [Page(1, 595, 842, lines)]))
    report = Report(SourceFile("x.pdf", "0" * 64, 1, 0), "yjs-2018", "test")
    yjs._parse_cover(reader, report)
    assert (report.title, report.area, report.year) == (title, area, int(cover[-1][-4:]))


def test_a_report_that_rates_nothing_is_not_taken_for_an_area_inspection():
    """A thematic report can share the cover's words; without ratings it is not this family."""
    from extract.document import Document, Line, Page

    def page(n: int, texts: list[str]) -> Page:
        return Page(n, 595, 842, [Line(t, 0, 20 * i, 300, 20 * i + 12, 11, False)
                                  for i, t in enumerate(texts)])

    cover = ["An inspection of youth offending services in", "Bedford",
             "HM Inspectorate of Probation, August 2019"]
    thematic = Document("t.pdf", "0" * 64, 0, [page(1, cover), page(2, ["Contents"])])
    assert not yjs.recognise(thematic)
    rated = Document("r.pdf", "0" * 64, 0, [page(1, cover), page(2, [
        "Ratings", "Bedford Youth Offending Service Score 24/36", "Overall rating Good"])])
    assert yjs.recognise(rated)
