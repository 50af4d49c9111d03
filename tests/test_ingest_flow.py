"""The ingest flow end to end on real files: both sample PDFs, a non-PDF and a real PDF that is
not an inspection report, in one batch through Prefect (ephemeral API) and a process pool."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows.commands.common import quiet_prefect

quiet_prefect()  # before Prefect is imported: quiet console, patient temporary server

from prefect.settings import (  # noqa: E402
    PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    temporary_settings,
)

from flows.ingest import ingest_reports  # noqa: E402
from flows.work import PARSE_ERROR, Rejected, process_file  # noqa: E402
from load.db import connect  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
REALWORLD = ROOT / "tests" / "data" / "realworld" / "ofsted-103980.pdf"


def run(paths, db) -> object:
    with temporary_settings({PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: 300}):
        return ingest_reports([str(p) for p in paths], db_path=str(db), workers=2)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One run over a folder holding both sample PDFs (two layouts of one report), a copy of
    one of them under another name, a text file named .pdf, and a real Ofsted PDF."""
    inbox = tmp_path_factory.mktemp("inbox")
    for pdf in EXAMPLES.glob("stoke-on-trent-*.pdf"):
        shutil.copy(pdf, inbox / pdf.name)
    shutil.copy(EXAMPLES / "stoke-on-trent-2011.pdf", inbox / "zz stoke copy.PDF")
    (inbox / "minutes.pdf").write_text("Minutes of the meeting held on 3 May.\n")
    if REALWORLD.exists():
        shutil.copy(REALWORLD, inbox / REALWORLD.name)
    db = tmp_path_factory.mktemp("db") / "findings.duckdb"
    summary = run([inbox], db)
    return summary, db, inbox


def query(db, sql, params=None):
    con = connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def expected_rejections() -> list[tuple[str, str]]:
    """(file name, reason) in path order (the Ofsted PDF is in tests/data)."""
    found = [("minutes.pdf", "not_a_pdf")]
    if REALWORLD.exists():
        found.append((REALWORLD.name, "not_an_inspection_report"))
    return found


def test_summary_counts_every_file(batch):
    summary, _, _ = batch
    assert len(summary.files) == 3 + len(expected_rejections())
    assert summary.rejected_by_reason == {reason: 1 for _, reason in expected_rejections()}
    # two layouts share the ISBN: the later path replaces the earlier; the copy is the same bytes
    assert (summary.loaded, summary.replaced, summary.skipped) == (2, 1, 1)
    assert summary.finished_at is not None


def test_the_report_is_loaded_with_its_gold_values(batch, stoke_gold_path):
    gold = json.loads(stoke_gold_path.read_text(encoding="utf-8"))
    _, db, _ = batch
    rows = query(db, "SELECT report_id, area, year, isbn, file_name FROM reports")
    assert len(rows) == 1
    report_id, area, year, isbn, file_name = rows[0]
    assert (area, year, isbn) == (gold["area"], gold["year"], gold["isbn"])
    assert file_name == "stoke-on-trent-2011.pdf"  # later path of the two editions
    headline = dict(query(db, "SELECT domain, score FROM headline_scores"))
    assert headline == {h["domain"]: h["score"] for h in gold["headline"]}
    findings = sum(len(c["strengths"]) + len(c["improvements"]) for c in gold["criteria"])
    assert query(db, "SELECT count(*) FROM findings") == [(findings,)]
    assert query(db, "SELECT count(*) FROM findings WHERE page IS NULL OR page < 1") == [(0,)]


def test_annotations_are_written_with_the_report(batch):
    _, db, _ = batch
    (report_id,) = query(db, "SELECT report_id FROM reports")[0]
    assert query(db, "SELECT count(*) > 0 FROM text_themes WHERE report_id = ?", [report_id]) == [
        (True,)
    ]
    orphans = (
        "SELECT count(*) FROM text_themes WHERE report_id NOT IN (SELECT report_id FROM reports)"
    )
    assert query(db, orphans) == [(0,)]


