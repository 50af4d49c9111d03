"""Reliability: hostile and broken inputs, killed and concurrent runs, upgrades, data quality.

Every bad file is generated here (tests/bad_pdfs.py) in tmp_path; the good file of mixed
batches is examples/stoke-on-trent-2011.pdf. End-to-end cases run the `findings` CLI in
subprocesses, the way a user does. docs/reliability.md maps each case to its test.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.commands.common import quiet_prefect

quiet_prefect()  # before anything imports Prefect

from flows.discover import sha256_file  # noqa: E402
from flows.isolate import TIMEOUT  # noqa: E402
from flows.work import Rejected, process_file  # noqa: E402
from load.db import SCHEMA_VERSION, DatabaseBusy, DatabaseError, connect  # noqa: E402
from load.migrate import migrations, stored_version  # noqa: E402
from load.report import load_report  # noqa: E402
from tests import bad_pdfs  # noqa: E402
from transform.model import (  # noqa: E402
    Criterion,
    Finding,
    HeadlineScore,
    Recommendation,
    Report,
    Section,
    SourceFile,
)
from transform.quality import CCI_CRITERIA, check_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GOOD = bad_pdfs.GOOD_PDF
ENV = {
    **os.environ,
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
    "COLUMNS": "250",  # rich tables wide enough to show reasons whole
}


def cli(*args: str, env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run `findings ARGS` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True, text=True, env=env or ENV, timeout=timeout, cwd=ROOT,
    )


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = connect(db, read_only=True, lock_timeout=60)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def orphan_rows(db: Path) -> dict[str, int]:
    """Rows of per-report tables whose report is not in `reports`: a partial report."""
    con = connect(db, read_only=True, lock_timeout=60)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'report_id'"
            " AND table_name IN (SELECT table_name FROM information_schema.tables"
            " WHERE table_type = 'BASE TABLE')"
        ).fetchall() if t != "reports"]
        counts = {
            t: con.execute(
                f"SELECT count(*) FROM {t} WHERE report_id NOT IN (SELECT report_id FROM reports)"
            ).fetchone()[0]
            for t in tables
        }
    finally:
        con.close()
    return {t: n for t, n in counts.items() if n}


# ============================================================================ one bad file each
BAD_FILES = [
    # (generator, expected reason, words the detail must contain)
    (bad_pdfs.empty_file, "empty_file", "empty"),
    (bad_pdfs.text_as_pdf, "not_a_pdf", "not a PDF"),
    (bad_pdfs.html_as_pdf, "not_a_pdf", "not a PDF"),
    (bad_pdfs.truncated_pdf, "corrupt_pdf", "truncated"),
    (bad_pdfs.corrupt_pdf, "corrupt_pdf", "damaged"),
    (bad_pdfs.encrypted_pdf, "encrypted", "password"),
    (bad_pdfs.scanned_pdf, "no_text_layer", "OCR"),
    (bad_pdfs.undecodable_pdf, "no_usable_text", "cannot be decoded"),
    (bad_pdfs.not_a_report_pdf, "not_an_inspection_report", "not an inspection report"),
]


@pytest.mark.parametrize(("make", "reason", "words"), BAD_FILES, ids=[b[1] + ":" + b[0].__name__
                                                                       for b in BAD_FILES])
def test_bad_file_is_rejected_with_its_reason(tmp_path, make, reason, words):
    path = make(tmp_path / "bad.pdf")
    result = process_file(str(path), sha256_file(path), max_pages=500, time_limit=120)
    assert isinstance(result, Rejected)
    assert result.reason == reason
    assert words.lower() in result.detail.lower()


def test_real_pdfs_that_are_not_cci_reports_are_rejected():
    for path in sorted(bad_pdfs.REALWORLD.glob("*.pdf")):
        result = process_file(str(path), sha256_file(path), max_pages=500, time_limit=300)
        assert isinstance(result, Rejected), path.name
        assert result.reason == "not_an_inspection_report", (path.name, result)


def test_page_limit_rejects_long_files_and_is_configurable(tmp_path):
    path = bad_pdfs.many_pages_pdf(tmp_path / "long.pdf", pages=12)
    sha = sha256_file(path)
    limited = process_file(str(path), sha, max_pages=10, time_limit=120)
    assert isinstance(limited, Rejected) and limited.reason == "too_many_pages"
    assert "12 pages" in limited.detail and "10" in limited.detail
    unlimited = process_file(str(path), sha, max_pages=20, time_limit=120)
    # read in full, then judged on its content
    assert unlimited.reason == "not_an_inspection_report"


def test_pathological_page_is_stopped_at_the_time_limit_and_its_process_killed(tmp_path):
    from flows import isolate

    isolate.close_idle_readers()  # so the file below gets a reader of its own
    path = bad_pdfs.pathological_page_pdf(tmp_path / "endless.pdf")
    result = process_file(str(path), sha256_file(path), max_pages=500, time_limit=2)
    assert isinstance(result, Rejected)
    assert result.reason == TIMEOUT
    assert "2 s" in result.detail
    assert not isolate.idle_readers()  # the reader that overran is not kept for the next file
    assert not [p for p in multiprocessing.active_children() if p.name == "findings-read"]


def test_a_reader_process_reads_file_after_file_with_a_time_limit_for_each(tmp_path):
    import psutil

    from flows import isolate

    good = bad_pdfs.copy_of(tmp_path / "stoke.pdf")
    endless = bad_pdfs.pathological_page_pdf(tmp_path / "endless.pdf")
    reader = isolate.ReaderProcess()
    try:
        job = (str(good), sha256_file(good), 500, 60, None)
        child = psutil.Process(reader.process.pid)
        for _ in range(20):  # until the child has used more than a second of CPU
            (kind, report), retire = reader.read(job, 600)
            assert kind == "ok" and report.area and not retire
            if sum(child.cpu_times()[:2]) > 1.5:
                break
        # the 1 s limit counts from what the child has used so far, not from its start
        (kind, report), _ = reader.read((*job[:3], 1, None), 600)
        assert kind == "ok"
        with pytest.raises(isolate.FileTimeout) as stopped:
            reader.read((str(endless), "x" * 64, None, 2, None), 600)
        assert stopped.value.reason == TIMEOUT
    finally:
        reader.close()


# ============================================================================ a mixed batch
@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One `findings ingest` over every kind of bad file plus the good report twice (two names)
    and a CCI report whose foreword disagrees with its scoring table. Limits come from a CLI
    option (time) and the environment (pages)."""
    inbox = tmp_path_factory.mktemp("inbox")
    files = {
        "good": bad_pdfs.copy_of(inbox / "stoke.pdf"),
        "good_copy": bad_pdfs.copy_of(inbox / "downloads" / "Stoke (1).pdf"),
        "empty_file": bad_pdfs.empty_file(inbox / "empty.pdf"),
        "not_a_pdf": bad_pdfs.text_as_pdf(inbox / "notes.pdf"),
        "html": bad_pdfs.html_as_pdf(inbox / "error-page.pdf"),
        "truncated": bad_pdfs.truncated_pdf(inbox / "truncated.pdf"),
        "corrupt_pdf": bad_pdfs.corrupt_pdf(inbox / "corrupt.pdf"),
        "encrypted": bad_pdfs.encrypted_pdf(inbox / "locked.pdf"),
        "no_text_layer": bad_pdfs.scanned_pdf(inbox / "scan.pdf"),
        "too_many_pages": bad_pdfs.many_pages_pdf(inbox / "huge.pdf", pages=150),
        "timeout": bad_pdfs.pathological_page_pdf(inbox / "endless.pdf"),
        "not_an_inspection_report": bad_pdfs.not_a_report_pdf(inbox / "agenda.pdf"),
        "inconsistent": bad_pdfs.inconsistent_report_pdf(inbox / "testborough.pdf"),
        # a report of the 2018+ framework beside the CCI ones, in the same batch
        "yjs": bad_pdfs.copy_of(inbox / "2021" / "brent.pdf", source=bad_pdfs.YJS_EXAMPLE),
    }
    # real downloads that are not inspection reports (when ../shared is available)
    for real in sorted(bad_pdfs.REALWORLD.glob("*.pdf")):
        files[f"real:{real.name}"] = bad_pdfs.copy_of(inbox / "downloads" / real.name, real)
    db = tmp_path_factory.mktemp("db") / "findings.duckdb"
    env = {**ENV, "FINDINGS_MAX_PAGES": "100"}
    result = cli("ingest", str(inbox), "--db", str(db), "--workers", "2", "--time-limit", "30",
                 env=env)
    status = cli("status", "--db", str(db))
    return result, status, db, files


