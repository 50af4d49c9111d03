"""Scheduled ingestion: watch an inbox folder (optionally fed from a remote source) on a schedule.

`findings serve` runs the `ingest-inbox` flow once at start, then on an interval or cron
schedule. Each run fetches new PDFs from `--source-url` (if given) into the inbox and ingests
every PDF in the inbox; files already in the database are recognised by their sha256 and
skipped, so a run only does work for new files.

Two ways to keep the schedule:
- a Prefect server is configured (PREFECT_API_URL): the flow is served as a Prefect deployment
  (`flow.serve`) and the server's scheduler creates the runs, visible in the Prefect UI;
- no server (Prefect's ephemeral mode, which cannot schedule): this process keeps the schedule
  itself and starts each run as a normal Prefect flow run.

The inbox is never changed destructively: with `--move`, ingested files go to `processed/` and
rejected ones to `rejected/` (renamed, never overwritten) and the database records the new path.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import flow, get_run_logger, task
from prefect.deployments.runner import EntrypointType

from flows.discover import sha256_file

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

PROCESSED_DIR = "processed"
REJECTED_DIR = "rejected"
DEPLOYMENT_NAME = "inbox"
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d|day)?\s*$", re.I)
_UNIT_SECONDS = {
    "s": 1,
    "sec": 1,
    "m": 60,
    "min": 60,
    "h": 3600,
    "hr": 3600,
    "d": 86400,
    "day": 86400,
}


class ScheduleError(ValueError):
    """The --every / --cron value cannot be understood (one clear sentence)."""


@dataclass(frozen=True)
class Schedule:
    """Either a fixed interval or a cron expression (never both)."""

    interval: timedelta | None = None
    cron: str | None = None

    def describe(self) -> str:
        if self.cron:
            return f"cron {self.cron!r}"
        return f"every {self.interval}"

    def next_times(self, start: datetime) -> Iterator[datetime]:
        """The run times after `start` (aware datetimes), endlessly."""
        if self.cron:
            from cronsim import CronSim  # Prefect's own cron library

            yield from CronSim(self.cron, start.astimezone(UTC))  # UTC, as Prefect does
        else:
            assert self.interval is not None
            when = start
            while True:
                when += self.interval
                yield when


def parse_schedule(every: str | None, cron: str | None) -> Schedule:
    """`--every 15m` (s/m/h/d; plain number = seconds) or `--cron "0 6 * * *"` (UTC).

    Neither given means every 15 minutes.
    """
    if every and cron:
        raise ScheduleError("give either --every or --cron, not both")
    if cron:
        from cronsim import CronSim, CronSimError

        try:
            CronSim(cron, datetime.now(UTC))
        except CronSimError as exc:
            raise ScheduleError(f"not a cron expression {cron!r}: {exc}") from None
        return Schedule(cron=cron)
    match = _EVERY.match(every or "15m")
    if not match:
        raise ScheduleError(f"not an interval {every!r}: use e.g. 30s, 15m, 6h or 1d")
    seconds = float(match.group(1)) * _UNIT_SECONDS[(match.group(2) or "s").lower()]
    if seconds < 1:
        raise ScheduleError(f"interval {every!r} is too short: at least 1 second")
    return Schedule(interval=timedelta(seconds=seconds))


# --------------------------------------------------------------------------- the inbox


def inbox_pdfs(inbox: Path) -> list[Path]:
    """PDFs waiting in the inbox: *.pdf at any depth, except processed/, rejected/ and dotfiles."""
    found = []
    for path in sorted(inbox.rglob("*")):
        rel = path.relative_to(inbox).parts
        if rel[0] in (PROCESSED_DIR, REJECTED_DIR) or any(p.startswith(".") for p in rel):
            continue
        if path.suffix.lower() == ".pdf" and path.is_file():
            found.append(path)
    return found


def move_aside(path: Path, folder: Path, sha256: str) -> Path:
    """Move `path` into `folder` without ever overwriting: a clash gets the hash in its name."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}-{sha256[:12]}{path.suffix}"
    if target.exists():
        # The same bytes under the same name are already kept there; leave this copy in place.
        return path
    os.replace(path, target)
    return target


