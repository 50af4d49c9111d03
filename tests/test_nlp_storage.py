"""Annotations in DuckDB: written in the core writer's transaction, views, and retag."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from load.db import connect
from load.report import load_report
from tests.conftest import data_path
from tests.gold_report import report_from_gold
from transform.nlp import annotate_report
from transform.nlp.themes import DEFAULT_THEMES

STOKE = data_path("reports/stoke-on-trent-2011.gold.json")
FIRST_CCI = ("barking-and-dagenham-2010", "barnet-2011", "barnsley-2011")  # by name


def gold_report(path: Path):
    if not path.exists():
        pytest.skip(f"{path} not available")
    gold = json.loads(path.read_text(encoding="utf-8"))
    sha = hashlib.sha256(path.name.encode()).hexdigest()
    return report_from_gold(gold, sha, path.with_suffix(".pdf").name)


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "findings.duckdb"
    con = connect(path)
    reports = [gold_report(STOKE)] + [
        gold_report(data_path(f"corpus/{name}.gold.json")) for name in FIRST_CCI
    ]
    for report in reports:
        load_report(con, report, annotate_report(report))
    yield path, con, reports
    con.close()


def test_annotations_stored_with_report_and_offsets(db):
    _, con, reports = db
    stoke = reports[0]
    rows = con.execute(
        "SELECT f.text, t.matched_text, t.start_char, t.end_char FROM text_themes t "
        "JOIN findings f ON f.finding_id = t.source_id WHERE t.report_id = ?",
        [stoke.report_id]).fetchall()
    assert rows and all(text[s:e] == m for text, m, s, e in rows)
    sources = {r[0] for r in con.execute("SELECT DISTINCT source FROM text_themes").fetchall()}
    assert sources == {"finding", "recommendation", "good_practice"}
    (n,) = con.execute("SELECT count(*) FROM themes").fetchone()
    assert n >= 20


def test_rewriting_a_report_replaces_its_rows(db):
    _, con, reports = db
    from load.annotations import write_annotations

    before = con.execute("SELECT count(*) FROM text_proportions").fetchone()[0]
    con.execute("BEGIN TRANSACTION")
    write_annotations(con, reports[0].report_id, annotate_report(reports[0]))
    con.execute("COMMIT")
    assert con.execute("SELECT count(*) FROM text_proportions").fetchone()[0] == before


def test_views_join_findings_and_count_reports(db):
    _, con, reports = db
    row = con.execute(
        "SELECT area, year, criterion, kind, text, page, criterion_title FROM v_finding_themes "
        "WHERE finding_id LIKE ? AND theme = 'home_visits' ORDER BY criterion LIMIT 1",
        [reports[0].report_id[:16] + "%"]).fetchone()
    assert row[0] == "Stoke on Trent" and row[1] == 2011 and row[2] == "2.1"
    assert "home visits" in row[4] and row[6]
    prevalence = {r[0]: r[1:] for r in con.execute(
        "SELECT theme, reports_strength, reports_improvement, reports_total, share_improvement "
        "FROM v_theme_prevalence").fetchall()}
    assert len(prevalence) >= 20
    strength, improvement, total, share = prevalence["management_oversight"]
    assert total == len(reports) and 1 <= improvement <= total
    assert share == pytest.approx(improvement / total)
    phrases = con.execute(
        "SELECT phrase, negated FROM finding_proportions WHERE finding_id = ?",
        [reports[0].report_id[:16] + ":1.1:I4"]).fetchall()
    assert phrases == [("over half", True)]


def test_retag_rebuilds_from_stored_texts_with_an_edited_taxonomy(db, tmp_path):
    from flows.retag import retag_database as retag

    path, con, reports = db
    counts = con.execute("SELECT (SELECT count(*) FROM text_themes), "
                         "(SELECT count(*) FROM text_proportions), "
                         "(SELECT count(*) FROM text_acronyms)").fetchone()
    con.close()
    summary = retag(str(path))
    con = connect(path)
    again = con.execute("SELECT (SELECT count(*) FROM text_themes), "
                        "(SELECT count(*) FROM text_proportions), "
                        "(SELECT count(*) FROM text_acronyms)").fetchone()
    assert again == counts and summary.reports == len(reports)
    # from_glossary comes from the stored glossary table, not only the default file
    assert con.execute("SELECT bool_or(from_glossary) FROM text_acronyms").fetchone()[0]
    con.close()

    edited = tmp_path / "themes.yaml"
    edited.write_text(DEFAULT_THEMES.read_text(encoding="utf-8") +
                      "\n  - id: accommodation\n    label: Accommodation\n"
                      "    description: Where the child lives and the services that house them.\n"
                      "    phrases: [accommodation, living arrangement]\n", encoding="utf-8")
    retag(str(path), themes_path=str(edited))
    con = connect(path)
    assert con.execute("SELECT label FROM themes WHERE theme = 'accommodation'").fetchone()
    assert con.execute("SELECT count(*) FROM finding_themes WHERE theme = 'accommodation'"
                       ).fetchone()[0] > 0
    con.close()


@pytest.mark.slow
def test_retag_runs_as_a_prefect_flow(db):
    from flows.retag import retag

    path, con, reports = db
    con.close()
    summary = retag(str(path))
    assert summary.reports == len(reports) and summary.theme_matches > 0


def test_cli_retag_refuses_a_missing_database(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["retag", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no database at" in result.output