EXPECTED_REASONS = {
    "empty_file": "empty_file",
    "not_a_pdf": "not_a_pdf",
    "html": "not_a_pdf",
    "truncated": "corrupt_pdf",
    "corrupt_pdf": "corrupt_pdf",
    "encrypted": "encrypted",
    "no_text_layer": "no_text_layer",
    "too_many_pages": "too_many_pages",
    "timeout": "timeout",
    "not_an_inspection_report": "not_an_inspection_report",
}


def test_batch_completes_and_cli_summary_names_each_reason(batch):
    result, _, _, _ = batch
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for reason in set(EXPECTED_REASONS.values()):
        assert reason in result.stdout, reason
    assert "OCR" in result.stdout  # the scan's reason says what would be needed


def test_each_bad_file_has_its_specific_reason_in_rejected_files(batch):
    _, _, db, files = batch
    got = dict(rows(db, "SELECT path, reason FROM rejected_files"))
    expected = dict(EXPECTED_REASONS)
    expected.update({key: "not_an_inspection_report" for key in files if key.startswith("real:")})
    for key, reason in expected.items():
        assert got.get(str(files[key].resolve())) == reason, key
    assert len(got) == len(expected)  # nothing else was rejected


def test_real_downloads_are_rejected_naming_the_families_checked(batch):
    _, _, db, files = batch
    real = [str(path.resolve()) for key, path in files.items() if key.startswith("real:")]
    if not real:
        pytest.skip("../shared/realworld is not available")
    details = dict(rows(db, "SELECT path, detail FROM rejected_files"))
    for path in real:
        assert "Core Case Inspection" in details[path] and "2018+" in details[path], path


