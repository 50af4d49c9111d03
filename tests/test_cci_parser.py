"""transform/: templates registry and the CCI parser, on the bundled Stoke PDFs and real PDFs."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import pytest

from extract import read_pdf
from tests.bad_pdfs import not_a_report_pdf
from tests.conftest import DATA_DIR, EXAMPLES_DIR, STOKE_NAMES
from transform.model import NotAReport
from transform.numbers import leading_number, parse_number
from transform.templates import PARSER_VERSION, parse_document, template_for


@pytest.fixture(params=STOKE_NAMES, ids=["weasyprint", "chromium"])
def report(request, parsed_examples):
    return parsed_examples[request.param]


def test_metadata_and_provenance(report):
    assert report.template == "cci-2009" and report.parser_version == PARSER_VERSION
    assert (report.area, report.year, report.isbn) == ("Stoke on Trent", 2011, "978-1-84099-420-9")
    assert report.published_month == date(2011, 3, 1)
    assert report.fieldwork_month == date(2010, 11, 1)
    assert report.field_pages["published_month"] == 2
    assert report.field_pages["lead_inspector"] == 3
    assert len(report.source.sha256) == 64 and report.source.pages == 24
    assert report.warnings == []


def test_scores_are_read_not_derived(report):
    by_domain = {h.domain: h for h in report.headline}
    # 58% is "substantial" and 61% (criterion 1.2) "moderate": levels come from the text
    assert by_domain["risk_of_harm"].improvement == "substantial"
    assert (by_domain["risk_of_harm"].national_lowest, by_domain["risk_of_harm"].page) == (36, 4)
    criteria = {c.code: c for c in report.criteria}
    assert list(criteria) == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2"]
    assert (criteria["1.1"].score, criteria["1.1"].improvement) == (61, "substantial")
    assert (criteria["1.2"].score, criteria["1.2"].improvement) == (61, "moderate")
    assert [s.overall for s in report.sections] == [61, 70, 61]


def test_findings_run_across_page_breaks_with_boxes(report):
    c11 = report.criteria[0]
    assert [f.seq for f in c11.improvements] == [1, 2, 3, 4, 5, 6]
    last = c11.improvements[-1]
    assert last.page == 9 and last.kind == "improvement"
    assert {b.page for b in last.boxes} == {9}
    assert all(b.x0 < b.x1 and b.top < b.bottom for f in c11.findings for b in f.boxes)


def test_recommendations_service_users_good_practice(report):
    assert [r.responsible for r in report.recommendations][-2:] == [
        "YOS Manager", "YOS Manager and Management Board",
    ]
    assert not report.recommendations[-1].text.endswith((")", "."))
    young, victims = report.service_users
    assert (young.group, young.respondents) == ("children_and_young_people", 21)
    assert len(young.points) == 8
    assert (victims.group, victims.respondents, victims.points) == ("victims", 0, [])
    assert [g.criterion for g in report.good_practice] == ["1.2", "1.3", "2.2", "2.2", "3.2"]
    assert report.good_practice[0].section_title == "Assessment and Sentence Planning"
    assert report.good_practice[0].boxes and report.good_practice[0].page == 7


def test_context_and_glossary(report):
    ctx = report.context
    assert (ctx.region, ctx.population, ctx.pct_bme_national) == ("West Midlands", 240636, 8.7)
    assert (ctx.yjb_score, ctx.yjb_max, ctx.yjb_judgement_date) == (13, 28, "10 June 2010")
    terms = [g.term for g in report.glossary]
    assert terms[0] == "APIS" and terms[-1] == "YRO" and len(terms) == 39
    assert report.glossary[-1].page == 24


def test_report_pickles(report):
    assert pickle.loads(pickle.dumps(report)).criteria[3].title == report.criteria[3].title


def test_tables_without_rules_fall_back_to_text():
    """The same report with its ruled tables ignored still yields table content from text."""
    document = read_pdf(str(EXAMPLES_DIR / STOKE_NAMES[0]))
    for page in document.pages:
        page.tables = []
    report = parse_document(document)
    assert [g.criterion for g in report.good_practice] == ["1.2", "1.3", "2.2", "2.2", "3.2"]
    assert [h.national_average for h in report.headline] == [67, 62, 70]
    terms = [g.term for g in report.glossary]
    assert terms[:3] == ["APIS", "ASB/ASBO", "Asset"] and terms[-2:] == ["YOS/T", "YRO"]


def test_other_pdf_is_not_a_report(tmp_path: Path):
    document = read_pdf(str(not_a_report_pdf(tmp_path / "agenda.pdf")))
    assert template_for(document) is None
    with pytest.raises(NotAReport) as caught:
        parse_document(document)
    assert caught.value.reason == "not_an_inspection_report"
    assert "Core Case Inspection" in caught.value.detail


@pytest.mark.parametrize(
    "name",
    ["council-minutes.pdf", "met-knife-crime-july2015.pdf", "ofsted-103980.pdf",
     "ofsted-139305.pdf"],
)
def test_real_world_pdfs_are_rejected_not_crashed(name):
    path = DATA_DIR / "realworld" / name
    if not path.exists():
        pytest.skip("../shared/realworld is not available")
    with pytest.raises(NotAReport) as caught:
        parse_document(read_pdf(str(path)))
    assert caught.value.reason == "not_an_inspection_report"


@pytest.mark.parametrize(
    ("text", "number"),
    [("Twenty-one children", 21), ("Nine children and young people", 9), ("No questionnaires", 0),
     ("One hundred and five", 105), ("34 children", 34), ("Several children", None)],
)
def test_number_words(text, number):
    assert leading_number(text) == number


def test_parse_number_rejects_other_words():
    assert parse_number("forty-two") == 42
    assert parse_number("many") is None
