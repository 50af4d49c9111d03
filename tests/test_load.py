"""The loader on its own: a Report built from gold JSON goes into DuckDB, all of it or none."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from load import report as load_module
from load.db import SCHEMA_VERSION, connect
from load.report import load_report
from tests.conftest import data_path
from tests.gold_report import report_from_gold

DOCS = Path(__file__).resolve().parents[1] / "docs" / "schema.md"
SQL = Path(__file__).resolve().parents[1] / "sql"

SHA_A = "a" * 64
SHA_B = "b" * 64
SHA_C = "c" * 64

CORE_TABLES = (
    "reports",
    "headline_scores",
    "section_scores",
    "criterion_scores",
    "findings",
    "recommendations",
    "good_practice",
    "service_user_feedback",
    "area_context",
    "glossary",
)


@pytest.fixture()
def con(tmp_path):
    connection = connect(tmp_path / "test.duckdb")
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def stoke_gold(stoke_gold_path) -> dict:
    return json.loads(stoke_gold_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def other_gold() -> dict:
    return json.loads(data_path("corpus/barnet-2011.gold.json").read_text("utf-8"))


def count(con, table: str, report_id: str | None = None) -> int:
    if report_id is None:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return con.execute(f"SELECT count(*) FROM {table} WHERE report_id = ?", [report_id]).fetchone()[
        0
    ]


def all_counts(con) -> dict[str, int]:
    return {t: count(con, t) for t in (*CORE_TABLES, "report_files", "report_replacements")}


def test_report_rows_match_gold(con, stoke_gold):
    report = report_from_gold(stoke_gold, SHA_A, "/data/stoke-on-trent-2011.pdf")
    outcome = load_report(con, report)

    assert outcome.status == "loaded"
    findings = sum(len(c["strengths"]) + len(c["improvements"]) for c in stoke_gold["criteria"])
    points = len(stoke_gold["service_users"]["children_and_young_people"]["points"])
    assert count(con, "findings", SHA_A) == findings
    assert count(con, "criterion_scores", SHA_A) == len(stoke_gold["criteria"])
    assert count(con, "recommendations", SHA_A) == len(stoke_gold["recommendations"])
    assert count(con, "good_practice", SHA_A) == len(stoke_gold["good_practice"])
    assert count(con, "glossary", SHA_A) == len(stoke_gold["glossary"])
    assert count(con, "service_user_feedback", SHA_A) == points + 1  # victims: one empty row

    row = con.execute(
        "SELECT area, year, isbn, published_month, fieldwork_month, file_name, template"
        " FROM reports WHERE report_id = ?",
        [SHA_A],
    ).fetchone()
    assert row[:3] == ("Stoke on Trent", 2011, "978-1-84099-420-9")
    assert (row[3].isoformat(), row[4].isoformat()) == ("2011-03-01", "2010-11-01")
    assert row[5:] == ("stoke-on-trent-2011.pdf", "cci-2009")

    rosh = con.execute(
        "SELECT score, improvement, national_average FROM headline_scores"
        " WHERE report_id = ? AND domain = 'risk_of_harm'",
        [SHA_A],
    ).fetchone()
    assert rosh == (58, "substantial", 62)

    text, finding_id = con.execute(
        "SELECT text, finding_id FROM findings WHERE report_id = ?"
        " AND criterion = '1.1' AND kind = 'improvement' AND seq = 4",
        [SHA_A],
    ).fetchone()
    assert text.startswith("Management oversight of the RMP")
    assert finding_id == f"{SHA_A[:16]}:1.1:I4"

    victims = con.execute(
        "SELECT respondents, seq, text FROM service_user_feedback"
        " WHERE report_id = ? AND respondent_group = 'victims'",
        [SHA_A],
    ).fetchall()
    assert victims == [(0, None, None)]

    context = con.execute(
        "SELECT region, population, pct_bme, yjb_judgement FROM area_context WHERE report_id = ?",
        [SHA_A],
    ).fetchone()
    assert context == ("West Midlands", 240636, 5.2, "performing adequately")
    assert con.execute("SELECT path FROM report_files WHERE sha256 = ?", [SHA_A]).fetchall() == [
        ("/data/stoke-on-trent-2011.pdf",)
    ]


def test_same_bytes_again_changes_nothing_but_records_the_new_name(con, stoke_gold):
    load_report(con, report_from_gold(stoke_gold, SHA_A, "/data/stoke.pdf"))
    before = all_counts(con)
    ingested_at = con.execute("SELECT ingested_at FROM reports").fetchone()

    again = load_report(con, report_from_gold(stoke_gold, SHA_A, "/data/stoke.pdf"))
    assert again.status == "skipped"
    assert all_counts(con) == before

    renamed = load_report(con, report_from_gold(stoke_gold, SHA_A, "/downloads/copy.pdf"))
    assert renamed.status == "skipped"
    after = all_counts(con)
    assert after["report_files"] == before["report_files"] + 1
    assert {k: v for k, v in after.items() if k != "report_files"} == {
        k: v for k, v in before.items() if k != "report_files"
    }
    assert con.execute("SELECT ingested_at FROM reports").fetchone() == ingested_at


def test_same_isbn_with_other_bytes_replaces_the_old_report(con, stoke_gold):
    load_report(con, report_from_gold(stoke_gold, SHA_A, "/data/stoke-v1.pdf"))
    single = {t: count(con, t) for t in CORE_TABLES}

    outcome = load_report(con, report_from_gold(stoke_gold, SHA_B, "/data/stoke-v2.pdf"))

    assert outcome.status == "replaced"
    assert outcome.replaced == [SHA_A]
    for table in CORE_TABLES:
        assert count(con, table, SHA_A) == 0, table
    assert {t: count(con, t) for t in CORE_TABLES} == single
    assert con.execute(
        "SELECT old_report_id, new_report_id, isbn, old_path, new_path FROM report_replacements"
    ).fetchall() == [
        (SHA_A, SHA_B, "978-1-84099-420-9", "/data/stoke-v1.pdf", "/data/stoke-v2.pdf")
    ]


def test_another_report_loads_alongside(con, stoke_gold, other_gold):
    other = other_gold
    load_report(con, report_from_gold(stoke_gold, SHA_A, "/data/stoke.pdf"))
    outcome = load_report(con, report_from_gold(other, SHA_C, "/data/barnet-2011.pdf"))
    assert outcome.status == "loaded"
    assert count(con, "reports") == 2
    assert con.execute("SELECT area FROM reports WHERE report_id = ?", [SHA_C]).fetchone() == (
        other["area"],
    )


def test_failure_mid_load_leaves_no_rows(con, stoke_gold, monkeypatch):
    real_insert = load_module.insert_rows

    def insert_then_fail(connection, table, rows):
        if table == "findings":
            raise RuntimeError("disk full (simulated)")
        real_insert(connection, table, rows)

    monkeypatch.setattr(load_module, "insert_rows", insert_then_fail)
    with pytest.raises(RuntimeError, match="simulated"):
        load_report(con, report_from_gold(stoke_gold, SHA_A, "/data/stoke.pdf"))

    assert all(n == 0 for n in all_counts(con).values()), all_counts(con)


def test_failed_replacement_keeps_the_old_report(con, stoke_gold, monkeypatch):
    load_report(con, report_from_gold(stoke_gold, SHA_A, "/data/stoke-v1.pdf"))
    before = all_counts(con)

    def fail(connection, table, rows):
        raise RuntimeError("crash (simulated)")

    monkeypatch.setattr(load_module, "insert_rows", fail)
    with pytest.raises(RuntimeError):
        load_report(con, report_from_gold(stoke_gold, SHA_B, "/data/stoke-v2.pdf"))

    assert all_counts(con) == before
    assert count(con, "findings", SHA_A) > 0


def test_values_outside_the_schema_are_refused_whole(con, stoke_gold):
    report = report_from_gold(stoke_gold, SHA_A, "/data/stoke.pdf")
    report.criteria[-1].improvement = "MODERATE"  # not a stored level: CHECK constraint
    with pytest.raises(duckdb.ConstraintException):
        load_report(con, report)
    assert all(n == 0 for n in all_counts(con).values())


def test_schema_is_versioned_and_reapplied_safely(tmp_path, stoke_gold):
    path = tmp_path / "again.duckdb"
    first = connect(path)
    load_report(first, report_from_gold(stoke_gold, SHA_A, "/data/stoke.pdf"))
    first.close()
    second = connect(path)
    assert second.execute(
        "SELECT value FROM schema_info WHERE key = 'schema_version'"
    ).fetchone() == (SCHEMA_VERSION,)
    assert count(second, "reports") == 1
    second.close()


def test_views_join_findings_with_scores(con, stoke_gold):
    load_report(con, report_from_gold(stoke_gold, SHA_A, "/data/stoke.pdf"))
    rows = con.execute(
        "SELECT area, criterion_title, section_title, risk_of_harm_score,"
        " risk_of_harm_national_average FROM v_findings WHERE finding_id = ?",
        [f"{SHA_A[:16]}:1.1:I4"],
    ).fetchall()
    assert rows == [
        (
            "Stoke on Trent",
            "Risk of Harm to others (RoH)",
            "Assessment and Sentence Planning",
            58,
            62,
        )
    ]
    assert count(con, "v_findings") == count(con, "findings")

    summary = con.execute(
        "SELECT area, safeguarding_score, section_2_score, strengths, improvements,"
        " recommendations FROM v_report_summary"
    ).fetchall()
    strengths = sum(len(c["strengths"]) for c in stoke_gold["criteria"])
    improvements = sum(len(c["improvements"]) for c in stoke_gold["criteria"])
    assert summary == [("Stoke on Trent", 64, 70, strengths, improvements, 9)]

    query = (SQL / "queries" / "oversight_vs_risk_of_harm.sql").read_text(encoding="utf-8")
    mentions = sum(
        "management oversight" in f["text"].lower()
        for c in stoke_gold["criteria"]
        for f in c["improvements"]
    )
    assert mentions > 0
    assert con.execute(query).fetchall() == [("Stoke on Trent", 2011, mentions, 58, 62, -4)]


def test_every_core_table_and_column_is_documented(con):
    """docs/schema.md must name every table, view and column of schema.sql and views.sql."""
    doc = DOCS.read_text(encoding="utf-8")
    names = set(re.findall(r"CREATE (?:TABLE IF NOT EXISTS|OR REPLACE VIEW) (\w+)", _core_sql()))
    assert names
    missing = []
    for table in sorted(names):
        section = re.search(rf"^### `{table}`\n(.*?)(?=^### |\Z)", doc, re.S | re.M)
        if not section:
            missing.append(table)
            continue
        columns = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
        missing += [f"{table}.{c}" for c in columns if f"`{c}`" not in section.group(1)]
    assert not missing, f"undocumented in docs/schema.md: {missing}"


def _core_sql() -> str:
    return (SQL / "schema.sql").read_text() + (SQL / "views.sql").read_text()


def test_boxes_are_stored_with_every_field_of_a_box():
    from dataclasses import asdict

    from load.rows import boxes_json
    from transform.model import Box

    boxes = [Box(3, 56.7, 100.25, 538.6, 112.0), Box(4, 1.0, 2.0, 3.0, 4.0)]
    assert json.loads(boxes_json(boxes)) == [asdict(b) for b in boxes]
    assert boxes_json([]) is None