def test_both_families_load_in_one_batch_and_pass_their_checks(batch):
    _, _, db, files = batch
    sha = sha256_file(files["yjs"])
    assert rows(db, "SELECT template, area, rating_score FROM reports WHERE report_id = ?",
                [sha]) == [("yjs-2018", "Brent", 23)]
    templates = dict(rows(db, "SELECT template, count(*) FROM reports GROUP BY template"))
    assert templates == {"cci-2009": 2, "yjs-2018": 1}
    assert rows(db, "SELECT count(*) FROM standard_ratings WHERE report_id = ?", [sha]) == [(13,)]
    failed = rows(db, "SELECT check_name, detail FROM data_quality"
                      " WHERE report_id = ? AND NOT passed", [sha])
    assert failed == []


def test_limits_come_from_cli_option_and_environment(batch):
    _, _, db, files = batch
    details = dict(rows(db, "SELECT path, detail FROM rejected_files"))
    assert "limit 100" in details[str(files["too_many_pages"].resolve())]  # FINDINGS_MAX_PAGES
    assert "30 s" in details[str(files["timeout"].resolve())]  # --time-limit 30


def test_same_bytes_under_two_names_load_once_with_both_paths(batch):
    _, _, db, files = batch
    sha = sha256_file(GOOD)
    assert rows(db, "SELECT count(*) FROM reports WHERE report_id = ?", [sha]) == [(1,)]
    paths = {p for (p,) in rows(db, "SELECT path FROM report_files WHERE sha256 = ?", [sha])}
    assert paths == {str(files["good"].resolve()), str(files["good_copy"].resolve())}


def test_good_report_passes_every_quality_check(batch):
    _, _, db, _ = batch
    checks = rows(db, "SELECT check_name, passed, detail FROM data_quality WHERE report_id = ?",
                  [sha256_file(GOOD)])
    assert {name for name, _, _ in checks} >= {
        "foreword_matches_scoring", "criteria_complete", "findings_numbered",
        "recommendations_numbered", "section_scores", "headline_scores", "text_coverage",
    }
    assert [c for c in checks if not c[1]] == []


