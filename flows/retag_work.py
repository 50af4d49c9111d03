"""The retag work itself, free of Prefect: read the stored texts, annotate them, swap the rows.

`findings retag` calls `retag_database` directly unless a Prefect server is configured (or
`--prefect` is given): importing Prefect and starting its temporary API server would cost more
than the work. The Prefect flow in flows/retag.py wraps the same function.

With more than one CPU and enough texts, forked worker processes share the annotating: the
pipeline is built before the fork, so a worker starts in milliseconds, and each report is
annotated whole by one process with the same pipeline, so the rows are the same however the
work is split (`--workers 1` keeps it all in this process).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.pool import Pool

from load.db import DEFAULT_DB, connect

# fewer texts than this per process are not worth a worker: each one forks, warms its own
# caches and sends its results back (~1 s of CPU in all for the 12,172-text corpus)
TEXTS_PER_WORKER = 1500
SHARES_PER_WORKER = 4  # smaller shares balance the load when a CPU is busy with other work


@dataclass
class RetagSummary:
    db_path: str
    reports: int
    texts: int
    theme_matches: int
    proportions: int
    acronyms: int
    seconds: float
    workers: int = 1


def default_workers() -> int:
    """CPUs this process may use (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(texts: int, workers: int) -> int:
    """How many of `workers` processes `texts` texts are worth."""
    return max(1, min(workers, texts // TEXTS_PER_WORKER))


def annotate_stored(texts: list[tuple], glossaries: dict[str, dict[str, str]],
                    themes_path: str, lexicon_path: str, glossary_path: str,
                    pool: Pool | None = None, workers: int = 1,
                    model_path: str = "") -> dict:
    """report_id -> ReportAnnotations for every stored text.

    With a `pool` and more than one worker, the pool's processes annotate the reports in
    several shares each, so a process slowed by other work on the machine simply takes
    fewer of them.
    """
    from transform.nlp import TextToTag

    by_report: dict[str, list[TextToTag]] = {}
    for source, source_id, report_id, text in texts:
        by_report.setdefault(report_id, []).append(TextToTag(source, source_id, text))
    reports = {rid: (items, glossaries.get(rid)) for rid, items in by_report.items()}
    paths = (themes_path, lexicon_path, glossary_path, model_path)
    if pool is None or workers <= 1:
        return _annotate((reports, paths))
    result: dict = {}
    for part in pool.imap_unordered(_annotate, [(share, paths) for share in
                                                _split(reports, workers * SHARES_PER_WORKER)]):
        result.update(part)
    return {rid: result[rid] for rid in reports}  # in report order, however it was split


def _annotate(job: tuple[dict, tuple[str, str, str, str]]) -> dict:
    """Annotate a share of the reports (in a forked worker the pipeline is inherited, built)."""
    from transform.nlp import annotate_reports
    from transform.nlp.pipeline import get_nlp

    reports, paths = job
    return annotate_reports(reports, nlp=get_nlp(*paths))


def _split(reports: dict, parts: int) -> list[dict]:
    """Whole reports in `parts` runs of about the same number of texts."""
    total = sum(len(items) for items, _ in reports.values())
    out: list[dict] = [{} for _ in range(max(1, parts))]
    done = 0
    for rid, value in reports.items():
        out[min(len(out) - 1, done * len(out) // max(1, total))][rid] = value
        done += len(value[0])
    return [part for part in out if part] or [{}]


@contextmanager
def worker_pool(workers: int) -> Iterator[Pool | None]:
    """`workers` forked processes, or None to annotate in this process.

    Only a process with no other Python thread forks: a child can inherit a lock that another
    thread held (a Prefect server or event loop started earlier in the same process) and wait
    on it for ever. Such a process annotates by itself, with the same results.
    """
    if (workers <= 1 or "fork" not in multiprocessing.get_all_start_methods()
            or threading.active_count() > 1):
        yield None
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield pool


def retag_database(db_path: str = DEFAULT_DB, themes_path: str = "", lexicon_path: str = "",
                   glossary_path: str = "", workers: int | None = None,
                   model_path: str = "") -> RetagSummary:
    """Read texts + glossaries, annotate, swap the annotation rows in one transaction.

    `workers` processes share the annotating (default: the CPUs this process may use, fewer
    for a small database).
    """
    from load.annotations import delete_annotations, insert_annotations, write_themes
    from load.search_index import rebuild_index
    from transform.nlp.pipeline import get_nlp, theme_rows

    started = time.perf_counter()
    # built once (a broken file fails before any change), inherited by forked workers
    taxonomy = theme_rows(get_nlp(themes_path, lexicon_path, glossary_path, model_path))
    workers = max(1, workers or default_workers())
    # workers are forked before the database is opened, so they hold none of its state
    with worker_pool(workers) as pool:
        con = connect(db_path)
        try:
            texts = con.execute(
                "SELECT source, source_id, report_id, text FROM v_annotated_texts "
                "ORDER BY report_id, source, source_id"
            ).fetchall()
            glossaries: dict[str, dict[str, str]] = {}
            for report_id, term, definition in con.execute(
                "SELECT report_id, term, definition FROM glossary"
            ).fetchall():
                glossaries.setdefault(report_id, {})[term] = definition or ""
            used = workers_for(len(texts), workers)
            by_report = annotate_stored(texts, glossaries, themes_path, lexicon_path,
                                        glossary_path, pool, used, model_path)
            con.execute("BEGIN TRANSACTION")
            try:
                delete_annotations(con)
                write_themes(con, taxonomy)
                insert_annotations(con, by_report)
                rebuild_index(con)  # the full-text search index, in the same transaction
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            con.close()
    return RetagSummary(
        db_path=str(db_path),
        reports=len(by_report),
        texts=len(texts),
        theme_matches=sum(len(a.themes) for a in by_report.values()),
        proportions=sum(len(a.proportions) for a in by_report.values()),
        acronyms=sum(len(a.acronyms) for a in by_report.values()),
        seconds=round(time.perf_counter() - started, 2),
        workers=used if pool else 1,
    )
