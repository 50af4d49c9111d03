"""The database side of the 2018+ framework (issue 10), tested without any PDF parser.

Reports are built from the gold JSON of ../shared/corpus-yjs (tests/gold_report.py): they load
into the new tables, pass the framework's consistency checks (tampered copies fail the right
one), join CCI reports of the same area through area_key, and reach every view, named query,
theme export and the HTML report.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import duckdb
import pytest

from load.db import SCHEMA_VERSION, connect
from load.files import reason_category
from load.migrate import stored_version
from load.report import load_report
from tests.conftest import DATA_DIR, SHARED_DIR
from tests.gold_report import YJS_TEMPLATE, report_from_gold, yjs_report_from_gold
from transform.model import InspectionQuestion, finding_id
from transform.quality import accounted_chars, check_report, failed

ROOT = Path(__file__).resolve().parents[1]
SHA_Y = "e" * 64
SHA_C = "c" * 64
YJS_CHECKS = {
    "standards_rated", "section_ratings_agree", "key_question_bands", "score_matches_ratings",
    "overall_rating_matches_score", "annex_matches_body", "findings_numbered",
    "recommendations_numbered", "parser_warnings", "text_coverage",
}
CCI_CHECKS = [
    "headline_scores", "foreword_matches_scoring", "criteria_complete", "findings_numbered",
    "recommendations_numbered", "section_scores", "parser_warnings", "text_coverage",
]


@pytest.fixture(scope="module")
def yjs_dir() -> Path:
    """../shared/corpus-yjs (every gold) when it is there, else the golds in tests/data."""
    folder = SHARED_DIR / "corpus-yjs"
    return folder if folder.is_dir() else DATA_DIR / "corpus-yjs"


@pytest.fixture(scope="module")
def bedford(yjs_dir: Path) -> dict:
    return json.loads((yjs_dir / "bedford-2019.gold.json").read_text(encoding="utf-8"))


@pytest.fixture()
def con(tmp_path):
    connection = connect(tmp_path / "yjs.duckdb")
    yield connection
    connection.close()


def yjs(gold: dict, sha: str = SHA_Y):
    report = yjs_report_from_gold(gold, sha, "/data/bedford-2019.pdf")
    report.text_chars = accounted_chars(report)  # as if the parser read exactly this much
    return report


# ============================================================================ loading
def test_a_2018_report_fills_the_new_tables_and_columns(con, bedford):
    load_report(con, yjs(bedford))
    assert con.execute(
        "SELECT template, area, area_key, service_name, overall_rating, rating_score,"
        " rating_score_max, court_cases, out_of_court_cases, published_month::VARCHAR"
        " FROM reports"
    ).fetchall() == [(YJS_TEMPLATE, "Bedford", "bedford", "Bedford Youth Offending Service",
                      "Good", 24, 36, 14, 25, "2019-08-01")]
    ratings = con.execute(
        "SELECT code, title, domain, rating, in_score FROM standard_ratings ORDER BY code"
    ).fetchall()
    assert ratings == [
        (r["code"], r["title"], ratings[i][2], r["rating"], r["in_score"])
        for i, r in enumerate(bedford["ratings"])
    ]
    assert {code: domain for code, _, domain, *_ in ratings}["2.3"] == "court_disposals"
    assert {code: domain for code, _, domain, *_ in ratings}["3.1"] == "out_of_court_disposals"
    questions = con.execute(
        "SELECT question_id, parent_id, standard, text, percent_yes FROM inspection_questions"
    ).fetchall()
    assert sorted(questions) == sorted(
        (q["id"], q["parent"], q["standard"], q["text"], q["percent"])
        for q in bedford["questions"])
    assert con.execute(
        "SELECT label, value, comparator_label, comparator_value, unit FROM context_facts"
        " WHERE label = 'Reoffending rate'"
    ).fetchall() == [("Reoffending rate", 39.1, "England and Wales", 40.1, "%")]
    assert con.execute("SELECT count(*) FROM area_context").fetchone() == (0,)  # CCI only


def test_2018_findings_and_recommendations_go_where_cci_ones_go(con, bedford):
    load_report(con, yjs(bedford))
    stored = con.execute(
        "SELECT finding_id, criterion, kind, seq, text FROM findings"
    ).fetchall()
    assert sorted(stored) == sorted(
        (finding_id(SHA_Y, f["code"], f["kind"], f["n"]), f["code"], f["kind"], f["n"], f["text"])
        for f in bedford["findings"])
    assert con.execute(
        "SELECT seq, text, responsible FROM recommendations ORDER BY seq"
    ).fetchall() == [(r["n"], r["text"], r["responsible"]) for r in bedford["recommendations"]]


def test_a_rating_outside_the_four_is_refused_whole(con, bedford):
    report = yjs(bedford)
    report.standards[0].rating = "good"  # not as printed
    with pytest.raises(duckdb.ConstraintException):
        load_report(con, report)
    assert con.execute("SELECT count(*) FROM reports").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM inspection_questions").fetchone() == (0,)


@pytest.mark.parametrize(("printed", "key"), [
    ("Stoke on Trent", "stoke on trent"),
    ("Stoke-on-Trent", "stoke on trent"),
    ("Stoke-on-trent", "stoke on trent"),
    ("  STOKE  ON   TRENT ", "stoke on trent"),
    ("Brighton & Hove", "brighton and hove"),
    ("City of York", "york"),
    ("York", "york"),
    ("Bristol, City of", "bristol"),
    ("Leicester City", "leicester"),
    ("Leicestershire", "leicestershire"),
    ("City and Hackney", "city and hackney"),
    ("County Durham", "durham"),
    ("Hull", "kingston upon hull"),
    ("Kingston-upon-Hull", "kingston upon hull"),
    ("Kingston upon Thames", "kingston upon thames"),
    ("Cheshire West", "cheshire west and chester"),
    ("St. Helens", "st helens"),
    ("", None),
    (None, None),
])
def test_area_key_joins_one_area_across_spellings(con, printed, key):
    assert con.execute("SELECT normalise_area(?::VARCHAR)", [printed]).fetchone() == (key,)


# ============================================================================ migration
def _version_2_database(path: Path) -> None:
    """A database as schema version 2 created it, holding two CCI reports."""
    raw = duckdb.connect(str(path))
    raw.execute((ROOT / "tests" / "fixtures" / "schema_v2.sql").read_text(encoding="utf-8"))
    raw.execute("INSERT INTO schema_info VALUES ('schema_version', '2'), ('applied_at', 'x')")
    for rid, area in (("r1", "Stoke-on-Trent"), ("r2", "City of York")):
        raw.execute(
            "INSERT INTO reports (report_id, file_name, source_path, template, area,"
            " parser_version, ingested_at) VALUES (?, 'old.pdf', '/old.pdf', 'cci-2009', ?,"
            " 'old', now())", [rid, area])
        raw.execute("INSERT INTO findings VALUES (?, ?, '1.1', 'strength', 1, 'text', 3, NULL)",
                    [f"{rid}:1.1:S1", rid])
    raw.close()


def test_migration_brings_a_version_2_database_up_to_date(tmp_path, bedford):
    db = tmp_path / "v2.duckdb"
    _version_2_database(db)
    with pytest.raises(Exception, match="findings migrate"):
        connect(db, read_only=True)
    con = connect(db)  # a writer migrates first
    try:
        assert stored_version(con) == int(SCHEMA_VERSION) >= 3
        assert con.execute(
            "SELECT report_id, area, area_key, overall_rating FROM reports ORDER BY report_id"
        ).fetchall() == [("r1", "Stoke-on-Trent", "stoke on trent", None),
                         ("r2", "City of York", "york", None)]
        for table in ("standard_ratings", "inspection_questions", "context_facts"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
        load_report(con, yjs(bedford))  # the migrated file takes 2018+ reports
        assert con.execute(
            "SELECT template, count(*) FROM v_findings GROUP BY ALL ORDER BY 1"
        ).fetchall() == [("cci-2009", 2), (YJS_TEMPLATE, len(bedford["findings"]))]
    finally:
        con.close()
    reader = connect(db, read_only=True)
    assert reader.execute("SELECT count(*) FROM standard_ratings").fetchone() == (12,)
    reader.close()


# ============================================================================ quality checks
def test_cci_reports_keep_exactly_their_checks(stoke_gold_path):
    report = report_from_gold(json.loads(stoke_gold_path.read_text()), SHA_C, "/s.pdf")
    assert [c.name for c in check_report(report)] == CCI_CHECKS


def test_every_2018_gold_report_passes_every_check(yjs_dir):
    for path in sorted(yjs_dir.glob("*.gold.json")):
        checks = check_report(yjs(json.loads(path.read_text(encoding="utf-8"))))
        assert {c.name for c in checks} == YJS_CHECKS
        assert not failed(checks), (path.name, failed(checks))


def _tampered(bedford: dict, change) -> set[str]:
    report = yjs(copy.deepcopy(bedford))
    change(report)
    return {c.name for c in failed(check_report(report))}


def _standard(report, code):
    return next(s for s in report.standards if s.code == code)


def _question(report, qid) -> InspectionQuestion:
    return next(q for q in report.questions if q.question_id == qid)


def test_each_tampered_value_fails_the_check_about_it(bedford):
    # 2.1 (Good) rests on key questions 86/79/79: its lowest is 79 -> Good
    assert [q["percent"] for q in bedford["questions"] if q["parent"] is None
            and q["standard"] == "2.1"] == [86, 79, 79]

    def lower_key_question(r):
        _question(r, "2.1.2").percent_yes = 40
        _question(r, "2.1.2").body_percent = 40
    assert _tampered(bedford, lower_key_question) == {"key_question_bands"}

    def annex_differs(r):
        _question(r, "2.1.2").body_percent = 72  # still Good, but not what the annex says
    assert _tampered(bedford, annex_differs) == {"annex_matches_body"}

    def section_differs(r):
        _standard(r, "1.1").section_rating = "Outstanding"
    assert _tampered(bedford, section_differs) == {"section_ratings_agree"}

    def score_differs(r):
        r.rating_score = 25
    assert _tampered(bedford, score_differs) == {"score_matches_ratings"}

    def overall_differs(r):
        r.overall_rating = "Outstanding"
    assert _tampered(bedford, overall_differs) == {"overall_rating_matches_score"}

    def unrated(r):
        _standard(r, "1.2").rating = None
    assert {"standards_rated", "score_matches_ratings", "section_ratings_agree"} <= _tampered(
        bedford, unrated)

    def thirteen_scored(r):
        _standard(r, "1.1").in_score = True
        r.standards.append(copy.deepcopy(_standard(r, "1.1")))
        r.standards[-1].code = "4.1"
    assert "score_matches_ratings" in _tampered(bedford, thirteen_scored)

    def finding_gap(r):
        _standard(r, "1.1").strengths[1].seq = 5
    assert _tampered(bedford, finding_gap) == {"findings_numbered"}

    def recommendation_gap(r):
        r.recommendations[2].seq = 2
    assert _tampered(bedford, recommendation_gap) == {"recommendations_numbered"}


def test_checks_flag_but_never_correct(con, bedford):
    report = yjs(copy.deepcopy(bedford))
    report.rating_score = 30
    load_report(con, report)
    assert con.execute("SELECT rating_score FROM reports").fetchone() == (30,)
    assert con.execute(
        "SELECT failed FROM flagged_reports"
    ).fetchone() == (["score_matches_ratings"],)


# ============================================================================ views, queries
@pytest.fixture(scope="module")
def mixed(yjs_dir):
    from publish.query import open_readonly
    from tests.publish_data import mixed_db

    connection = open_readonly(mixed_db())
    yield connection
    connection.close()


def test_v_findings_carries_the_template_and_the_standard(mixed):
    rows = mixed.execute(
        "SELECT template, count(*), count(criterion_title), count(section_title),"
        " count(standard_rating), count(risk_of_harm_score), count(area_key)"
        " FROM v_findings GROUP BY ALL ORDER BY 1"
    ).fetchall()
    (cci, cci_n, *cci_counts), (yjs_t, yjs_n, *yjs_counts) = rows
    assert (cci, yjs_t) == ("cci-2009", YJS_TEMPLATE)
    assert cci_counts == [cci_n, cci_n, 0, cci_n, cci_n]
    assert yjs_counts == [yjs_n, yjs_n, yjs_n, 0, yjs_n]
    assert mixed.execute(
        "SELECT DISTINCT section, section_title FROM v_findings WHERE criterion = '3.2'"
        " AND template = ?", [YJS_TEMPLATE]
    ).fetchall() == [(3, "Out-of-court disposals")]


def test_focus_scores_classify_key_questions_by_their_wording(mixed):
    rows = mixed.execute(
        "SELECT v.focus, q.text FROM v_focus_scores v JOIN inspection_questions q"
        " ON q.report_id = v.report_id AND q.question_id = v.question_id"
    ).fetchall()
    assert len(rows) == 6 * 21  # 6 reports x key questions of 2.1-2.4 and 3.1-3.3
    words = {"desistance": "desistance", "child_safety": "child", "others_safety": "other people"}
    assert all(words[focus] in text for focus, text in rows)
    cci = mixed.execute(
        "SELECT v.focus, v.value, h.domain, h.score FROM v_focus_scores v"
        " JOIN headline_scores h USING (report_id) WHERE v.measure = 'cci_headline_score'"
        " AND h.domain = CASE v.focus WHEN 'desistance' THEN 'likelihood_of_reoffending'"
        " WHEN 'child_safety' THEN 'safeguarding' ELSE 'risk_of_harm' END"
    ).fetchall()
    assert len(cci) == 4 * 3 and all(value == score for _, value, _, score in cci)
    assert mixed.execute(
        "SELECT DISTINCT measure FROM v_focus_scores WHERE question_id = '3.3.2'"
    ).fetchall() == [("out_of_court_implementation_and_delivery",)]


def test_every_named_query_runs_with_2018_reports_present(mixed):
    from publish.query import list_queries, run_named

    rid = mixed.execute("SELECT report_id FROM reports WHERE template = ? LIMIT 1",
                        [YJS_TEMPLATE]).fetchone()[0]
    fid = mixed.execute("SELECT finding_id FROM findings WHERE report_id = ? LIMIT 1",
                        [rid]).fetchone()[0]
    required = {"report_id": rid, "finding_id": fid, "area": "York"}
    for query in list_queries():
        given = {p.name: required[p.name] for p in query.params if p.default is None}
        frame = run_named(mixed, query.name, given)
        assert frame is not None, query.name
    assert len(run_named(mixed, "report_findings", {"report_id": rid})["criterion_title"]
               .dropna()) > 0


def test_area_timeline_joins_both_frameworks_on_area_key(mixed):
    from publish.query import run_named

    timeline = run_named(mixed, "area_timeline", {"area": "City of York"})
    assert list(dict.fromkeys(zip(timeline["year"], timeline["template"], strict=True))) == [
        (2009, "cci-2009"), (2020, YJS_TEMPLATE)]
    overall = timeline[timeline["focus"] == "overall"]
    assert list(zip(overall["rating"], overall["value"], strict=True)) == [("Good", 26)]
    assert set(timeline["area"]) == {"York"}
    hull = run_named(mixed, "area_timeline", {"area": "Hull"})
    assert sorted(set(hull["year"])) == [2010, 2021]


def test_standards_rated_low_counts_the_gold_ratings(mixed):
    from publish.query import run_named
    from tests.publish_data import MIXED_YJS, yjs_gold

    frame = run_named(mixed, "standards_rated_low", {})
    row = frame[frame["code"] == "2.1"].iloc[0]
    ratings = [r["rating"] for name in MIXED_YJS for r in yjs_gold(name)["ratings"]
               if r["code"] == "2.1"]
    assert row["reports_rated"] == len(ratings)
    assert row["inadequate"] == ratings.count("Inadequate")
    assert row["requires_improvement"] == ratings.count("Requires improvement")
    assert list(frame["share_below_good"]) == sorted(frame["share_below_good"], reverse=True)


def test_theme_prevalence_by_rating_counts_findings_of_each_band(mixed):
    from publish.query import run_named

    frame = run_named(mixed, "theme_prevalence_by_rating", {"kind": ""})
    bands = mixed.execute(
        "SELECT s.rating, count(*) FROM findings f JOIN standard_ratings s"
        " ON s.report_id = f.report_id AND s.code = f.criterion GROUP BY ALL"
    ).fetchall()
    assert dict(frame.drop_duplicates("rating")[["rating", "findings_in_band"]]
                .itertuples(index=False)) == dict(bands)
    themed = mixed.execute(
        "SELECT count(*) FROM (SELECT DISTINCT t.theme, f.finding_id FROM finding_themes t"
        " JOIN findings f USING (finding_id) JOIN reports r USING (report_id)"
        " WHERE r.template = ?)", [YJS_TEMPLATE]).fetchone()[0]
    assert themed > 0 and frame["findings_with_theme"].sum() == themed


def test_theme_then_and_now_shares_are_of_each_frameworks_reports(mixed):
    from publish.query import run_named

    frame = run_named(mixed, "theme_then_and_now", {"theme": "victims"})
    assert list(frame["template"]) == ["cci-2009", YJS_TEMPLATE]
    for template, share in zip(frame["template"], frame["share_improvement"], strict=True):
        total, with_theme = mixed.execute(
            "SELECT count(DISTINCT r.report_id), count(DISTINCT r.report_id) FILTER (WHERE"
            " f.kind = 'improvement' AND t.theme = 'victims') FROM reports r"
            " LEFT JOIN findings f ON f.report_id = r.report_id"
            " LEFT JOIN finding_themes t ON t.finding_id = f.finding_id"
            " WHERE r.template = ?", [template]).fetchone()
        assert share == round(with_theme / total, 3)
    everything = run_named(mixed, "theme_then_and_now", {})
    assert len(everything) == 2 * mixed.execute("SELECT count(*) FROM themes").fetchone()[0]


def test_reports_side_by_side_matches_areas_in_any_spelling(mixed):
    from publish.query import run_named

    wide = run_named(mixed, "reports_side_by_side", {"areas": "city of york,kingston-upon-hull"})
    assert set(wide.columns) - {"measure"} == {
        "York 2009", "York 2020", "Kingston upon Hull 2010", "Kingston upon Hull 2021"}
    overall = wide[wide["measure"] == "Overall rating"].iloc[0]
    assert overall["York 2020"] == "Good (26/36)"


# ============================================================================ NLP and publish
def test_2018_findings_are_annotated_at_load_and_by_retag(tmp_path, bedford):
    from flows.retag_work import retag_database
    from transform.nlp import annotate_report

    db = tmp_path / "nlp.duckdb"
    con = connect(db)
    report = yjs(bedford)
    load_report(con, report, annotate_report(report))
    sql = ("SELECT source, count(DISTINCT source_id) FROM text_themes GROUP BY ALL ORDER BY 1")
    at_load = con.execute(sql).fetchall()
    con.close()
    assert dict(at_load)["finding"] > len(bedford["findings"]) // 2
    assert dict(at_load)["recommendation"] > 0
    retag_database(str(db), workers=1)
    con = connect(db, read_only=True)
    assert con.execute(sql).fetchall() == at_load
    con.close()


def test_theme_summary_and_export_carry_the_template(mixed, tmp_path):
    import pandas as pd

    from publish.export import export_themes
    from publish.outputs import PublishError
    from publish.themes import theme_summary

    everything = theme_summary(mixed)
    yjs_only = theme_summary(mixed, template=YJS_TEMPLATE)
    cci_only = theme_summary(mixed, template="cci-2009")
    assert set(everything["reports_total"]) == {10}
    assert set(yjs_only["reports_total"]) == {6} and set(cci_only["reports_total"]) == {4}
    both = everything.set_index("theme")["findings_improvement"]
    parts = (yjs_only.set_index("theme")["findings_improvement"]
             + cci_only.set_index("theme")["findings_improvement"])
    assert both.sort_index().tolist() == parts.sort_index().tolist()
    with pytest.raises(PublishError, match="no reports of template"):
        theme_summary(mixed, template="yjs_2018")
    path = export_themes(mixed, tmp_path / "themes.csv")
    flat = pd.read_csv(path)
    assert set(flat["template"].dropna()) == {"cci-2009", YJS_TEMPLATE}
    assert set(flat.loc[flat["template"] == YJS_TEMPLATE, "standard_rating"].dropna()) <= {
        "Outstanding", "Good", "Requires improvement", "Inadequate"}
    md = export_themes(mixed, tmp_path / "themes.md", template=YJS_TEMPLATE).read_text()
    assert ", standard 2." in md and ", criterion " not in md


def test_html_report_shows_a_2018_reports_ratings_and_key_questions(mixed, tmp_path):
    from publish.html_report import build_site

    site = build_site(mixed, tmp_path / "site")
    assert site.report_pages == 10
    york = next((tmp_path / "site" / "reports").glob("york-2020-*.html")).read_text()
    assert "<h2>Ratings</h2>" in york and "<h2>Key questions</h2>" in york
    assert "overall rating <strong>Good</strong>, score 26/36" in york
    assert "Does assessment sufficiently analyse how to keep the child safe?" in york
    assert "Headline scores" not in york
    old = next((tmp_path / "site" / "reports").glob("york-2009-*.html")).read_text()
    assert "Headline scores" in old and "<h2>Ratings</h2>" not in old
    index = (tmp_path / "site" / "index.html").read_text()
    assert "Good (26/36)" in index and YJS_TEMPLATE in index


# ============================================================================ rejections
def test_old_and_new_not_a_report_reasons_are_one_category():
    from flows.summary import FileOutcome, IngestSummary

    assert reason_category("not_a_cci_report") == reason_category("not_an_inspection_report")
    assert reason_category("not_a_pdf") == "not_a_pdf"
    assert reason_category(None) == "unknown"
    summary = IngestSummary.__new__(IngestSummary)
    summary.files = [FileOutcome("/a.pdf", "a", "rejected", "not_a_cci_report", ""),
                     FileOutcome("/b.pdf", "b", "rejected", "not_an_inspection_report", "")]
    assert summary.rejected_by_reason == {"not_an_inspection_report": 2}


def test_status_reads_a_database_holding_the_old_reason(con):
    from load.files import record_rejection
    from load.status import database_status

    record_rejection(con, "a" * 64, "/in/agenda.pdf", "not_a_cci_report", "old wording")
    rejected = database_status(con).rejected
    assert [(r["reason"], r["category"]) for r in rejected] == [
        ("not_a_cci_report", "not_an_inspection_report")]


def test_theme_heatmap_by_framework_has_a_column_per_template(mixed, tmp_path):
    import xml.etree.ElementTree as ET

    from publish import charts

    path = charts.save(charts.draw(mixed, "theme-heatmap", by="template"), tmp_path / "h.svg")
    texts = ["".join(el.itertext()).strip()
             for el in ET.parse(path).getroot().iter("{http://www.w3.org/2000/svg}text")]
    for template, n in mixed.execute("SELECT template, count(*) FROM reports GROUP BY ALL"
                                     ).fetchall():
        at = texts.index(template)
        assert texts[at + 1] == f"(n={n})"
    assert any("by framework" in t for t in texts)
