"""The ingest flow: PDFs in, reports (or reasons they are not) in the database.

discover -> hash -> skip bytes already loaded -> read + parse + annotate each file in a worker
process (one Prefect task per file) -> a single writer in this process loads the results in
path order, up to 8 new reports per transaction (each report all or nothing) -> ingest_runs
row and a markdown summary artifact.

Workers return plain data and never touch the database, so DuckDB's one-writer rule holds and
the same task code could run on any Prefect task runner.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from flows.ingest_work import (  # noqa: F401 - LOAD_ERROR, write_result: this module's API
    DEFAULT_MAX_PAGES,
    DEFAULT_TIME_LIMIT,
    LOAD_ERROR,
    ingest_files,
    write_result,
)
from flows.summary import IngestSummary
from flows.work import PARSE_ERROR, Parsed, Rejected, describe, process_file
from load.db import DEFAULT_DB


@task(name="parse-report", cache_policy=NO_CACHE, persist_result=False)
def parse_report_file(
    path: str,
    sha256: str,
    max_pages: int | None,
    time_limit: float | None = None,
    reader: str | None = None,
) -> Parsed | Rejected:
    """Read, parse and annotate one PDF (runs in a worker process)."""
    return process_file(path, sha256, max_pages, time_limit, reader)


@flow(name="ingest-reports", persist_result=False, validate_parameters=False)
def ingest_reports(
    paths: list[str],
    db_path: str = DEFAULT_DB,
    workers: int | None = None,
    max_pages: int | None = DEFAULT_MAX_PAGES,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    dask_address: str | None = None,
    reader: str | None = None,
) -> IngestSummary:
    """Ingest every PDF under `paths` into the DuckDB file `db_path`; return what happened.

    The run is flows/ingest_work.py's, with one Prefect task per new file; `reader` picks the
    PDF character source (None: FINDINGS_READER or pdfium).
    """

    def parse_all(todo: dict[str, list[str]], workers: int) -> Iterable[Parsed | Rejected]:
        return _parse_all(todo, workers, max_pages, time_limit, dask_address, reader)

    summary = ingest_files(paths, db_path, workers, parse_all, flow_run_id=_flow_run_id())
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
    reader: str | None = None,
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
                {"path": paths[0], "sha256": sha, "max_pages": max_pages,
                 "time_limit": time_limit, "reader": reader},
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
    interrupted run would otherwise hang for minutes; nothing loaded is lost, as this process
    commits each report whole. (A Dask runner has no local pool.)
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


def _share_api_with_workers() -> None:
    """Point worker processes at this run's API (else each would start its own temporary one)."""
    if os.environ.get("PREFECT_API_URL"):
        return
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    api_url = getattr(getattr(context, "client", None), "api_url", None)
    if api_url:
        os.environ["PREFECT_API_URL"] = str(api_url)


def _flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    run_id = flow_run.id
    return str(run_id) if run_id else None
