"""The retag flow: re-run the NLP over the texts already in the database, no PDF read.

Use it after editing the taxonomy (themes.yaml), the proportion lexicon or the default
glossary: every report's annotation rows and the themes table are replaced in one transaction,
so readers see either the old tags or the new ones, never a mix.

The work is in flows/retag_work.py (no Prefect); this module only makes it a Prefect flow, so
runs show up in a Prefect server's UI. `findings retag` uses the flow only when a server is
configured or `--prefect` is given.
"""

from __future__ import annotations

from prefect import flow

from flows.retag_work import RetagSummary, annotate_stored, retag_database
from load.db import DEFAULT_DB

__all__ = ["RetagSummary", "annotate_stored", "retag", "retag_database"]


@flow(name="retag", persist_result=False, validate_parameters=False)
def retag(db_path: str = DEFAULT_DB, themes_path: str = "", lexicon_path: str = "",
          glossary_path: str = "", workers: int | None = None,
          model_path: str = "") -> RetagSummary:
    """Replace all annotations in `db_path` using the current data files (or the given ones).

    One step, so no task runner: the work is seconds of CPU in this process, next to the one
    database writer. `retag.fn(...)` runs the same code without Prefect. One process unless
    `workers` says otherwise: the work forks its workers, and forking a process that runs
    Prefect's threads can inherit a lock held by one of them.
    """
    return retag_database(db_path, themes_path, lexicon_path, glossary_path, workers or 1,
                          model_path)