def test_inconsistent_report_is_loaded_flagged_not_silently(batch):
    _, _, db, files = batch
    sha = sha256_file(files["inconsistent"])
    assert rows(db, "SELECT area FROM reports WHERE report_id = ?", [sha]) == [("Testborough",)]
    failed = rows(db, "SELECT check_name, detail FROM data_quality"
                      " WHERE report_id = ? AND NOT passed", [sha])
    names = {name for name, _ in failed}
    assert "foreword_matches_scoring" in names
    detail = dict(failed)["foreword_matches_scoring"]
    assert "foreword 46%" in detail and "scoring table 64%" in detail
    assert rows(db, "SELECT count(*) FROM criterion_scores WHERE report_id = ?", [sha]) == [(8,)]


def test_status_shows_rejections_and_flagged_reports(batch):
    _, status, _, _ = batch
    assert status.returncode == 0, status.stderr
    assert "testborough.pdf" in status.stdout and "foreword_matches_scoring" in status.stdout
    assert "timeout" in status.stdout and "encrypted" in status.stdout
    assert "2 cci-2009 (2011–2011); 1 yjs-2018 (2021–2021)" in status.stdout  # both families


# ============================================================================ killed mid-load
KILL_HARNESS = """
import sys, time
from flows.commands.common import quiet_prefect
quiet_prefect()
import load.report
real = load.report.record_quality  # the loader's own step, kept

def pause_inside_transaction(con, report, now):
    real(con, report, now)  # the report's rows are written but not committed
    print("IN_TRANSACTION", flush=True)
    time.sleep(3600)

if __name__ == "__main__":  # worker processes import this file again: they must not run it
    load.report.record_quality = pause_inside_transaction
    from flows.ingest import ingest_reports
    ingest_reports(sys.argv[2:], db_path=sys.argv[1], workers=1)
"""


def _kill_tree(pid: int) -> None:
    """SIGKILL a process we started in its own session, and all it started (worker pool,
    forkserver, Prefect's temporary server): its whole process group."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def test_sigkill_during_load_leaves_no_partial_report_and_rerun_completes(tmp_path):
    inbox = tmp_path / "inbox"
    good = bad_pdfs.copy_of(inbox / "stoke.pdf")
    bad_pdfs.text_as_pdf(inbox / "notes.pdf")
    db = tmp_path / "findings.duckdb"
    script = tmp_path / "harness.py"
    script.write_text(KILL_HARNESS)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db), str(inbox)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=ENV, cwd=ROOT,
        start_new_session=True,
    )
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(iter(proc.stdout.readline, "")))
    reader.daemon = True
    reader.start()
    try:
        deadline = time.monotonic() + 900
        while "IN_TRANSACTION\n" not in seen and proc.poll() is None:
            assert time.monotonic() < deadline, "the harness never reached the load"
            time.sleep(0.2)
        assert "IN_TRANSACTION\n" in seen, "the harness ended before loading"
    finally:
        _kill_tree(proc.pid)  # SIGKILL, mid-transaction
        proc.wait()

    assert rows(db, "SELECT count(*) FROM reports") == [(0,)]
    assert orphan_rows(db) == {}
    assert rows(db, "SELECT count(*) FROM report_files") == [(0,)]

    rerun = cli("ingest", str(inbox), "--db", str(db), "--workers", "1")
    assert rerun.returncode == 0, rerun.stderr
    sha = sha256_file(good)
    assert rows(db, "SELECT report_id FROM reports") == [(sha,)]
    assert orphan_rows(db) == {}
    assert rows(db, "SELECT count(*) FROM criterion_scores") == [(8,)]
    assert rows(db, "SELECT count(*) = count(DISTINCT check_name) FROM data_quality") == [(True,)]
    assert rows(db, "SELECT count(*) FROM report_files") == [(1,)]
    runs = rows(db, "SELECT finished_at IS NOT NULL FROM ingest_runs ORDER BY started_at")
    assert runs == [(False,), (True,)]  # the killed run is visible as unfinished


# ============================================================================ concurrency
HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("locked", flush=True)
time.sleep(float(sys.argv[3]))
con.close()
"""


