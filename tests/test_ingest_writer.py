"""The ingest's single writer keeps one connection for the batch (flows/ingest_work.py Writer).

A failed load still costs only its own file, and the file is released at the end of the run,
also when the run is interrupted.
"""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

import load.db
from flows.ingest_work import LOAD_ERROR, ingest_files
from flows.work import Parsed
from tests.conftest import data_path
from tests.gold_report import report_from_gold


@pytest.fixture(scope="module")
def golds(stoke_gold_path) -> tuple[dict, dict]:
    other = data_path("corpus/barnet-2011.gold.json")
    return (json.loads(stoke_gold_path.read_text("utf-8")), json.loads(other.read_text("utf-8")))


def inbox_of(tmp_path, names: list[str]) -> list[str]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:  # distinct bytes: the parser is faked, only the hashes matter
        (inbox / name).write_bytes(f"%PDF-1.4 {name}".encode())
    return [str(inbox)]


def counting_connects(monkeypatch) -> list[str]:
    opened: list[str] = []
    real = load.db.connect

    def connect(*args, **kwargs):
        opened.append(str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(load.db, "connect", connect)
    return opened


def test_one_connection_for_the_batch_and_a_failed_load_costs_only_its_file(
    tmp_path, golds, monkeypatch
):
    stoke, barnet = golds
    paths = inbox_of(tmp_path, ["a.pdf", "b.pdf", "c.pdf", "d.pdf"])
    opened = counting_connects(monkeypatch)

    def parse_all(todo, workers):
        for n, (sha, (path,)) in enumerate(todo.items()):
            report = report_from_gold(barnet if n == 0 else stoke, sha, path)
            if n == 1:  # not a stored level: the CHECK constraint fails mid-load
                report.criteria[-1].improvement = "MODERATE"
            yield Parsed(path, sha, report)

    db = tmp_path / "f.duckdb"
    summary = ingest_files(paths, str(db), 1, parse_all)

    assert [(f.path.rsplit("/", 1)[1], f.status, f.reason) for f in summary.files] == [
        ("a.pdf", "loaded", None),
        ("b.pdf", "rejected", LOAD_ERROR),
        ("c.pdf", "loaded", None),
        ("d.pdf", "replaced", None),  # same ISBN as c.pdf, other bytes
    ]
    # the run's start, the writer, and a fresh writer connection after the failed load
    assert len(opened) == 3
    con = duckdb.connect(str(db), read_only=True)
    try:
        shas = {f.path.rsplit("/", 1)[1]: f.sha256 for f in summary.files}
        assert con.execute("SELECT file_name FROM reports ORDER BY 1").fetchall() == [
            ("a.pdf",), ("d.pdf",)
        ]
        assert con.execute("SELECT count(*) FROM findings WHERE report_id = ?",
                           [shas["b.pdf"]]).fetchone() == (0,)
        assert con.execute("SELECT reason FROM rejected_files").fetchall() == [(LOAD_ERROR,)]
        assert con.execute("SELECT loaded, rejected, replaced FROM ingest_runs"
                           " WHERE finished_at IS NOT NULL").fetchall() == [(3, 1, 1)]
    finally:
        con.close()


def three_new_reports(tmp_path) -> list[tuple[str, str, object]]:
    """(path, sha256, Report) of three distinct CCI reports (distinct bytes and ISBNs)."""
    out = []
    for n, name in enumerate(["barnet-2011", "bedford-2009", "barnsley-2011"]):
        gold = json.loads(data_path(f"corpus/{name}.gold.json").read_text("utf-8"))
        sha, path = f"{n}" * 64, str(tmp_path / f"{name}.pdf")
        out.append((path, sha, report_from_gold(gold, sha, path)))
    return out


def table_contents(db) -> dict[str, list]:
    """Every base table's rows, sorted (schema_info holds when the schema was applied)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [n for (n,) in con.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_type = 'BASE TABLE' AND table_name <> 'schema_info'").fetchall()]
        return {n: sorted(map(repr, con.execute(f'SELECT * FROM "{n}"').fetchall()))
                for n in names}
    finally:
        con.close()


def test_new_reports_loaded_together_store_exactly_what_one_by_one_stores(tmp_path):
    from datetime import datetime

    from load.report import load_new_reports, load_report
    from transform.nlp import annotate_report

    items = [(report, annotate_report(report)) for _, _, report in three_new_reports(tmp_path)]
    now = datetime(2026, 12, 3, 12, 0)
    together, alone = tmp_path / "together.duckdb", tmp_path / "alone.duckdb"
    con = load.db.connect(together)
    try:
        outcomes = load_new_reports(con, items, now=now)
    finally:
        con.close()
    con = load.db.connect(alone)
    try:
        for report, annotations in items:
            load_report(con, report, annotations, now=now)
    finally:
        con.close()
    assert [(o.report_id, o.status) for o in outcomes] == [(r.report_id, "loaded")
                                                           for r, _ in items]
    stored = table_contents(together)
    assert len(stored["reports"]) == 3 and stored["text_themes"] and stored["search_postings"]
    assert stored == table_contents(alone)


def test_reports_that_are_not_all_new_are_left_to_load_one_by_one(tmp_path):
    from load.report import load_new_reports, load_report

    (_, _, barnet), (_, _, bedford), (path, sha, barnsley) = three_new_reports(tmp_path)
    con = load.db.connect(tmp_path / "f.duckdb")
    try:
        load_report(con, barnet)
        assert load_new_reports(con, [(bedford, None), (barnet, None)]) is None  # loaded one
        barnsley.isbn = bedford.isbn  # two editions of one report in the batch
        assert load_new_reports(con, [(bedford, None), (barnsley, None)]) is None
        assert con.execute("SELECT count(*) FROM reports").fetchone() == (1,)  # nothing written
    finally:
        con.close()


def test_a_report_that_fails_inside_a_batch_costs_only_itself(tmp_path):
    made = three_new_reports(tmp_path)
    made[1][2].criteria[-1].improvement = "MODERATE"  # not a stored level: CHECK fails
    paths = inbox_of(tmp_path, [p.rsplit("/", 1)[1] for p, _, _ in made])

    def parse_all(todo, workers):
        for (sha, (path,)), (_, _, report) in zip(todo.items(), made, strict=True):
            report.source.path, report.source.sha256 = path, sha
            yield Parsed(path, sha, report)

    db = tmp_path / "f.duckdb"
    summary = ingest_files(paths, str(db), 1, parse_all)
    assert [(f.status, f.reason) for f in summary.files] == [
        ("loaded", None), ("rejected", LOAD_ERROR), ("loaded", None)]
    stored = table_contents(db)
    assert len(stored["reports"]) == 2 and len(stored["rejected_files"]) == 1


def test_an_interrupted_run_releases_the_file_and_keeps_what_it_loaded(tmp_path, golds):
    stoke, _ = golds
    paths = inbox_of(tmp_path, ["a.pdf", "b.pdf"])

    def parse_all(todo, workers):
        sha, (path,) = next(iter(todo.items()))
        yield Parsed(path, sha, report_from_gold(stoke, sha, path))
        raise KeyboardInterrupt  # Ctrl-C while the next file is parsed

    db = tmp_path / "f.duckdb"
    with pytest.raises(KeyboardInterrupt):
        ingest_files(paths, str(db), 1, parse_all)

    # another process can open the file read-write at once
    opener = "import duckdb, sys; duckdb.connect(sys.argv[1]).close()"
    subprocess.run([sys.executable, "-c", opener, str(db)], check=True, timeout=120)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT file_name FROM reports").fetchall() == [("a.pdf",)]
        assert con.execute("SELECT count(*) FROM ingest_runs WHERE finished_at IS NULL"
                           ).fetchone() == (1,)
    finally:
        con.close()


def test_a_long_run_lets_a_query_in_between_results(tmp_path, golds, monkeypatch):
    """The writer lets go of the file every HOLD_SECONDS: `findings status` or `sql` started
    during a long ingest gets its answer during the run, not only after it."""
    import threading
    import time

    from flows.ingest_work import Writer

    stoke, _ = golds
    monkeypatch.setattr(Writer, "HOLD_SECONDS", 0.3)
    paths = inbox_of(tmp_path, [f"{n}.pdf" for n in range(30)])
    db = tmp_path / "f.duckdb"
    answered: list[float] = []
    query = ("import sys, time; from load.db import connect;"
             " connect(sys.argv[1], read_only=True, lock_timeout=60).close(); print(time.time())")

    def another_process() -> None:
        out = subprocess.run([sys.executable, "-c", query, str(db)], capture_output=True,
                             text=True, timeout=120, check=True).stdout
        answered.append(float(out))

    asking = threading.Thread(target=another_process)

    def parse_all(todo, workers):
        for n, (sha, (path,)) in enumerate(todo.items()):
            if n == 2:  # the writer has the file open by now
                asking.start()
            time.sleep(0.15)  # reading the next file
            report = report_from_gold(stoke, sha, path)
            report.isbn = None  # distinct reports, none replacing another
            yield Parsed(path, sha, report)

    summary = ingest_files(paths, str(db), 1, parse_all)
    finished = time.time()
    asking.join()
    assert summary.loaded == 30
    assert answered and answered[0] < finished - 0.5
