"""The `findings` command line: help, misuse errors, and a real ingest + status in a subprocess
(the way a user runs it: console script, ephemeral Prefect, no tracebacks or log noise)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FINDINGS = Path(sys.executable).with_name("findings")

runner = CliRunner()


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "ingest" in result.output and "status" in result.output


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from flows.cli import app; "
        "heavy = {'prefect', 'duckdb', 'pdfplumber', 'spacy'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_missing_path_is_one_clear_line(tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nowhere"), "--db", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_unwritable_database_is_one_clear_line(tmp_path):
    db = tmp_path / "no-such-folder" / "findings.duckdb"
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(db)])
    assert result.exit_code == 2
    assert "cannot create database" in result.output
    assert "Traceback" not in result.output


def test_status_without_database(tmp_path):
    result = runner.invoke(app, ["status", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no database at" in result.output


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    db = folder / "findings.duckdb"
    not_a_pdf = folder / "agenda.pdf"
    not_a_pdf.write_text("Agenda for the meeting of the Management Board.\n")
    env = {**os.environ, "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300"}
    result = subprocess.run(
        [str(FINDINGS), "ingest", str(EXAMPLES), str(not_a_pdf), "--db", str(db), "--workers", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    return result, db


def test_ingest_examples_end_to_end(ingested):
    result, db = ingested
    assert result.returncode == 0, result.stderr
    assert "Rejected files" in result.stdout and "not_a_pdf" in result.stdout
    assert db.exists()


def test_clean_run_prints_no_tracebacks_or_log_noise(ingested):
    result, _ = ingested
    output = result.stdout + result.stderr
    for noise in ("Traceback", "ERROR", "WARNING", "Starting temporary server"):
        assert noise not in output, output


def test_status_reports_counts_and_rejections(ingested):
    result, db = ingested
    status = runner.invoke(app, ["status", "--db", str(db)])
    assert status.exit_code == 0, status.output
    assert "findings" in status.output and "reports" in status.output
    assert "agenda.pdf" in status.output and "not_a_pdf" in status.output
    assert "Last ingest" in status.output