def known_rejections(db_path: str, pdfs: list[Path]) -> set[Path]:
    """Inbox files whose bytes this database already rejected: not parsed again every run.

    `findings ingest` on them retries (say, after a parser upgrade).
    """
    from load.db import DatabaseError, connect

    if not Path(db_path).exists() or not pdfs:
        return set()
    by_sha: dict[str, list[Path]] = {}
    for pdf in pdfs:
        by_sha.setdefault(sha256_file(pdf), []).append(pdf)
    try:
        con = connect(db_path, read_only=True)
    except DatabaseError:
        return set()  # locked or unreadable: the ingest itself will say so
    try:
        rows = con.execute(
            "SELECT DISTINCT sha256 FROM rejected_files WHERE sha256 IN (SELECT unnest(?))",
            [list(by_sha)],
        ).fetchall()
    finally:
        con.close()
    return {pdf for (sha,) in rows for pdf in by_sha[sha]}


@task(name="fetch-from-source", retries=0)
def fetch_source(source_url: str, inbox: str) -> dict[str, Any]:
    """Download new PDFs into the inbox; a source that cannot be reached only warns."""
    from flows.sources import FetchError, fetch_new_reports

    logger = get_run_logger()
    try:
        summary = fetch_new_reports(source_url, Path(inbox))
    except FetchError as exc:
        logger.warning("source %s not fetched: %s", source_url, exc.reason)
        return {"source_url": source_url, "error": exc.reason}
    for skipped in summary.skipped:
        logger.warning("skipped %s: %s", skipped.url, skipped.reason)
    logger.info(
        "source %s: %d new, %d unchanged, %d skipped",
        source_url,
        len(summary.downloaded),
        len(summary.not_modified) + len(summary.unchanged),
        len(summary.skipped),
    )
    return summary.as_dict()


def move_ingested(inbox: Path, db_path: str, files: list[Any]) -> dict[str, int]:
    """Move ingested files to processed/ and rejected ones to rejected/; record new paths."""
    from load.db import connect
    from load.files import record_paths, record_rejection

    moved: list[tuple[str, str]] = []  # (sha256, new path) of loaded/skipped files
    rejected: list[tuple[Any, str]] = []
    for outcome in files:
        source = Path(outcome.path)
        if not source.exists() or inbox.resolve() not in source.resolve().parents:
            continue
        folder = REJECTED_DIR if outcome.status == "rejected" else PROCESSED_DIR
        target = move_aside(source, inbox / folder, outcome.sha256)
        if target == source:
            continue
        if outcome.status == "rejected":
            rejected.append((outcome, str(target.resolve())))
        else:
            moved.append((outcome.sha256, str(target.resolve())))
    if moved or rejected:
        con = connect(db_path)
        try:
            record_paths(con, moved)
            for outcome, new_path in rejected:
                record_rejection(
                    con, outcome.sha256, new_path, outcome.reason or "", outcome.detail or ""
                )
        finally:
            con.close()
    return {"processed": len(moved), "rejected": len(rejected)}


@flow(name="ingest-inbox", log_prints=False)
def ingest_inbox(
    inbox: str,
    db_path: str = "findings.duckdb",
    move: bool = False,
    source_url: str | None = None,
    workers: int | None = None,
    dask_address: str | None = None,
) -> dict[str, Any]:
    """One scheduled run: fetch from the source, ingest the inbox's new PDFs, tidy up."""
    from flows.ingest import ingest_reports

    logger = get_run_logger()
    folder = Path(inbox)
    folder.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"inbox": str(folder)}
    if source_url:
        result["source"] = fetch_source(source_url, str(folder))
    pdfs = inbox_pdfs(folder)
    result["files"] = len(pdfs)
    if not move:
        rejected_before = known_rejections(db_path, pdfs)
        pdfs = [p for p in pdfs if p not in rejected_before]
        result["rejected_before"] = len(rejected_before)
    if not pdfs:
        logger.info("inbox %s has no new PDFs", folder)
        return result
    options: dict[str, Any] = {"workers": workers}
    if dask_address:
        options["dask_address"] = dask_address
    summary = ingest_reports([str(p) for p in pdfs], db_path, **options)
    result.update(loaded=summary.loaded, skipped=summary.skipped, rejected=summary.rejected)
    if move:
        result["moved"] = move_ingested(folder, db_path, summary.files)
    logger.info(
        "inbox %s: %d loaded, %d already known, %d rejected",
        folder,
        summary.loaded,
        summary.skipped,
        summary.rejected,
    )
    return result


