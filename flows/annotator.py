"""Annotate parsed reports in one child process of their own, a few reports ahead of the loader.

Per 2018+ report, annotating (spaCy and the theme model, ~0.07 s) costs more than loading it
(~0.04 s), and reading it with pdfium (~0.1 s) runs in the reader children already. Done in
the ingest's own process, annotating and loading form one serial line that the readers wait
behind: with 2 workers a LibreOffice-layout set ingested no faster than with 1. In a process
of its own the annotator works on the next reports while this process loads the last one, so
the three stages overlap. The spaCy pipeline is loaded there once (~1 s, while the first files
are read), and this process never imports spaCy.

The child is forked from the readers' forkserver (flows/isolate.py), so it starts with the
report model already imported. If it dies, the reports it had are annotated here instead:
losing the helper process costs speed, never a file.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from flows.work import PARSE_ERROR, Parsed, Rejected, describe, with_annotations

AHEAD = 2  # reports handed to the annotator before the oldest is waited for


def annotated(results: Iterable[Parsed | Rejected], ahead: int = AHEAD
              ) -> Iterator[Parsed | Rejected]:
    """`results` in order, each Parsed one with its annotations (or Rejected if that failed)."""
    from flows.isolate import forkserver_context

    pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
        1, mp_context=forkserver_context(), initializer=_load_pipeline
    )
    pool.submit(int)  # starts the child now: its pipeline loads while the first files are read
    pending: deque[tuple[Parsed | Rejected, Future | None]] = deque()

    def submit(result: Parsed | Rejected) -> Future | None:
        nonlocal pool
        if pool is None or not isinstance(result, Parsed):
            return None
        try:
            from transform.nlp import report_inputs

            inputs = report_inputs(result.report)
        except Exception:  # noqa: BLE001 - no NLP layer, or a bad report: _finish's
            return None  # with_annotations says which, for this one file
        try:  # only the texts go over: unpickling whole reports was ~5 % of the child's time
            return pool.submit(_annotations_of, result.report.report_id, *inputs)
        except BrokenProcessPool:
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
            return None

    try:
        for result in results:
            pending.append((result, submit(result)))
            while len(pending) > ahead:
                yield _finish(*pending.popleft())
        while pending:
            yield _finish(*pending.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _finish(result: Parsed | Rejected, future: Future | None) -> Parsed | Rejected:
    if not isinstance(result, Parsed):
        return result
    if future is not None:
        try:
            outcome = future.result()
        except Exception:  # noqa: BLE001 - the annotator died or could not take the report
            outcome = None  # annotated here, below
        if outcome is not None:
            return _apply(result, outcome)
    return with_annotations(result)


def _apply(parsed: Parsed, outcome: tuple[str, Any]) -> Parsed | Rejected:
    kind, value = outcome
    if kind == "ok":
        parsed.annotations = value
        return parsed
    return Rejected(parsed.path, parsed.sha256, value[0], value[1])


def _annotations_of(report_id: str, texts: list, glossary: dict[str, str]) -> tuple[str, Any]:
    """Runs in the annotator: ("ok", annotations) or ("rejected", (reason, detail)), as
    with_annotations would decide."""
    try:
        from transform.nlp import annotate_texts

        annotations = annotate_texts(texts, glossary)
        annotations.report_id = report_id
    except Exception as exc:  # noqa: BLE001 - any bug must only cost this one file
        return "rejected", (PARSE_ERROR, describe(exc))
    return "ok", annotations


def _load_pipeline() -> None:
    """Load the pipeline as soon as the annotator starts (the readers are busy meanwhile).

    Ctrl-C is the parent's to handle (it shuts the pool down); and if the parent is killed
    outright, the annotator ends too rather than wait for work forever (it holds both ends of
    its own job queue, so it would never see the parent go).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    try:
        from transform.nlp.pipeline import get_nlp

        get_nlp()
    except Exception:  # noqa: BLE001 - annotating reports any real problem per file
        pass


def _end_with(parent_sentinel: int) -> None:
    """Wait for the parent process to end, then end this one."""
    from multiprocessing.connection import wait

    wait([parent_sentinel])
    os._exit(0)
