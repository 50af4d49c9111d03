"""The ingest flow: PDFs in, reports (or reasons they are not) in the database.

discover -> hash -> skip bytes already loaded -> read + parse + annotate each file in a worker
process (one Prefect task per file) -> a single writer in this process loads each result in its
own transaction as it arrives -> ingest_runs row and a markdown summary artifact.

Workers return plain data and never touch the database, so DuckDB's one-writer rule holds and
the same task code could run on any Prefect task runner.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from flows.discover import discover_pdfs, sha256_file
from flows.progress import IngestProgress, current_progress
from flows.summary import FileOutcome, IngestSummary
from flows.work import PARSE_ERROR, Parsed, Rejected, describe, process_file
from load.db import DEFAULT_DB, connect
from load.files import loaded_ids, record_paths, record_rejection, utcnow
from load.report import load_report
from load.runs import finish_run, start_run

DEFAULT_MAX_PAGES = 500
DEFAULT_TIME_LIMIT = 120.0  # CPU seconds to read + parse one file (flows/isolate.py)
LOAD_ERROR = "load_error"


@task(name="parse-report", cache_policy=NO_CACHE, persist_result=False)
def parse_report_file(
    path: str, sha256: str, max_pages: int | None, time_limit: float | None = None
) -> Parsed | Rejected:
    """Read, parse and annotate one PDF (runs in a worker process)."""
    return process_file(path, sha256, max_pages, time_limit)


@flow(name="ingest-reports", persist_result=False, validate_parameters=False)
def ingest_reports(
    paths: list[str],
    db_path: str = DEFAULT_DB,
    workers: int | None = None,
    max_pages: int | None = DEFAULT_MAX_PAGES,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    dask_address: str | None = None,
) -> IngestSummary:
    """Ingest every PDF under `paths` into the DuckDB file `db_path`; return what happened."""
    workers = max(1, workers or os.cpu_count() or 1)
    summary = IngestSummary(
        run_id=str(uuid.uuid4()), db_path=str(db_path), started_at=utcnow(), workers=workers
    )
    progress = current_progress()
    files = discover_pdfs(paths)
    if progress:
        progress.start(len(files))
    paths_by_sha: dict[str, list[str]] = {}  # same bytes under several names: parsed once
    for path in files:
        paths_by_sha.setdefault(sha256_file(path), []).append(str(path))

    con = connect(db_path)
    try:
        start_run(
            con,
            summary.run_id,
            summary.started_at,
            paths=[str(p) for p in paths],
            workers=workers,
            parser_version=_parser_version(),
            flow_run_id=_flow_run_id(),
        )
        known = loaded_ids(con, list(paths_by_sha))
        record_paths(con, [(sha, p) for sha in known for p in paths_by_sha[sha]])
    finally:
        con.close()
    for sha in sorted(known, key=lambda s: paths_by_sha[s][0]):
        for path in paths_by_sha[sha]:
            _note(summary, FileOutcome(path, sha, "skipped", report_id=sha), progress)

    todo = {sha: ps for sha, ps in paths_by_sha.items() if sha not in known}
    for result in _parse_all(todo, workers, max_pages, time_limit, dask_address):
        for outcome in _write(db_path, result, todo[result.sha256]):
            _note(summary, outcome, progress)

    summary.finished_at = utcnow()
    con = connect(db_path, apply=False)
    try:
        finish_run(
            con,
            summary.run_id,
            summary.finished_at,
            files_seen=len(summary.files),
            loaded=summary.loaded,
            skipped=summary.skipped,
            rejected=summary.rejected,
            replaced=summary.replaced,
        )
    finally:
        con.close()
    create_markdown_artifact(
        key="ingest-summary", markdown=summary.markdown(), description="Ingest run summary"
    )
    return summary


def _parse_all(
    todo: dict[str, list[str]],
    workers: int,
    max_pages: int | None,
    time_limit: float | None,
    dask_address: str | None = None,
) -> Iterable[Parsed | Rejected]:
    """Run one parse task per distinct file in a process pool.

    Results are yielded in the order of `todo` (sorted paths), holding back any that finish
    early, so the outcome of a run never depends on timing: when two editions of one ISBN are
    in the same batch, the later path always wins.
    """
    if not todo:
        return
    _share_api_with_workers()
    order = list(todo)
    done: dict[str, Parsed | Rejected] = {}
    with _task_runner(min(workers, len(todo)), dask_address) as runner:
        futures = {
            runner.submit(
                parse_report_file,
                {"path": paths[0], "sha256": sha, "max_pages": max_pages, "time_limit": time_limit},
            ): sha
            for sha, paths in todo.items()
        }
        try:
            for future in as_completed(list(futures)):
                sha = futures[future]
                try:
                    done[sha] = future.result()
                except Exception as exc:  # noqa: BLE001 - a crashed worker costs only its file
                    done[sha] = Rejected(todo[sha][0], sha, PARSE_ERROR, describe(exc))
                while order and order[0] in done:
                    yield done.pop(order.pop(0))
        except BaseException:  # interrupted (SIGTERM, Ctrl-C) or abandoned
            _stop_workers(runner)
            raise


def _stop_workers(runner: TaskRunner) -> None:
    """Kill the local pool's worker processes at once.

    Prefect's ProcessPoolTaskRunner shuts down by waiting for every file in flight, so an
    interrupted run would otherwise hang for minutes; nothing is lost, as each report is
    loaded in its own transaction by this process. (A Dask runner has no local pool.)
    """
    executor = getattr(runner, "_executor", None)
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.kill()


def _task_runner(workers: int, dask_address: str | None) -> TaskRunner:
    """This machine's process pool, or an existing Dask cluster (`tcp://host:8786`)."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address)
    return ProcessPoolTaskRunner(max_workers=workers)


def _write(db_path: str, result: Parsed | Rejected, paths: list[str]) -> list[FileOutcome]:
    """The single writer: open the database only while loading this one result."""
    con = connect(db_path, apply=False)
    try:
        if isinstance(result, Parsed):
            try:
                loaded = load_report(con, result.report, result.annotations)
            except Exception as exc:  # noqa: BLE001 - rolled back; only this file is lost
                result = Rejected(result.path, result.sha256, LOAD_ERROR, describe(exc))
            else:
                record_paths(con, [(result.sha256, p) for p in paths])
                first = FileOutcome(
                    result.path,
                    result.sha256,
                    loaded.status,
                    report_id=loaded.report_id,
                    replaced=loaded.replaced,
                )
                others = [
                    FileOutcome(p, result.sha256, "skipped", report_id=loaded.report_id)
                    for p in paths
                    if p != result.path
                ]
                return [first, *others]
        outcomes = []
        for path in paths:
            record_rejection(con, result.sha256, path, result.reason, result.detail)
            outcomes.append(
                FileOutcome(path, result.sha256, "rejected", result.reason, result.detail)
            )
        return outcomes
    finally:
        con.close()


def _note(summary: IngestSummary, outcome: FileOutcome, progress: IngestProgress | None) -> None:
    summary.files.append(outcome)
    if progress:
        progress.advance(outcome)


def _share_api_with_workers() -> None:
    """Point worker processes at this run's API (else each would start its own temporary one)."""
    if os.environ.get("PREFECT_API_URL"):
        return
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    api_url = getattr(getattr(context, "client", None), "api_url", None)
    if api_url:
        os.environ["PREFECT_API_URL"] = str(api_url)


def _parser_version() -> str | None:
    try:
        from transform.templates import PARSER_VERSION
    except ImportError:
        return None
    return PARSER_VERSION


def _flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    run_id = flow_run.id
    return str(run_id) if run_id else None
