"""The ingest run itself, without Prefect: what the `ingest-reports` flow and the CLI share.

discover -> hash -> skip bytes already loaded -> parse what is new (`parse_all`) -> a single
writer loads the results in path order, up to LOAD_BATCH new reports per transaction (each
report still all or nothing) -> ingest_runs row.

Starting Prefect costs seconds (its import) and, without a configured server, a temporary API
server (~8 s wall, 12-14 s CPU) per run, more than a one-file ingest's work. So, like `retag`,
the CLI runs this directly when no Prefect server is configured (`run_locally`: threads
waiting for reader child processes, `read_ahead`), and as the flow (flows/ingest.py, Prefect
task runners) when one is, or with `--prefect`. Both paths run the same code below, so the
database ends up the same; only the flow-run id in `ingest_runs` tells them apart.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

from flows.discover import discover_pdfs, sha256_file
from flows.progress import IngestProgress, current_progress
from flows.summary import FileOutcome, IngestSummary
from flows.work import Parsed, Rejected, describe

if TYPE_CHECKING:
    import duckdb

    from load.report import LoadOutcome

DEFAULT_MAX_PAGES = 500
DEFAULT_TIME_LIMIT = 120.0  # CPU seconds to read + parse one file (flows/isolate.py)
LOAD_ERROR = "load_error"
# Parsed reports loaded together (load.report.load_new_reports): a third of the loader's CPU.
# While a batch fills, the reports already read wait: at most this many, for as long as the
# next file takes to read.
LOAD_BATCH = 8

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
    writer = Writer(db_path)
    try:
        if todo:
            _write_all(writer, parse_all(todo, workers), todo,
                       lambda outcome: _note(summary, outcome, progress))

        summary.finished_at = utcnow()
        finish_run(
            writer.connection(),
            summary.run_id,
            summary.finished_at,
            files_seen=len(summary.files),
            loaded=summary.loaded,
            skipped=summary.skipped,
            rejected=summary.rejected,
            replaced=summary.replaced,
        )
    finally:
        writer.close()  # errors and Ctrl-C too: another process may want the file next
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

    if time_limit and time_limit > 0:
        from flows.isolate import start_forkserver

        start_forkserver()
    return ingest_files(paths, db_path, workers, parse_all)


def parse_locally(
    todo: dict[str, list[str]],
    workers: int,
    max_pages: int | None,
    time_limit: float | None,
    reader: str | None = None,
) -> Iterator[Parsed | Rejected]:
    """Parse each distinct file, yielding results in the order of `todo` (sorted paths).

    `workers` files are read at once, each in its own time-limited child process
    (flows/isolate.py) that a thread of this process waits for; one more child annotates the
    parsed reports a few ahead (flows/annotator.py), while the caller loads each result. No
    pool of worker processes to start, and one spaCy pipeline, not one per worker. Results
    that finish early are held back, so the outcome never depends on timing. Without a time
    limit nothing runs in a child: files are read and annotated here, one by one.
    """
    from flows.annotator import annotated
    from flows.work import read_file, with_annotations

    jobs = [(paths[0], sha) for sha, paths in todo.items()]

    def read(path: str, sha: str) -> Parsed | Rejected:
        return read_file(path, sha, max_pages, time_limit, reader)

    if not time_limit or time_limit <= 0:
        for path, sha in jobs:
            result = read(path, sha)
            yield with_annotations(result) if isinstance(result, Parsed) else result
        return
    from flows.isolate import close_idle_readers

    try:
        yield from annotated(read_ahead(jobs, read, max(1, min(workers, len(jobs)))))
    finally:
        close_idle_readers()  # the run is over: their memory goes back now, not at exit


def read_ahead(
    jobs: list[tuple[str, str]],
    read: Callable[[str, str], Parsed | Rejected],
    workers: int,
    queued: int = 32,
) -> Iterator[Parsed | Rejected]:
    """`read(*job)` for each job, in order, `workers` at a time in threads.

    The threads mostly wait for reader child processes, so what the caller does with one
    result (annotating, loading) overlaps the reading of the next ones. At most `workers +
    queued` results are held at once. Stopped early (an error, Ctrl-C), it drops the queued
    files and kills the children still reading.
    """
    from concurrent.futures import Future, ThreadPoolExecutor, wait

    from flows.isolate import stop_running_children

    pool = ThreadPoolExecutor(workers, thread_name_prefix="read")
    waiting = iter(jobs)
    pending: deque[Future] = deque(
        pool.submit(read, *job) for job in islice(waiting, workers + queued)
    )
    try:
        while pending:
            result = pending.popleft().result()
            pending.extend(pool.submit(read, *job) for job in islice(waiting, 1))
            yield result
    finally:
        if pending:
            for future in pending:
                future.cancel()
            while not all(future.done() for future in pending):
                stop_running_children()  # again: a thread may have been starting a child
                wait(pending, timeout=0.1)
        pool.shutdown(wait=True)


class Writer:
    """The single writer's connection, opened at the first result and reused for the next.

    Opening and closing the file costs ~40 ms of CPU (reading the catalog, a checkpoint on
    close), as much as loading a report, so it is not done per result. But DuckDB lets no
    other process in while it is open: after `HOLD_SECONDS` the writer lets go between two
    results, so a query (`findings status`, `sql`) or another ingest waiting for the file gets
    its turn during a long run, not only after it.
    """

    HOLD_SECONDS = 2.0

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self._con: duckdb.DuckDBPyConnection | None = None
        self._opened_at = 0.0

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            from load.db import connect

            self._con = connect(self.db_path, apply=False)
            self._opened_at = time.monotonic()
        return self._con

    def between_results(self) -> None:
        """Let go of the file if it has been held for long (the next result reopens it)."""
        if self._con is not None and time.monotonic() - self._opened_at >= self.HOLD_SECONDS:
            self.close()

    def discard(self) -> None:
        """Close after a failed load, quietly: the next result gets a fresh connection."""
        with contextlib.suppress(Exception):
            self.close()

    def close(self) -> None:
        con, self._con = self._con, None
        if con is not None:
            con.close()


def write_result(writer: Writer, result: Parsed | Rejected, paths: list[str]) -> list[FileOutcome]:
    """The single writer: load one result in its own transaction, or record its rejection."""
    from load.files import record_rejection
    from load.report import load_report

    con = writer.connection()
    if isinstance(result, Parsed):
        try:
            loaded = load_report(con, result.report, result.annotations)
        except Exception as exc:  # noqa: BLE001 - rolled back; only this file is lost
            # whatever state the failure left the connection in, it ends with this file
            writer.discard()
            con = writer.connection()
            result = Rejected(result.path, result.sha256, LOAD_ERROR, describe(exc))
        else:
            return _loaded(con, result, paths, loaded)
    outcomes = []
    for path in paths:
        record_rejection(con, result.sha256, path, result.reason, result.detail,
                         reader=result.reader, fallback=result.fallback)
        outcomes.append(
            FileOutcome(path, result.sha256, "rejected", result.reason, result.detail)
        )
    return outcomes


def _write_all(writer: Writer, results: Iterable[Parsed | Rejected],
               todo: dict[str, list[str]], note: Callable[[FileOutcome], None]) -> None:
    """Write `results` in order, parsed reports LOAD_BATCH at a time. Those already parsed
    are written also when the results stop early (Ctrl-C, a failure upstream)."""
    pending: list[Parsed] = []

    def write(outcomes: list[FileOutcome]) -> None:
        for outcome in outcomes:
            note(outcome)
        writer.between_results()

    def flush() -> None:
        nonlocal pending
        batch, pending = pending, []  # taken first: a failed write is not tried twice
        if batch:
            write(write_parsed(writer, batch, todo))

    try:
        for result in results:
            if isinstance(result, Parsed):
                pending.append(result)
                if len(pending) >= LOAD_BATCH:
                    flush()
                continue
            flush()  # path order: the parsed ones before this rejection
            write(write_result(writer, result, todo[result.sha256]))
    finally:
        flush()


def write_parsed(writer: Writer, batch: list[Parsed], todo: dict[str, list[str]]
                 ) -> list[FileOutcome]:
    """Load parsed results: together in one transaction when they are all new reports
    (load.report.load_new_reports), else each in its own (write_result)."""
    from load.report import load_new_reports

    loaded = None
    if len(batch) > 1:
        try:
            loaded = load_new_reports(writer.connection(),
                                      [(parsed.report, parsed.annotations) for parsed in batch])
        except Exception:  # noqa: BLE001 - e.g. the rollback failed: one by one, fresh
            writer.discard()
    if loaded is None:
        return [outcome for parsed in batch
                for outcome in write_result(writer, parsed, todo[parsed.sha256])]
    con = writer.connection()
    return [outcome for parsed, one in zip(batch, loaded, strict=True)
            for outcome in _loaded(con, parsed, todo[parsed.sha256], one)]


def _loaded(con: duckdb.DuckDBPyConnection, result: Parsed, paths: list[str],
            loaded: LoadOutcome) -> list[FileOutcome]:
    """The outcomes of a loaded report's paths; the loader recorded the path it was read
    from, here the others (the same bytes under more names) are recorded."""
    from load.files import record_paths

    loaded_from = result.report.source.path
    record_paths(con, [(result.sha256, p) for p in paths if p != loaded_from])
    first = FileOutcome(result.path, result.sha256, loaded.status, report_id=loaded.report_id,
                        replaced=loaded.replaced)
    others = [FileOutcome(p, result.sha256, "skipped", report_id=loaded.report_id)
              for p in paths if p != result.path]
    return [first, *others]


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