def _hold(db: Path, mode: str, seconds: float, tmp_path: Path) -> subprocess.Popen:
    """Another process that holds the database file open for `seconds`."""
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    proc = subprocess.Popen([sys.executable, str(script), str(db), mode, str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_reader_during_a_write_gets_a_clear_busy_message(tmp_path):
    db = tmp_path / "findings.duckdb"
    connect(db).close()
    holder = _hold(db, "rw", 600, tmp_path)
    try:
        with pytest.raises(DatabaseBusy, match="busy.*[Rr]etry"):
            connect(db, read_only=True, lock_timeout=0.5)
        with pytest.raises(DatabaseBusy, match="FINDINGS_LOCK_TIMEOUT"):
            connect(db, lock_timeout=0.5)
    finally:
        holder.kill()
        holder.wait()


def test_writer_waits_for_a_reader_then_writes(tmp_path):
    db = tmp_path / "findings.duckdb"
    connect(db).close()
    holder = _hold(db, "ro", 2, tmp_path)  # a researcher's query that holds the file briefly
    try:
        con = connect(db, lock_timeout=120)  # waits instead of failing
        con.execute("INSERT INTO schema_info VALUES ('note', 'written after the reader left')")
        con.close()
    finally:
        holder.wait()
    assert rows(db, "SELECT value FROM schema_info WHERE key = 'note'") == [
        ("written after the reader left",)]


def test_busy_timeout_comes_from_the_environment(tmp_path, monkeypatch):
    db = tmp_path / "findings.duckdb"
    connect(db).close()
    holder = _hold(db, "rw", 600, tmp_path)
    try:
        monkeypatch.setenv("FINDINGS_READ_TIMEOUT", "0.2")
        with pytest.raises(DatabaseBusy, match=r"waited 0\.2 s"):
            connect(db, read_only=True)
    finally:
        holder.kill()
        holder.wait()


def test_two_ingests_at_once_and_readers_meanwhile(tmp_path):
    inbox = tmp_path / "inbox"
    good = bad_pdfs.copy_of(inbox / "stoke.pdf")
    bad_pdfs.copy_of(inbox / "again" / "stoke.pdf")
    bad_pdfs.text_as_pdf(inbox / "notes.pdf")
    db = tmp_path / "findings.duckdb"
    args = [sys.executable, "-m", "flows.cli", "ingest", str(inbox), "--db", str(db),
            "--workers", "1"]
    ingests = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=ENV, cwd=ROOT, start_new_session=True) for _ in range(2)]
    readers = []
    try:
        while any(p.poll() is None for p in ingests):
            if db.exists():
                readers.append(cli("status", "--db", str(db), timeout=300))
            time.sleep(2)
        outputs = [p.communicate() for p in ingests]
    finally:
        for p in ingests:
            if p.poll() is None:
                _kill_tree(p.pid)
    for p, (out, err) in zip(ingests, outputs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in out + err
    for reader in readers:  # each query either answered or said "busy, retry"
        assert reader.returncode == 0 or "busy" in reader.stderr, reader.stderr
        assert "Traceback" not in reader.stdout + reader.stderr
    sha = sha256_file(good)
    assert rows(db, "SELECT report_id FROM reports") == [(sha,)]
    assert orphan_rows(db) == {}
    assert rows(db, "SELECT count(*) FROM report_files") == [(2,)]
    assert rows(db, "SELECT count(*) FROM ingest_runs WHERE finished_at IS NOT NULL") == [(2,)]


# ============================================================================ upgrades
def _old_database(path: Path) -> None:
    """A database as schema version 1 left it (no data_quality), holding a user's report."""
    con = connect(path)
    con.execute("DROP VIEW flagged_reports")
    con.execute("DROP TABLE data_quality")
    con.execute("UPDATE schema_info SET value = '1' WHERE key = 'schema_version'")
    con.execute(
        "INSERT INTO reports (report_id, file_name, source_path, template, parser_version,"
        " ingested_at) VALUES ('abc', 'old.pdf', '/data/old.pdf', 'cci-2009', 'old', now())"
    )
    con.close()


def test_migrations_reach_the_current_schema_version():
    assert migrations(), "no migrations shipped"
    assert migrations()[-1][0] == int(SCHEMA_VERSION)


def test_reading_an_old_database_says_exactly_what_to_run(tmp_path):
    db = tmp_path / "old.duckdb"
    _old_database(db)
    with pytest.raises(DatabaseError, match=f"findings migrate --db {db}"):
        connect(db, read_only=True)
    result = cli("status", "--db", str(db), timeout=300)
    assert result.returncode != 0 and "findings migrate" in result.stderr


def test_migrate_upgrades_an_old_database_and_keeps_its_data(tmp_path):
    db = tmp_path / "old.duckdb"
    _old_database(db)
    result = cli("migrate", "--db", str(db), timeout=300)
    assert result.returncode == 0, result.stderr
    assert "002_data_quality.sql" in result.stdout
    con = connect(db, read_only=True)
    try:
        assert stored_version(con) == int(SCHEMA_VERSION)
        assert con.execute("SELECT file_name FROM reports").fetchall() == [("old.pdf",)]
        assert con.execute("SELECT count(*) FROM data_quality").fetchone() == (0,)
    finally:
        con.close()


def test_a_writer_migrates_an_old_database_automatically(tmp_path):
    db = tmp_path / "old.duckdb"
    _old_database(db)
    connect(db).close()  # what `findings ingest` does first
    assert rows(db, "SELECT report_id FROM reports") == [("abc",)]
    assert rows(db, "SELECT value FROM schema_info WHERE key = 'schema_version'") == [
        (SCHEMA_VERSION,)]


def test_a_newer_database_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "new.duckdb"
    connect(db).close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE schema_info SET value = '99' WHERE key = 'schema_version'")
    con.execute("CREATE TABLE future_table (x INTEGER)")
    con.close()
    for read_only in (False, True):
        with pytest.raises(DatabaseError, match="newer than this findings"):
            connect(db, read_only=read_only)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchone() \
        == ("99",)
    assert con.execute("SELECT count(*) FROM future_table").fetchone() == (0,)
    con.close()


# ============================================================================ quality checks
def complete_report(sha: str = "f" * 64, isbn: str = "978-0-00-000000-0") -> Report:
    """A small, self-consistent CCI report built in code (no PDF)."""
    scores = {"safeguarding": 64, "risk_of_harm": 58, "likelihood_of_reoffending": 66}
    criteria = [
        Criterion(code, int(code[0]), f"Criterion {code}", "general", 60, "moderate", 10,
                  strengths=[Finding("strength", n, f"strength {n}", 10) for n in (1, 2)],
                  improvements=[Finding("improvement", n, f"improvement {n}", 10) for n in (1, 2)])
        for code in CCI_CRITERIA
    ]
    report = Report(
        source=SourceFile(f"/data/{sha[:6]}.pdf", sha, 24, 1000),
        template="cci-2009", parser_version="test", area="Testshire", year=2011, isbn=isbn,
        headline=[HeadlineScore(d, s, "moderate", 30, 90, 60, 6) for d, s in scores.items()],
        sections=[Section(n, f"Section {n}", 60, 10) for n in (1, 2, 3)],
        criteria=criteria,
        recommendations=[Recommendation(n, f"Do thing {n}", "YOS Manager", 7) for n in (1, 2, 3)],
        foreword_scores=dict(scores),
    )
    from transform.quality import accounted_chars

    report.text_chars = accounted_chars(report) + 100  # most of the text accounted for
    return report


def failed_names(report: Report) -> set[str]:
    return {c.name for c in check_report(report) if not c.passed}


def test_a_consistent_report_passes_every_check():
    assert failed_names(complete_report()) == set()


def test_foreword_figure_that_disagrees_with_the_scoring_table_fails():
    report = complete_report()
    report.foreword_scores["risk_of_harm"] = 85
    assert failed_names(report) == {"foreword_matches_scoring"}
    report.foreword_scores = {}
    assert failed_names(report) == {"foreword_matches_scoring"}


def test_missing_or_out_of_range_criteria_fail():
    report = complete_report()
    report.criteria = report.criteria[:-1]
    assert "criteria_complete" in failed_names(report)
    report = complete_report()
    report.criteria[0].score = 140
    assert failed_names(report) == {"criteria_complete"}


def test_gaps_or_repeats_in_numbering_fail():
    report = complete_report()
    report.criteria[2].strengths[1] = replace(report.criteria[2].strengths[1], seq=3)
    checks = {c.name: c for c in check_report(report)}
    assert not checks["findings_numbered"].passed
    assert "1.3 strengths" in checks["findings_numbered"].detail
    assert "missing 2" in checks["findings_numbered"].detail
    report = complete_report()
    report.recommendations[2].seq = 2
    assert failed_names(report) == {"recommendations_numbered"}


def test_missing_section_score_and_headline_score_fail():
    report = complete_report()
    report.sections[1].overall = None
    report.headline[0].score = None
    assert failed_names(report) == {"section_scores", "headline_scores",
                                    "foreword_matches_scoring"}


def test_low_text_coverage_fails():
    report = complete_report()
    report.text_chars = 10 * report.text_chars
    assert failed_names(report) == {"text_coverage"}


def test_checks_are_stored_with_the_report_in_one_transaction(tmp_path):
    db = tmp_path / "findings.duckdb"
    con = connect(db)
    try:
        good = complete_report("a" * 64)
        load_report(con, good, now=datetime(2026, 1, 1))
        bad = complete_report("b" * 64, isbn="978-1-11-111111-1")
        bad.criteria[0].strengths.pop(0)
        load_report(con, bad, now=datetime(2026, 1, 1))
        flagged = con.execute("SELECT report_id, failed FROM flagged_reports").fetchall()
        assert flagged == [("b" * 64, ["findings_numbered"])]
        # a corrected re-publication (same ISBN, new bytes) replaces the old checks too
        load_report(con, complete_report("c" * 64, isbn="978-1-11-111111-1"))
        ids = {r for (r,) in con.execute("SELECT DISTINCT report_id FROM data_quality").fetchall()}
        assert ids == {"a" * 64, "c" * 64}
        assert con.execute("SELECT count(*) FROM flagged_reports").fetchone() == (0,)
    finally:
        con.close()


# ============================================================================ security
def test_findings_sql_cannot_change_the_database(tmp_path):
    db = tmp_path / "findings.duckdb"
    connect(db).close()
    for statement in ("CREATE TABLE evil (x INTEGER)", "DELETE FROM schema_info",
                      "DROP TABLE reports"):
        result = cli("sql", statement, "--db", str(db), timeout=300)
        assert result.returncode != 0, statement
        assert "read-only" in result.stderr.lower() or "read only" in result.stderr.lower()
    assert rows(db, "SELECT count(*) FROM schema_info")[0][0] >= 1
    assert rows(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'evil'") \
        == [(0,)]


def test_text_from_a_pdf_never_becomes_a_path():
    from publish.html_report import report_slug

    slug = report_slug({"area": "../../etc/passwd\x00", "year": 2011, "report_id": "d" * 64})
    assert "/" not in slug and ".." not in slug and "\x00" not in slug


def test_an_orphaned_reader_process_is_still_stopped_by_its_cpu_limit(tmp_path):
    """If the ingest is SIGKILLed, nobody waits on the child; the kernel's CPU limit stops it."""
    from flows import isolate

    path = bad_pdfs.pathological_page_pdf(tmp_path / "endless.pdf")
    reader = isolate.ReaderProcess()
    reader._pipe.send((str(path), "x" * 64, None, 1, None))
    reader.process.join(600)  # nobody waits for its answer: it must end by itself
    assert reader.process.exitcode == -signal.SIGXCPU
    reader.close()


def _reasons_in_a_daemonic_worker(paths: list[str], answers) -> None:
    """Runs in a daemonic process, as a Dask worker is: no multiprocessing children allowed."""
    for path in paths:
        result = process_file(path, "x" * 64, max_pages=500, time_limit=20)
        answers.put((Path(path).name, result.reason))


def test_time_limit_also_holds_in_daemonic_workers(tmp_path):
    endless = bad_pdfs.pathological_page_pdf(tmp_path / "endless.pdf")
    agenda = bad_pdfs.not_a_report_pdf(tmp_path / "agenda.pdf")
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    worker = context.Process(target=_reasons_in_a_daemonic_worker,
                             args=([str(endless), str(agenda)], answers), daemon=True)
    worker.start()
    got = dict(answers.get(timeout=600) for _ in range(2))
    worker.join(60)
    assert got == {"endless.pdf": TIMEOUT, "agenda.pdf": "not_an_inspection_report"}
