"""The re-run fast path: when every file is already loaded, record that without starting Prefect.

Starting a Prefect flow costs seconds (its import), and without PREFECT_API_URL about 15 s of
CPU more for the temporary API server. A scheduled or repeated `findings ingest` over an
unchanged folder should cost a hash per file and one query, so the CLI asks here first and
only starts the ingest flow when something is new. The bookkeeping is the flow's own: the new
paths go to `report_files` and the run to `ingest_runs` (without a Prefect flow-run id).

Kept free of Prefect; the rule "known bytes are skipped" is the flow's (`loaded_ids`).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from flows.discover import discover_pdfs, sha256_file
from flows.summary import FileOutcome, IngestSummary


def record_if_nothing_new(
    paths: list[str], db_path: str, workers: int | None = None
) -> IngestSummary | None:
    """The run's summary if every file's bytes are already loaded; None if the flow must run."""
    if not Path(db_path).exists():
        return None
    from load.db import connect
    from load.files import loaded_ids, record_paths, utcnow
    from load.runs import finish_run, start_run

    files = discover_pdfs(paths)
    paths_by_sha: dict[str, list[str]] = {}
    for path in files:
        paths_by_sha.setdefault(sha256_file(path), []).append(str(path))
    if not paths_by_sha:
        return None
    summary = IngestSummary(
        run_id=str(uuid.uuid4()),
        db_path=str(db_path),
        started_at=utcnow(),
        workers=max(1, workers or os.cpu_count() or 1),
    )
    con = connect(db_path, apply=False)
    try:
        known = loaded_ids(con, list(paths_by_sha))
        if known != set(paths_by_sha):
            return None
        start_run(
            con,
            summary.run_id,
            summary.started_at,
            paths=[str(p) for p in paths],
            workers=summary.workers,
            parser_version=_parser_version(),
        )
        record_paths(con, [(sha, p) for sha, ps in paths_by_sha.items() for p in ps])
        for sha, ps in sorted(paths_by_sha.items(), key=lambda item: item[1][0]):
            summary.files += [FileOutcome(p, sha, "skipped", report_id=sha) for p in ps]
        summary.finished_at = utcnow()
        finish_run(
            con,
            summary.run_id,
            summary.finished_at,
            files_seen=len(summary.files),
            loaded=0,
            skipped=summary.skipped,
            rejected=0,
            replaced=0,
        )
    finally:
        con.close()
    return summary


def _parser_version() -> str | None:
    try:
        from transform.templates import PARSER_VERSION
    except ImportError:
        return None
    return PARSER_VERSION
