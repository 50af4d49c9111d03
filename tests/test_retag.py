"""`findings retag`: in this process unless a Prefect server is configured, the same rows
however many processes share the work, and the rule that picks the Prefect flow."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.commands.common import prefect_api_url
from flows.retag_work import retag_database, worker_pool
from load.db import connect
from load.report import load_report
from tests.conftest import data_path
from tests.gold_report import report_from_gold
from transform.nlp import annotate_report

FIRST_CCI = ("barking-and-dagenham-2010", "barnet-2011", "barnsley-2011",  # the first 7 by name
             "bath-and-north-east-somerset-2011", "bedford-2009", "bexley-2011", "birmingham-2011")
ANNOTATION_ROWS = {
    table: f"SELECT * FROM {table} ORDER BY ALL"
    for table in ("themes", "text_themes", "text_proportions", "text_acronyms")
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    """Eight gold reports loaded with their annotations the way ingest writes them."""
    paths = [data_path("reports/stoke-on-trent-2011.gold.json"),
             *(data_path(f"corpus/{name}.gold.json") for name in FIRST_CCI)]
    if not all(p.exists() for p in paths):
        pytest.skip("../shared gold reports not available")
    db = tmp_path_factory.mktemp("retag") / "findings.duckdb"
    con = connect(db)
    for path in paths:
        gold = json.loads(path.read_text(encoding="utf-8"))
        report = report_from_gold(gold, hashlib.sha256(path.name.encode()).hexdigest(),
                                  path.with_suffix(".pdf").name)
        load_report(con, report, annotate_report(report))
    con.close()
    return db


def rows(db: Path) -> dict[str, list[tuple]]:
    con = connect(db)
    try:
        return {table: con.execute(sql).fetchall() for table, sql in ANNOTATION_ROWS.items()}
    finally:
        con.close()


def stored_texts(db: Path) -> tuple[list[tuple], dict[str, dict[str, str]]]:
    con = connect(db)
    try:
        texts = con.execute("SELECT source, source_id, report_id, text FROM v_annotated_texts "
                            "ORDER BY report_id, source, source_id").fetchall()
        glossaries: dict[str, dict[str, str]] = {}
        for rid, term, definition in con.execute(
                "SELECT report_id, term, definition FROM glossary").fetchall():
            glossaries.setdefault(rid, {})[term] = definition or ""
    finally:
        con.close()
    return texts, glossaries


def test_retag_rewrites_exactly_the_rows_ingest_wrote(loaded, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(loaded, db)
    before = rows(db)
    summary = retag_database(str(db), workers=1)
    assert rows(db) == before
    assert summary.reports == 8 and summary.workers == 1
    assert summary.theme_matches == len(before["text_themes"]) > 1000
    assert summary.proportions == len(before["text_proportions"]) > 100
    assert summary.acronyms == len(before["text_acronyms"]) > 100


# Run in a fresh interpreter: this pytest process may hold threads of earlier tests (a Prefect
# server), and worker_pool then rightly declines to fork.
SHARES_SCRIPT = """
import sys
from tests.test_retag import stored_texts
from flows.retag_work import annotate_stored, worker_pool
texts, glossaries = stored_texts(sys.argv[1])
alone = annotate_stored(texts, glossaries, "", "", "")
with worker_pool(2) as pool:
    assert pool is not None, "no pool"
    shared = annotate_stored(texts, glossaries, "", "", "", pool, workers=2)
assert list(shared) == list(alone), "report order"
for report_id, ann in alone.items():
    other = shared[report_id]
    assert other.report_id == report_id
    assert (other.themes, other.proportions, other.acronyms) == (
        ann.themes, ann.proportions, ann.acronyms), report_id
print("same", len(alone))
"""


def test_shares_in_worker_processes_give_the_same_annotations(loaded):
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", SHARES_SCRIPT, str(loaded)], cwd=root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"same {1 + len(FIRST_CCI)}"  # Stoke + FIRST_CCI


def test_a_process_with_other_threads_does_not_fork():
    import threading

    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        with worker_pool(2) as pool:
            assert pool is None
    finally:
        stop.set()
        helper.join()


def test_cli_runs_in_process_without_importing_prefect(loaded, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(loaded, db)
    env = {k: v for k, v in os.environ.items()
           if k not in {"PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH"}}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")  # no profile points at a server
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flows.cli", "retag", "--db", str(db)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    output = " ".join(result.stdout.split())
    assert "in this process (no Prefect server configured" in output
    assert "Retagged" in output and "8 reports" in output
    imported = [line.split("|")[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")]
    assert "spacy" in imported  # the importtime list is real ...
    assert not [m for m in imported if m.split(".")[0] == "prefect"]  # ... and has no Prefect
    assert "Traceback" not in result.stderr


def test_prefect_server_is_found_in_the_environment_or_the_active_profile(
        tmp_path, monkeypatch):
    for name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    assert prefect_api_url() is None  # no profiles file

    (tmp_path / "profiles.toml").write_text(
        'active = "ephemeral"\n\n[profiles.ephemeral]\nPREFECT_SERVER_EPHEMERAL_ENABLED = "true"'
        '\n\n[profiles.server]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\n',
        encoding="utf-8")
    assert prefect_api_url() is None  # the active profile has no server
    monkeypatch.setenv("PREFECT_PROFILE", "server")
    assert prefect_api_url() == "http://127.0.0.1:4200/api"
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.example:4200/api")
    assert prefect_api_url() == "http://prefect.example:4200/api"  # the environment wins

    monkeypatch.delenv("PREFECT_API_URL")
    (tmp_path / "profiles.toml").write_text("active = [not toml", encoding="utf-8")
    assert prefect_api_url() is None  # a broken file is no server, not a crash


@pytest.mark.slow
def test_cli_prefect_option_runs_the_flow(loaded, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(loaded, db)
    before = rows(db)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "300"
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "retag", "--db", str(db), "--prefect"],
        capture_output=True, text=True, env=env, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "as Prefect flow run 'retag'" in " ".join(result.stdout.split())
    assert rows(db) == before
