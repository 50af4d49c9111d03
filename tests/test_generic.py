"""The generic HMI Probation layer and the 2025 youth framework, on our own reports written as
web pages and as PDFs (tests/generic_reports.py): what each states is loaded, from either
source alike; a news page and a council paper are not reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import read_document
from tests.generic_reports import write_reports
from transform.model import NotAReport
from transform.templates import parse_document

REPORTS = ("youth-2025-northmoor", "pdu-eastfield-2024", "thematic-victims-2023")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return write_reports(tmp_path_factory.mktemp("generic"))


@pytest.fixture(scope="module")
def parsed(files) -> dict[str, object]:
    return {name: parse_document(read_document(str(path)))
            for name, path in files.items() if not name.startswith(("news", "council"))}


def _facts(report) -> dict:
    """What a report gives, pages aside: the same from its web page and its PDF."""
    return {
        "template": report.template, "title": report.title, "area": report.area,
        "publication": report.publication, "published": report.published_month,
        "overall": report.overall_rating,
        "ratings": [(r.name, r.rating) for r in report.ratings],
        "findings": [(c, f.kind, f.seq, f.text) for c, f in report.section_findings],
        "recommendations": [(r.seq, r.text, r.responsible) for r in report.recommendations],
        "warnings": report.warnings,
    }


@pytest.mark.parametrize("name", REPORTS)
def test_web_page_and_pdf_give_the_same_rows(parsed, name):
    page, pdf = parsed[f"{name}.html"], parsed[f"{name}.pdf"]
    assert _facts(page) == _facts(pdf)
    assert page.source.kind == "html" and pdf.source.kind == "pdf"
    assert all(p.page is None for p in page.passages)
    assert all(p.page for p in pdf.passages)
    # the body is kept whole: every finding is a passage too
    texts = {p.text for p in pdf.passages}
    assert all(f.text in texts for _, f in pdf.section_findings)


def test_2025_framework_is_recognised_by_name(parsed):
    report = parsed["youth-2025-northmoor.html"]
    assert report.template == "yjs-2025"
    assert report.publication == "youth justice inspection (2025 framework)"
    assert (report.area, str(report.published_month)) == ("Northmoor", "2025-07-01")
    assert report.overall_rating == "Good"
    assert [(r.name, r.rating) for r in report.ratings] == [
        ("The quality of work with children", "Outstanding"),
        ("The quality of work with victims", "Good"),
        ("Appropriate Adult arrangements", "Requires improvement"),
    ]
    kinds = [(c, f.kind) for c, f in report.section_findings]
    assert kinds.count(("Work with victims", "improvement")) == 1
    assert ("Work with children > Assessing to achieve positive change", "strength") in kinds
    assert [r.responsible for r in report.recommendations] == [
        "The Northmoor Youth Justice Service", "The Northmoor Youth Justice Service",
        "The Northmoor Management Board",
    ]
    assert report.rating_score is None and report.standards == []  # nothing made up
    assert report.warnings == []


def test_probation_delivery_unit_inspection(parsed):
    report = parsed["pdu-eastfield-2024.pdf"]
    assert report.template == "hmip-generic"
    assert (report.area, report.publication) == (
        "Eastfield PDU", "probation delivery unit inspection")
    assert report.overall_rating == "Requires improvement"
    assert dict((r.name, r.rating) for r in report.ratings) == {
        "Leadership": "Good", "Staffing": "Inadequate", "Services": "Good"}
    assert report.rating_score is None  # "Score 9/27" is printed in a cell, never taken as one
    assert len(report.section_findings) == 5 and len(report.recommendations) == 3


def test_thematic_inspection_states_no_rating(parsed):
    report = parsed["thematic-victims-2023.html"]
    assert (report.publication, report.area, report.overall_rating) == (
        "thematic inspection", None, None)
    assert report.ratings == []
    assert [f.kind for _, f in report.section_findings] == ["strength", "improvement",
                                                           "improvement"]
    assert {r.responsible for r in report.recommendations} == {"HM Prison and Probation Service"}


@pytest.mark.parametrize("name", ["news-northmoor.html", "council-northmoor.html"])
def test_pages_about_an_inspection_are_not_reports(files, name):
    with pytest.raises(NotAReport) as caught:
        parse_document(read_document(str(files[name])))
    assert caught.value.reason == "not_an_inspection_report"


def test_loaded_searchable_and_tagged(files, tmp_path):
    """Through the real ingest: loaded with passages, found by search, tagged with themes;
    the news page rejected, the batch going on."""
    import duckdb

    from flows.ingest_work import run_locally

    db = tmp_path / "g.duckdb"
    summary = run_locally([str(p) for p in files.values()], str(db), workers=1)
    assert summary.loaded == 6
    assert {f.reason for f in summary.files if f.status == "rejected"} == {
        "not_an_inspection_report"}
    con = duckdb.connect(str(db), read_only=True)
    rows = dict(con.execute(
        "SELECT file_name, overall_rating FROM reports WHERE template = 'yjs-2025'").fetchall())
    assert rows == {"youth-2025-northmoor.html": "Good", "youth-2025-northmoor.pdf": "Good"}
    # from either source: its findings, recommendations, and passages searchable and tagged
    per_file = con.execute("""
        SELECT r.file_name,
               (SELECT count(*) FROM findings f WHERE f.report_id = r.report_id),
               (SELECT count(*) FROM recommendations x WHERE x.report_id = r.report_id),
               (SELECT count(*) FROM search_documents d
                WHERE d.report_id = r.report_id AND d.source = 'passage') > 0,
               (SELECT count(*) FROM text_themes t
                WHERE t.report_id = r.report_id AND t.source = 'passage') > 0
        FROM reports r WHERE r.template = 'yjs-2025' ORDER BY 1""").fetchall()
    assert per_file == [("youth-2025-northmoor.html", 5, 3, True, True),
                        ("youth-2025-northmoor.pdf", 5, 3, True, True)]
    assert con.execute("SELECT count(*) FROM passages p JOIN reports r USING (report_id)"
                       " WHERE r.source_kind = 'html' AND p.page IS NOT NULL").fetchone() == (0,)
    tagged = con.execute("SELECT count(DISTINCT source_id) FROM text_themes"
                         " WHERE source = 'passage'").fetchone()[0]
    assert tagged > 5
    generic = con.execute("SELECT count(*) FROM v_findings WHERE generic_layer").fetchone()[0]
    assert generic == con.execute(
        "SELECT count(*) FROM findings f JOIN reports r USING (report_id)"
        " WHERE r.template IN ('hmip-generic', 'yjs-2025')").fetchone()[0] > 0
    from publish.search import search

    hits = search(con, '"Appropriate Adult arrangements"')
    con.close()
    assert "passage" in set(hits["source"]) and set(hits["template"]) == {"yjs-2025"}
    # a retag re-reads the passages and gives them the same themes
    from flows.retag_work import retag_database

    retag_database(str(db), workers=1)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(DISTINCT source_id) FROM text_themes"
                       " WHERE source = 'passage'").fetchone()[0] == tagged
    con.close()


def test_migration_7_lets_the_nlp_tables_hold_passages(tmp_path):
    """A schema-6 database whose NLP tables have the old CHECK (and a column a later migration
    added): migrated, every row and column kept, and source 'passage' accepted."""
    import duckdb

    from load.db import connect
    from load.migrate import NLP_SOURCE_TABLES, stored_version

    db = tmp_path / "v6.duckdb"
    connect(db).close()
    raw = duckdb.connect(str(db))
    old = "('finding', 'recommendation', 'good_practice')"
    for table in NLP_SOURCE_TABLES:
        definition = raw.execute(
            "SELECT sql FROM duckdb_tables() WHERE table_name = ?", [table]).fetchone()[0]
        raw.execute(f"DROP TABLE {table}")
        raw.execute(definition.replace(
            "'finding', 'recommendation', 'good_practice', 'passage')", old[1:]))
    # text_themes has had confidence and evidence since schema 5 (issue 17)
    raw.execute("INSERT INTO text_themes BY NAME SELECT 'finding' AS source, 'f1' AS source_id,"
                " 'r1' AS report_id, 'victims' AS theme, 'victim' AS matched_text,"
                " 0 AS start_char, 6 AS end_char, 0.75 AS confidence")
    acronym = "INSERT INTO text_acronyms VALUES ('passage', 'p', 'r', 'YJS', 'x', true, 0, 3)"
    with pytest.raises(duckdb.ConstraintException):
        raw.execute(acronym)
    raw.execute("DROP TABLE passages")  # not there before version 7
    raw.execute("UPDATE schema_info SET value = '6' WHERE key = 'schema_version'")
    raw.close()

    con = connect(db)
    try:
        assert stored_version(con) == 7
        assert con.execute("SELECT source, theme, confidence FROM text_themes").fetchall() == [
            ("finding", "victims", 0.75)]
        con.execute(acronym)
        assert con.execute("SELECT count(*) FROM passages").fetchone() == (0,)
    finally:
        con.close()


@pytest.mark.parametrize(("title", "kind", "unit"), [
    ("An inspection of probation services in: Stockton and Hartlepool PDU",
     "probation delivery unit inspection", "Stockton and Hartlepool PDU"),
    ("An inspection of Durham Tees Valley Community Rehabilitation Company",
     "adult probation inspection (CRC/NPS)", "Durham Tees Valley Community Rehabilitation Company"),
    ("An inspection of the National Probation Service North East division",
     "adult probation inspection (CRC/NPS)", "National Probation Service North East division"),
    ("An inspection of youth justice work with children and victims in Wakefield",
     "youth justice inspection (2025 framework)", "Wakefield"),
    ("A joint thematic inspection of work with children in custody", "thematic inspection", None),
    ("An inspection of work with people on probation in prisons", "probation inspection", None),
])
def test_kind_and_unit_come_from_the_titles_words(title, kind, unit):
    from transform.hmip import TITLE, publication_kind, unit_from_title

    assert TITLE.match(title)
    assert (publication_kind(title), unit_from_title(title)) == (kind, unit)


def test_the_generic_layer_reads_2018_reports_as_their_template_does(shared_dir):
    """The generic layer's habits checked on real layouts (WeasyPrint, Chromium, a web page):
    forced onto 2018+ reports, it finds exactly the gold's findings, each under its standard's
    heading, and recommendations, the overall rating, and the title with its area."""
    import json

    from transform import hmip

    sources = sorted((shared_dir / "corpus-yjs").glob("*.pdf"))[:4]
    sources += sorted((shared_dir / "web-pages").glob("*.html"))[:1]
    if len(sources) < 2:
        pytest.skip("../shared/corpus-yjs is not available")
    for source in sources:
        gold = json.loads(source.with_name(source.stem + ".gold.json").read_text("utf8"))
        report = hmip.parse(read_document(str(source)))
        assert sorted(f.text for _, f in report.section_findings) == sorted(
            f["text"] for f in gold["findings"]), source.name
        # each listed under its standard's heading ("2. Court disposals > 2.1. Assessment")
        code_of = {f["text"]: f["code"] for f in gold["findings"]}
        assert all(section.rsplit(" > ", 1)[-1].startswith(code_of[f.text] + ".")
                   for section, f in report.section_findings), source.name
        assert [r.text for r in report.recommendations] == [
            r["text"] for r in gold["recommendations"]], source.name
        assert report.overall_rating == gold["overall_rating"]
        assert (report.title, report.area) == (gold["title"], gold["area"]), source.name
