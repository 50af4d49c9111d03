"""Scheduled ingestion without blocking: the schedule and deployment `findings serve` builds, the
first run at start on a real inbox, what a second run does, `--move`, and a bounded local loop.

The inbox runs go through the real flow (Prefect's temporary API) on the bundled sample PDFs
plus a text file named .pdf that must be rejected.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from flows.commands.common import quiet_prefect

quiet_prefect()  # before Prefect is imported: quiet console, patient temporary server

from flows.serve import (  # noqa: E402
    DEPLOYMENT_NAME,
    PROCESSED_DIR,
    REJECTED_DIR,
    ScheduleError,
    build_deployment,
    flow_parameters,
    inbox_pdfs,
    move_aside,
    parse_schedule,
    serve_inbox,
)
from load.db import connect  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SAMPLES = sorted(EXAMPLES.glob("stoke-on-trent-*.pdf"))  # two layouts of one CCI report


def query(db: Path, sql: str) -> list[tuple]:
    con = connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# --------------------------------------------------------------------------- schedule


@pytest.mark.parametrize(
    ("every", "seconds"),
    [("15m", 900), ("30s", 30), ("90", 90), ("6h", 21600), ("1d", 86400), ("1.5 min", 90)],
)
def test_every_is_parsed_to_an_interval(every: str, seconds: int) -> None:
    assert parse_schedule(every, None).interval == timedelta(seconds=seconds)


def test_default_schedule_is_every_15_minutes() -> None:
    schedule = parse_schedule(None, None)
    assert (schedule.interval, schedule.cron) == (timedelta(minutes=15), None)


@pytest.mark.parametrize(
    ("every", "cron", "message"),
    [
        ("5m", "0 6 * * *", "not both"),
        ("soon", None, "not an interval 'soon'"),
        ("0.2s", None, "too short"),
        (None, "0 6 * *", "not a cron expression"),
        (None, "61 6 * * *", "not a cron expression"),
    ],
)
def test_bad_schedules_are_refused_with_a_reason(every, cron, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(every, cron)


def test_cron_times_are_utc() -> None:
    schedule = parse_schedule(None, "0 6 * * *")
    start = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
    times = schedule.next_times(start)
    assert [next(times), next(times)] == [
        datetime(2026, 3, 2, 6, 0, tzinfo=UTC),
        datetime(2026, 3, 3, 6, 0, tzinfo=UTC),
    ]


def test_interval_times_follow_the_start() -> None:
    times = parse_schedule("15m", None).next_times(datetime(2026, 3, 1, 7, 0, tzinfo=UTC))
    assert [next(times) for _ in range(2)] == [
        datetime(2026, 3, 1, 7, 15, tzinfo=UTC),
        datetime(2026, 3, 1, 7, 30, tzinfo=UTC),
    ]


def test_deployment_carries_schedule_parameters_and_entrypoint(tmp_path: Path) -> None:
    params = flow_parameters(
        tmp_path / "inbox", "x.duckdb", move=True, source_url="http://127.0.0.1:1/list.txt"
    )
    interval = build_deployment(parse_schedule("15m", None), params)
    assert interval.name == DEPLOYMENT_NAME
    assert interval.entrypoint == "flows.serve.ingest_inbox"
    [schedule] = interval.schedules
    assert schedule.schedule.interval == timedelta(minutes=15)
    assert interval.parameters == {
        "inbox": str((tmp_path / "inbox").resolve()),
        "db_path": str(Path("x.duckdb").resolve()),
        "move": True,
        "source_url": "http://127.0.0.1:1/list.txt",
        "workers": None,
    }

    cron = build_deployment(parse_schedule(None, "0 6 * * *"), params)
    assert cron.schedules[0].schedule.cron == "0 6 * * *"


# --------------------------------------------------------------------------- inbox


def test_inbox_lists_waiting_pdfs_only(tmp_path: Path) -> None:
    for rel in ["a.pdf", "sub/b.PDF", "notes.txt", ".hidden.pdf", ".download-x.part"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"%PDF-1.4")
    for folder in (PROCESSED_DIR, REJECTED_DIR):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "old.pdf").write_bytes(b"%PDF-1.4")
    assert [p.relative_to(tmp_path).as_posix() for p in inbox_pdfs(tmp_path)] == [
        "a.pdf",
        "sub/b.PDF",
    ]


def test_move_aside_never_overwrites(tmp_path: Path) -> None:
    target_dir = tmp_path / PROCESSED_DIR
    first = tmp_path / "r.pdf"
    first.write_bytes(b"one")
    assert move_aside(first, target_dir, "a" * 64) == target_dir / "r.pdf"
    second = tmp_path / "r.pdf"
    second.write_bytes(b"two")
    assert move_aside(second, target_dir, "b" * 64) == target_dir / f"r-{'b' * 12}.pdf"
    assert (target_dir / "r.pdf").read_bytes() == b"one"
    assert (target_dir / f"r-{'b' * 12}.pdf").read_bytes() == b"two"


# --------------------------------------------------------------------------- real runs


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for pdf in SAMPLES:
        shutil.copy(pdf, folder / pdf.name)
    (folder / "minutes.pdf").write_text("Minutes of the meeting held on 3 May.\n")
    return folder


@pytest.mark.timeout(900)
def test_first_run_at_start_then_nothing_new(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "findings.duckdb"
    params = flow_parameters(inbox, str(db))
    said: list[str] = []
    naps: list[float] = []

    runs = serve_inbox(
        parse_schedule("1s", None), params, max_runs=2, echo=said.append, sleep=naps.append
    )

    assert runs == 2
    assert said[0] == "first run: 2 loaded, 0 already known, 1 rejected"
    assert "keeping the schedule in this process (every 0:00:01)" in said[1]
    # the second run skips both known files (one loaded, one replaced by the other edition)
    # without parsing them and leaves the file rejected before alone
    assert said[2].endswith(
        ": 0 loaded, 2 already known, 0 rejected (1 rejected before, left alone)"
    )
    assert len(naps) <= 1 and all(0 < nap <= 1 for nap in naps)
    # the two sample layouts share an ISBN: one report, both paths recorded
    assert query(db, "SELECT count(*) FROM reports") == [(1,)]
    assert query(db, "SELECT count(*) FROM report_files") == [(2,)]
    assert query(db, "SELECT reason FROM rejected_files") == [("not_a_pdf",)]
    # without --move the inbox is untouched
    assert sorted(p.name for p in inbox.iterdir()) == sorted(
        ["minutes.pdf", *(p.name for p in SAMPLES)]
    )


@pytest.mark.timeout(900)
def test_move_sorts_files_and_records_new_paths(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "findings.duckdb"
    params = flow_parameters(inbox, str(db), move=True)
    said: list[str] = []

    serve_inbox(parse_schedule("15m", None), params, max_runs=1, echo=said.append)

    assert said == [
        "first run: 2 loaded, 0 already known, 1 rejected; moved 2 to processed/, 1 to rejected/"
    ]
    assert sorted(p.name for p in (inbox / PROCESSED_DIR).iterdir()) == [p.name for p in SAMPLES]
    assert [p.name for p in (inbox / REJECTED_DIR).iterdir()] == ["minutes.pdf"]
    assert inbox_pdfs(inbox) == []
    for sample in SAMPLES:  # bytes kept exactly
        assert (inbox / PROCESSED_DIR / sample.name).read_bytes() == sample.read_bytes()
    paths = {Path(p).parent.name for (p,) in query(db, "SELECT path FROM report_files")}
    assert paths == {"inbox", PROCESSED_DIR}  # where it was loaded from, and where it is now
    rejected = query(db, "SELECT path, reason FROM rejected_files ORDER BY path")
    assert [(Path(p).parent.name, r) for p, r in rejected] == [
        ("inbox", "not_a_pdf"),
        (REJECTED_DIR, "not_a_pdf"),
    ]


# --------------------------------------------------------------------------- re-runs


def test_unchanged_files_are_recorded_without_starting_the_flow(
    tmp_path: Path, stoke_gold_path: Path
) -> None:
    """`findings ingest` over known files only hashes and records (flows/unchanged.py)."""
    import json

    from flows.discover import sha256_file
    from flows.unchanged import record_if_nothing_new
    from load.report import load_report
    from tests.gold_report import report_from_gold

    known, new = SAMPLES
    db = tmp_path / "findings.duckdb"
    assert record_if_nothing_new([str(known)], str(db)) is None  # no database yet
    gold = json.loads(stoke_gold_path.read_text(encoding="utf-8"))
    con = connect(db)
    load_report(con, report_from_gold(gold, sha256_file(known), known))
    con.close()
    copy = tmp_path / "renamed.pdf"
    shutil.copy(known, copy)

    summary = record_if_nothing_new([str(known), str(copy)], str(db), workers=2)

    assert summary is not None
    assert (summary.loaded, summary.skipped, summary.rejected) == (0, 2, 0)
    assert {Path(p).name for (p,) in query(db, "SELECT path FROM report_files")} == {
        known.name,
        "renamed.pdf",
    }
    assert query(
        db, "SELECT loaded, skipped, files_seen, workers, flow_run_id FROM ingest_runs"
    ) == [(0, 2, 2, 2, None)]
    # anything new (or rejected before) and the real flow has to run
    assert record_if_nothing_new([str(known), str(new)], str(db)) is None
    assert len(query(db, "SELECT * FROM ingest_runs")) == 1


# --------------------------------------------------------------------------- a real server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process started in its own session, and all its children; bounded."""
    for sig, grace in ((signal.SIGTERM, 60), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return  # the whole group is gone
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        if sig == signal.SIGTERM:
            time.sleep(1)  # let children that got the same signal finish, then make sure


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_serve_against_a_prefect_server_runs_the_deployment_on_schedule(tmp_path: Path) -> None:
    """`prefect server start` + `findings serve --every 10s`: scheduled deployment runs complete,
    and stopping the service pauses the schedule. Both processes are stopped within bounds."""
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)
    bin_dir = Path(sys.executable).parent
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES[0], inbox / SAMPLES[0].name)
    db = tmp_path / "findings.duckdb"

    server = subprocess.Popen(
        [str(bin_dir / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    serving = None
    try:
        with httpx.Client(base_url=api, timeout=10) as client:
            _wait_for(lambda: _healthy(client), seconds=300, what="the Prefect server")
            serving = subprocess.Popen(
                [str(bin_dir / "findings"), "serve", "--inbox", str(inbox), "--db", str(db)]
                + ["--every", "10s"],
                env={**env, "PREFECT_API_URL": api},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )

            def deployment() -> dict | None:
                found = client.post("/deployments/filter", json={}).json()
                return next((d for d in found if d["name"] == "inbox"), None)

            _wait_for(deployment, seconds=300, what="the deployment")
            deployment_id = deployment()["id"]

            def completed_runs() -> list:
                query = {
                    "flow_runs": {
                        "deployment_id": {"any_": [deployment_id]},
                        "state": {"type": {"any_": ["COMPLETED"]}},
                    }
                }
                return client.post("/flow_runs/filter", json=query).json()

            _wait_for(completed_runs, seconds=300, what="a completed scheduled run")
            _stop(serving)
            output = serving.stdout.read()
            assert "first run: 1 loaded, 0 already known, 0 rejected" in output, output
            assert "serving deployment 'ingest-inbox/inbox' (every 0:00:10)" in output
            assert client.get(f"/deployments/{deployment_id}").json()["paused"] is True
    finally:
        if serving is not None:
            _stop(serving)
        _stop(server)
    assert query(db, "SELECT count(*) FROM reports") == [(1,)]
    assert [p.name for p in inbox.iterdir()] == [SAMPLES[0].name]  # no --move: untouched


def _healthy(client: httpx.Client) -> bool:
    try:
        return client.get("/health").status_code == 200
    except httpx.HTTPError:
        return False


def _wait_for(check: Callable[[], object], *, seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(2)
    pytest.fail(f"gave up waiting {seconds:g} s for {what}")