# --------------------------------------------------------------------------- serving


def flow_parameters(
    inbox: Path,
    db_path: str,
    *,
    move: bool = False,
    source_url: str | None = None,
    workers: int | None = None,
    dask_address: str | None = None,
) -> dict[str, Any]:
    """The parameters every run gets; absolute paths, so the runner's cwd does not matter."""
    params: dict[str, Any] = {
        "inbox": str(inbox.resolve()),
        "db_path": str(Path(db_path).resolve()),
        "move": move,
        "source_url": source_url,
        "workers": workers,
    }
    if dask_address:
        params["dask_address"] = dask_address
    return params


def build_deployment(
    schedule: Schedule, parameters: dict[str, Any], name: str = DEPLOYMENT_NAME
) -> RunnerDeployment:
    """The Prefect deployment `findings serve` registers: the inbox flow on the schedule."""
    return ingest_inbox.to_deployment(
        name=name,
        interval=schedule.interval,
        cron=schedule.cron,
        parameters=parameters,
        description=f"Ingest new report PDFs from {parameters['inbox']} ({schedule.describe()})",
        tags=["findings", "ingest"],
        # the package is installed, so runs import the flow by module, whatever the cwd
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def prefect_server_configured() -> bool:
    """True when PREFECT_API_URL points at a Prefect server that can schedule runs."""
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value())


def serve_inbox(
    schedule: Schedule,
    parameters: dict[str, Any],
    *,
    max_runs: int | None = None,
    echo: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run once now, then on the schedule; returns the number of runs made.

    `max_runs` (counting the first) stops a local schedule, for tests and one-off use; with a
    Prefect server the deployment is served until the process is stopped.
    """
    runs = 1
    echo(f"first run: {_run_safely(parameters)}")
    if max_runs is not None and runs >= max_runs:
        return runs
    if prefect_server_configured():
        from prefect import serve

        echo(f"serving deployment 'ingest-inbox/{DEPLOYMENT_NAME}' ({schedule.describe()})")
        serve(build_deployment(schedule, parameters))
        return runs
    echo(
        f"no Prefect server configured (PREFECT_API_URL): keeping the schedule in this "
        f"process ({schedule.describe()}); stop with Ctrl-C"
    )
    for when in schedule.next_times(datetime.now(UTC)):
        wait = (when - datetime.now(UTC)).total_seconds()
        if wait > 0:
            sleep(wait)
        runs += 1
        echo(f"run {runs} ({when:%Y-%m-%d %H:%M:%S} UTC): {_run_safely(parameters)}")
        if max_runs is not None and runs >= max_runs:
            break
    return runs


def _run_safely(parameters: dict[str, Any]) -> str:
    """One run; a failed run (say, the database locked by a reader) waits for the next one."""
    try:
        return _describe(ingest_inbox(**parameters))
    except Exception as exc:  # noqa: BLE001 - the service must outlive one bad run
        first_line = (str(exc).strip().splitlines() or [""])[0]
        return f"run failed, will try again at the next time: {type(exc).__name__}: {first_line}"


def _describe(result: dict[str, Any]) -> str:
    """One line for the console: what a run did."""
    if "loaded" in result:
        text = (
            f"{result['loaded']} loaded, {result['skipped']} already known, "
            f"{result['rejected']} rejected"
        )
    else:
        text = "nothing new in the inbox"
    if result.get("rejected_before"):
        text += f" ({result['rejected_before']} rejected before, left alone)"
    if moved := result.get("moved"):
        text += f"; moved {moved['processed']} to processed/, {moved['rejected']} to rejected/"
    source = result.get("source") or {}
    if source.get("error"):
        text += f"; source not reachable: {source['error']}"
    elif source:
        text += (
            f"; source: {len(source.get('downloaded', []))} downloaded, "
            f"{len(source.get('skipped', []))} skipped"
        )
    return text
