"""A hook for showing per-file progress of an ingest (the CLI's progress bar listens here).

Kept out of the flow's parameters because a callback is not data Prefect should record, and
out of the flow's module globals because Prefect pickles the flow function for worker processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

from flows.summary import FileOutcome


class IngestProgress(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, outcome: FileOutcome) -> None: ...


_listener: ContextVar[IngestProgress | None] = ContextVar("ingest_progress", default=None)


def current_progress() -> IngestProgress | None:
    return _listener.get()


@contextmanager
def reporting_progress(listener: IngestProgress) -> Iterator[None]:
    """Send per-file outcomes of ingest runs in this context to `listener`."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
