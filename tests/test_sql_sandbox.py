"""`findings sql`, named queries and the other read commands cannot touch the file system.

Each way SQL can read or write a file, attach a database or fetch code is tried through the
CLI: every one is refused with one line on stderr (exit 2), and nothing appears on disk.
`findings export` still writes its files.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from flows.cli import app
from publish.outputs import PublishError
from publish.query import open_readonly, run

runner = CliRunner()


@pytest.fixture()
def outside(tmp_path):
    """A folder with a CSV, a text file and a parquet file the SQL must not reach."""
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    (tmp_path / "secret.txt").write_text("secret\n")
    import pandas as pd

    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "data.parquet")
    (tmp_path / "export").mkdir()
    return tmp_path


def attempts(d) -> dict[str, str]:
    return {
        "read_csv": f"SELECT * FROM read_csv('{d}/data.csv')",
        "replacement scan": f"SELECT * FROM '{d}/data.csv'",
        "read_text": "SELECT * FROM read_text('/etc/hostname')",
        "read_blob": f"SELECT * FROM read_blob('{d}/secret.txt')",
        "read_parquet": f"SELECT * FROM read_parquet('{d}/data.parquet')",
        "read_json": f"SELECT * FROM read_json('{d}/data.csv')",
        "glob": "SELECT * FROM glob('/etc/*')",
        "COPY TO": f"COPY (SELECT 1 AS x) TO '{d}/copied.csv'",
        "COPY FROM": f"COPY reports FROM '{d}/data.csv'",
        "EXPORT DATABASE": f"EXPORT DATABASE '{d}/export'",
        "IMPORT DATABASE": f"IMPORT DATABASE '{d}/export'",
        "ATTACH file": f"ATTACH '{d}/other.duckdb' AS other",
        "ATTACH memory": "ATTACH ':memory:' AS scratch",
        "INSTALL": "INSTALL fts",
        "LOAD": "LOAD fts",
        "re-enable": "SET enable_external_access = true",
        "second statement": f"SELECT 1; COPY (SELECT 1) TO '{d}/second.csv'",
    }


@pytest.mark.parametrize("name", list(attempts("/x")))
def test_cli_sql_refuses_file_access_with_one_line(db, outside, name):
    before = sorted(p.name for p in outside.rglob("*"))
    result = runner.invoke(app, ["sql", attempts(outside)[name], "--db", str(db)])
    assert result.exit_code == 2, (name, result.output)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: refused"), (name, result.stderr)
    assert "findings export" in lines[0]
    assert result.stdout == ""
    assert sorted(p.name for p in outside.rglob("*")) == before  # nothing written


def test_sandbox_holds_for_named_queries_and_allows_plain_sql(db, outside):
    con = open_readonly(db, sandboxed=True)
    try:
        with pytest.raises(PublishError, match="refused") as err:
            run(con, "SELECT * FROM read_text($p)", {"p": str(outside / "secret.txt")})
        assert err.value.exit_code == 2
        assert run(con, "SELECT count(*) AS n FROM reports").iloc[0, 0] == 20
        # JSON functions are built in, so the boxes columns stay usable
        assert run(con, "SELECT json_extract('{\"a\": 1}', '$.a') AS a").iloc[0, 0] == "1"
    finally:
        con.close()
    ok = runner.invoke(app, ["query", "reports_overview", "--db", str(db), "-f", "csv"])
    assert ok.exit_code == 0, ok.output


def test_export_still_writes_files(db, tmp_path):
    out = tmp_path / "themes.csv"
    result = runner.invoke(app, ["export", "themes", "--out", str(out), "--theme", "victims",
                                 "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    # and a plain read-only connection (export, chart, report, trace) keeps file access
    con = open_readonly(db)
    try:
        assert run(con, "SELECT count(*) FROM read_csv($p)", {"p": str(out)}).iloc[0, 0] > 0
    finally:
        con.close()
