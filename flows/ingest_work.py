"""The ingest run itself, without Prefect: what the `ingest-reports` flow and the CLI share.

discover -> hash -> skip bytes already loaded -> parse what is new (`parse_all`) -> a single
writer loads each result in its own transaction, in path order -> ingest_runs row.

Starting Prefect costs seconds (its import) and, without a configured server, a temporary API
server (~8 s wall, 12-14 s CPU) per run, more than a one-file ingest's work. So, like `retag`,
the CLI runs this directly when no Prefect server is configured (`run_locally`, worker
processes from concurrent.futures), and as the flow (flows/ingest.py, Prefect task runners)
when one is, or with `--prefect`. Both paths run the same code below, so the database ends up
the same; only the flow-run id in `ingest_runs` tells them apart.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator

from flows.discover import discover_pdfs, sha256_file
from flows.progress import IngestProgress, current_progress
from flows.summary import FileOutcome, IngestSummary
from flows.work import PARSE_ERROR, Parsed, Rejected, describe, process_file

DEFAULT_MAX_PAGES = 500
DEFAULT_TIME_LIMIT = 120.0  # CPU seconds to read + parse one file (flows/isolate.py)
LOAD_ERROR = "load_error"

# todo {sha256: [paths]}, workers -> results (Parsed | Rejected) in the order of `todo`
ParseAll = Callable[[dict[str, list[str]], int], Iterable[Parsed | Rejected]]


def ingest_files(
    paths: list[str],
    db_path: str,
    workers: int | None,
    parse_all: ParseAll,
    flow_run_id: str | None = None,
) -> IngestSummary:
    """Ingest every PDF under `paths` into `db_path`; `parse_all` reads the new ones."""
    from load.db import connect
    from load.files import loaded_ids, record_paths, utcnow
    from load.runs import finish_run, start_run

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
            parser_version=parser_version(),
            flow_run_id=flow_run_id,
        )
        known = loaded_ids(con, list(paths_by_sha))
        record_paths(con, [(sha, p) for sha in known for p in paths_by_sha[sha]])
    finally:
        con.close()
    for sha in sorted(known, key=lambda s: paths_by_sha[s][0]):
        for path in paths_by_sha[sha]:
            _note(summary, FileOutcome(path, sha, "skipped", report_id=sha), progress)

    todo = {sha: ps for sha, ps in paths_by_sha.items() if sha not in known}
    if todo:
        for result in parse_all(todo, workers):
            for outcome in write_result(db_path, result, todo[result.sha256]):
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
    return summary


def run_locally(
    paths: list[str],
    db_path: str,
    workers: int | None = None,
    max_pages: int | None = DEFAULT_MAX_PAGES,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    reader: str | None = None,
) -> IngestSummary:
    """The ingest without Prefect: files parsed here (one file or one worker) or in a pool."""

    def parse_all(todo: dict[str, list[str]], workers: int) -> Iterator[Parsed | Rejected]:
        return parse_locally(todo, workers, max_pages, time_limit, reader)

    return ingest_files(paths, db_path, workers, parse_all)


def parse_locally(
    todo: dict[str, list[str]],
    workers: int,
    max_pages: int | None,
    time_limit: float | None,
    reader: str | None = None,
) -> Iterator[Parsed | Rejected]:
    """Parse each distinct file, yielding results in the order of `todo` (sorted paths).

    One worker or one file: in this process (each file still read in its time-limited child,
    flows/isolate.py), no pool to start. Otherwise a process pool; as in the flow, results
    that finish early are held back so the outcome never depends on timing.
    """
    jobs = [(paths[0], sha) for sha, paths in todo.items()]
    workers = min(workers, len(jobs))
    if workers <= 1:
        import threading

        # spaCy's import and pipeline (~2 s) load here while the first file is read in its
        # child process: on a one-file ingest that is most of the start-up
        warm = threading.Thread(target=_warm_nlp, name="warm-nlp", daemon=True)
        warm.start()
        for path, sha in jobs:
            yield process_file(path, sha, max_pages, time_limit, reader, warm.join)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = [
            pool.submit(process_file, path, sha, max_pages, time_limit, reader)
            for path, sha in jobs
        ]
        for (path, sha), future in zip(jobs, futures, strict=True):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - a crashed worker costs only its file
                yield Rejected(path, sha, PARSE_ERROR, describe(exc))
    except BaseException:  # interrupted: stop the workers now, not after the files in flight
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.kill()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _warm_nlp() -> None:
    """Load the NLP pipeline now (annotating would, later); without it there is nothing to do."""
    try:
        from transform.nlp.pipeline import get_nlp

        get_nlp()
    except Exception:  # noqa: BLE001 - annotate() reports any real problem when it runs
        pass


def write_result(db_path: str, result: Parsed | Rejected, paths: list[str]) -> list[FileOutcome]:
    """The single writer: open the database only while loading this one result."""
    from load.db import connect
    from load.files import record_paths, record_rejection
    from load.report import load_report

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


def parser_version() -> str | None:
    try:
        from transform.templates import PARSER_VERSION
    except ImportError:
        return None
    return PARSER_VERSION
