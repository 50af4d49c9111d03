"""Named queries and ad-hoc SQL, on a database of 20 corpus reports loaded from their gold JSON:
the numbers the queries print are checked against the gold files, not against the SQL itself."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from flows.cli import app
from publish.outputs import PublishError
from publish.query import (
    list_queries,
    named_query,
    open_readonly,
    parse_named_query,
    parse_params,
    run,
    run_named,
)
from tests.publish_data import gold_reports

REQUIRED = {
    "theme_improvement_areas",
    "theme_prevalence_by_year_region",
    "theme_strengths_vs_improvements",
    "theme_low_proportions",
    "reports_side_by_side",
}
runner = CliRunner()


@pytest.fixture(scope="module")
def golds():
    return {(g["area"], g["year"]): g for g in gold_reports()}


def test_header_gives_summary_typed_params_defaults_and_pivot():
    text = (
        "-- Reports compared\n-- side by side.\n"
        "-- @param areas VARCHAR = : comma-separated names\n"
        "-- @param year INTEGER = 0: only this year\n"
        "-- @param theme VARCHAR: required theme id\n"
        "-- @pivot report value\nSELECT 1"
    )
    query = parse_named_query("q", text)
    assert query.summary == "Reports compared side by side."
    assert [(p.name, p.type, p.default) for p in query.params] == [
        ("areas", "VARCHAR", ""), ("year", "INTEGER", "0"), ("theme", "VARCHAR", None)
    ]
    assert query.pivot == ("report", "value")
    assert query.bind({"theme": "victims", "year": "2011"}) == {
        "areas": "", "year": 2011, "theme": "victims"
    }
    with pytest.raises(PublishError, match="needs --param theme"):
        query.bind({})
    with pytest.raises(PublishError, match="must be INTEGER"):
        query.bind({"theme": "x", "year": "last"})
    with pytest.raises(PublishError, match="no parameter 'colour'"):
        query.bind({"theme": "x", "colour": "red"})


def test_every_named_query_says_what_it_answers_and_runs(con):
    queries = {q.name: q for q in list_queries()}
    assert set(queries) >= REQUIRED
    for query in queries.values():
        assert len(query.summary) > 30, f"{query.name} needs a header saying what it answers"
        given = {p.name: "x" for p in query.params if p.default is None}
        if "report_id" in given:
            given["report_id"] = con.execute("SELECT min(report_id) FROM reports").fetchone()[0]
        run_named(con, query.name, given)  # raises on any SQL error


def test_params_are_bound_not_pasted(con):
    rows = run_named(con, "theme_improvement_areas", {"theme": "victims' OR '1'='1"})
    assert rows.empty
    assert not run_named(con, "theme_improvement_areas", {"theme": "victims"}).empty


def test_parse_params_needs_key_value():
    assert parse_params(["theme=a=b", "below=0.5"]) == {"theme": "a=b", "below": "0.5"}
    with pytest.raises(PublishError, match="key=value"):
        parse_params(["theme"])


def test_unknown_query_lists_known_ones():
    with pytest.raises(PublishError, match="theme_summary"):
        named_query("no_such_query")
    with pytest.raises(PublishError):
        named_query("../schema")


def test_improvement_areas_carry_the_reports_own_scores_and_national_average(con, golds):
    rows = run_named(con, "theme_improvement_areas", {"theme": "management_oversight"})
    assert len(rows) >= 10
    for _, row in rows.iterrows():
        gold = golds[(row["area"], row["year"])]
        head = {h["domain"]: h for h in gold["headline"]}
        crit = {c["code"]: c for c in gold["criteria"]}[row["criterion"]]
        assert row["criterion_score"] == crit["score"]
        assert row["criterion_improvement"] == crit["comment"].lower()
        assert row["risk_of_harm"] == head["risk_of_harm"]["score"]
        assert row["risk_of_harm_vs_national"] == (
            head["risk_of_harm"]["score"] - head["risk_of_harm"]["average"]
        )
        assert row["safeguarding_vs_national"] == (
            head["safeguarding"]["score"] - head["safeguarding"]["average"]
        )
        assert row["region"] == gold["context"]["region"]
        # at least one of the gold's improvements under that criterion names oversight
        texts = " ".join(i["text"].lower() for i in crit.get("improvements", []))
        assert any(w in texts for w in ("oversight", "manage", "countersign", "supervis",
                                        "quality assur", "sign"))


def test_prevalence_groups_count_every_report_once(con, golds):
    rows = run_named(con, "theme_prevalence_by_year_region", {"theme": "victims"})
    expected: dict[tuple, int] = {}
    for gold in golds.values():
        key = (gold["year"], gold["context"]["region"])
        expected[key] = expected.get(key, 0) + 1
    got = {(r["year"], r["region"]): r["reports"] for _, r in rows.iterrows()}
    assert got == expected
    assert (rows["reports_with_theme"] <= rows["reports"]).all()
    assert rows["share"].between(0, 1).all()
    with pytest.raises(PublishError, match="kind must be strength or improvement"):
        run_named(con, "theme_prevalence_by_year_region", {"kind": "weakness"})


def test_low_proportions_are_below_the_bound_and_quote_the_gold_text(con, golds):
    rows = run_named(con, "theme_low_proportions", {"theme": "timeliness", "below": "0.5"})
    assert not rows.empty
    assert (rows["share_high"] < 0.5).all()
    for _, row in rows.head(30).iterrows():
        assert row["phrase"] in row["text"]
        gold = golds[(row["area"], row["year"])]
        crit = {c["code"]: c for c in gold["criteria"]}[row["criterion"]]
        key = "strengths" if row["kind"] == "strength" else "improvements"
        assert row["text"] in {f["text"] for f in crit[key]}
    tighter = run_named(con, "theme_low_proportions", {"theme": "timeliness", "below": "0.34"})
    assert len(tighter) < len(rows)


def test_side_by_side_has_one_column_per_report_with_gold_values(con, golds):
    wide = run_named(con, "reports_side_by_side", {"areas": "Kent, powys"})
    assert list(wide.columns) == ["measure", "Kent 2010", "Powys 2010"]
    by_measure = wide.set_index("measure")
    for column, key in (("Kent 2010", ("Kent", 2010)), ("Powys 2010", ("Powys", 2010))):
        gold = golds[key]
        head = {h["domain"]: h for h in gold["headline"]}
        assert by_measure.loc["Risk of Harm score", column] == str(head["risk_of_harm"]["score"])
        assert by_measure.loc["Safeguarding national average", column] == str(
            head["safeguarding"]["average"])
        crit = {c["code"]: c for c in gold["criteria"]}["2.1"]
        assert by_measure.loc["Criterion 2.1 score", column] == (
            f"{crit['score']} ({crit['comment'].lower()})")
        strengths = sum(len(c.get("strengths", [])) for c in gold["criteria"])
        assert by_measure.loc["Strengths", column] == str(strengths)
    assert list(wide["measure"][:3]) == [
        "Safeguarding score", "Risk of Harm score", "Likelihood of Reoffending score"]


def test_strengths_vs_improvements_adds_up(con):
    rows = run_named(con, "theme_strengths_vs_improvements")
    direct = run(con, "SELECT count(DISTINCT finding_id) FROM finding_themes").iloc[0, 0]
    # a finding about two themes counts once for each theme
    assert (rows["strengths"] + rows["improvements"]).sum() >= direct
    assert rows["strength_share"].dropna().between(0, 1).all()


def test_sql_errors_are_one_line_and_connection_is_read_only(con, db, tmp_path):
    with pytest.raises(PublishError) as err:
        run(con, "SELEC 1")
    assert "\n" not in str(err.value) and "syntax error" in str(err.value)
    with pytest.raises(PublishError, match="read-only"):
        run(con, "DELETE FROM reports")
    assert run(con, "SELECT count(*) AS n FROM reports").iloc[0, 0] == 20
    with pytest.raises(PublishError, match="no SQL given"):
        run(con, "  ")
    with pytest.raises(PublishError, match="no database"):
        open_readonly(tmp_path / "missing.duckdb")


def test_cli_sql_formats_and_errors(db):
    result = runner.invoke(app, ["sql", "SELECT area, year FROM reports ORDER BY area",
                                 "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 20 and rows[0] == {"area": "Barking and Dagenham", "year": 2010}
    csv = runner.invoke(app, ["sql", "SELECT area FROM reports ORDER BY area LIMIT 2",
                              "--db", str(db), "-f", "csv"])
    assert csv.stdout.splitlines() == ["area", "Barking and Dagenham", "Blackpool"]
    md = runner.invoke(app, ["sql", "SELECT 1 AS a, 'x|y' AS b", "--db", str(db),
                             "-f", "markdown"])
    assert md.stdout.splitlines() == ["| a | b |", "|---|---|", "| 1 | x\\|y |"]
    table = runner.invoke(app, ["sql", "SELECT '[bold]x[/bold] [sic]' AS t", "--db", str(db)])
    assert "[bold]x[/bold] [sic]" in table.stdout  # data is never read as rich markup
    bad = runner.invoke(app, ["sql", "SELECT * FROM nowhere", "--db", str(db)])
    assert bad.exit_code == 1
    assert "Traceback" not in bad.output
    assert "nowhere" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_cli_query_list_and_run(db):
    listed = runner.invoke(app, ["query", "--list"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0
    for name in REQUIRED:
        assert name in listed.stdout
    result = runner.invoke(app, ["query", "theme_improvement_areas", "--param",
                                 "theme=victims", "--db", str(db), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("area,year,region,criterion")
    bad = runner.invoke(app, ["query", "theme_improvement_areas", "-p", "colour=red",
                              "--db", str(db)])
    assert bad.exit_code == 2 and "no parameter 'colour'" in bad.stderr  # misuse


def test_cli_themes_table(db):
    result = runner.invoke(app, ["themes", "--db", str(db), "--kind", "improvement",
                                 "--theme", "victims", "--theme", "diversity"],
                           env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "victims" in result.stdout and "diversity" in result.stdout
    assert "timeliness" not in result.stdout
    assert "across 20 reports" in result.stdout
    bad = runner.invoke(app, ["themes", "--db", str(db), "--theme", "weather"])
    assert bad.exit_code == 2 and "unknown theme 'weather'" in bad.stderr


def test_cli_sql_reports_a_database_another_process_writes(db, tmp_path):
    import subprocess
    import sys

    copy = tmp_path / "locked.duckdb"
    shutil.copy(db, copy)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
         " time.sleep(60)", str(copy)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = runner.invoke(app, ["sql", "SELECT 1", "--db", str(copy)],
                               env={"FINDINGS_READ_TIMEOUT": "1"})
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "busy" in result.stderr and "another proc" in result.stderr