def test_every_path_of_the_loaded_bytes_is_recorded(batch):
    _, db, inbox = batch
    (report_id,) = query(db, "SELECT report_id FROM reports")[0]
    paths = {p for (p,) in query(db, "SELECT path FROM report_files WHERE sha256 = ?", [report_id])}
    assert paths == {str(inbox / "stoke-on-trent-2011.pdf"), str(inbox / "zz stoke copy.PDF")}
    replaced = query(db, "SELECT old_path, new_path FROM report_replacements")
    assert replaced == [
        (
            str(inbox / "stoke-on-trent-2011.chromium.pdf"),
            str(inbox / "stoke-on-trent-2011.pdf"),
        )
    ]


def test_rejections_are_recorded_with_reasons(batch):
    _, db, inbox = batch
    rejected = query(db, "SELECT path, reason, detail FROM rejected_files ORDER BY path")
    assert [(Path(p).name, reason) for p, reason, _ in rejected] == expected_rejections()
    assert all(detail for _, _, detail in rejected)


def test_run_is_recorded(batch):
    summary, db, _ = batch
    runs = query(
        db, "SELECT run_id, loaded, skipped, rejected, replaced, files_seen FROM ingest_runs"
    )
    rejected = len(expected_rejections())
    assert runs == [(summary.run_id, 2, 1, rejected, 1, 3 + rejected)]


def test_second_run_changes_nothing_but_new_names(batch, tmp_path):
    _, db, inbox = batch
    tables = ("reports", "findings", "rejected_files", "report_replacements", "text_themes")
    before = {t: query(db, f"SELECT count(*) FROM {t}") for t in tables}
    renamed = tmp_path / "renamed.pdf"
    shutil.copy(inbox / "stoke-on-trent-2011.pdf", renamed)
    again = run([inbox / "stoke-on-trent-2011.pdf", renamed], db)
    assert (again.loaded, again.skipped, again.rejected) == (0, 2, 0)
    assert {t: query(db, f"SELECT count(*) FROM {t}") for t in tables} == before
    assert query(db, "SELECT count(*) FROM report_files WHERE path = ?", [str(renamed)]) == [(1,)]


def test_unexpected_parser_failure_is_a_rejection(monkeypatch):
    import transform.templates

    def broken(document):
        raise ZeroDivisionError("division by zero in a table cell")

    monkeypatch.setattr(transform.templates, "parse_document", broken)
    result = process_file(str(EXAMPLES / "stoke-on-trent-2011.pdf"), "0" * 64)
    assert result == Rejected(
        str(EXAMPLES / "stoke-on-trent-2011.pdf"),
        "0" * 64,
        PARSE_ERROR,
        "ZeroDivisionError: division by zero in a table cell",
    )


@pytest.mark.slow
def test_whole_corpus_loads_each_report_once(shared_dir, tmp_path):
    """The 160 synthetic reports (both layout engines) through the flow: every one loads as the
    report its gold file describes, and a second run skips them all."""
    corpus = shared_dir / "corpus"
    pdfs = sorted(corpus.glob("*.pdf"))
    db = tmp_path / "corpus.duckdb"

    summary = run([corpus], db)

    assert summary.rejections == []
    assert (summary.loaded, summary.replaced) == (len(pdfs), 0)
    stored = {
        file_name: (area, year, isbn)
        for file_name, area, year, isbn in query(
            db, "SELECT file_name, area, year, isbn FROM reports"
        )
    }
    for pdf in pdfs:
        gold = json.loads(pdf.with_suffix(".gold.json").read_text(encoding="utf-8"))
        assert stored[pdf.name] == (gold["area"], gold["year"], gold["isbn"]), pdf.name
    assert query(db, "SELECT count(*) FROM headline_scores") == [(3 * len(pdfs),)]

    again = run([corpus], db)
    assert (again.loaded, again.skipped, again.rejected) == (0, len(pdfs), 0)
