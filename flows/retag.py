"""The retag flow: re-run the NLP over the texts already in the database, no PDF read.

Use it after editing the taxonomy (themes.yaml), the proportion lexicon or the default
glossary: every report's annotation rows and the themes table are replaced in one transaction,
so readers see either the old tags or the new ones, never a mix.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from prefect import flow

from load.db import DEFAULT_DB, connect


@dataclass
class RetagSummary:
    db_path: str
    reports: int
    texts: int
    theme_matches: int
    proportions: int
    acronyms: int
    seconds: float


def annotate_stored(texts: list[tuple], glossaries: dict[str, dict[str, str]],
                    themes_path: str, lexicon_path: str, glossary_path: str) -> dict:
    """report_id -> ReportAnnotations for every stored text (batched per report)."""
    from transform.nlp import TextToTag, annotate_texts
    from transform.nlp.pipeline import get_nlp

    nlp = get_nlp(themes_path, lexicon_path, glossary_path)
    by_report: dict[str, list[TextToTag]] = {}
    for source, source_id, report_id, text in texts:
        by_report.setdefault(report_id, []).append(TextToTag(source, source_id, text))
    result = {}
    for report_id, items in by_report.items():
        ann = annotate_texts(items, glossaries.get(report_id), nlp=nlp)
        ann.report_id = report_id
        result[report_id] = ann
    return result


@flow(name="retag", persist_result=False, validate_parameters=False)
def retag(db_path: str = DEFAULT_DB, themes_path: str = "", lexicon_path: str = "",
          glossary_path: str = "") -> RetagSummary:
    """Replace all annotations in `db_path` using the current data files (or the given ones).

    One step, so no task runner: the work is seconds of CPU in this process, next to the one
    database writer. `retag.fn(...)` runs the same code without Prefect.
    """
    return retag_database(db_path, themes_path, lexicon_path, glossary_path)


def retag_database(db_path: str = DEFAULT_DB, themes_path: str = "", lexicon_path: str = "",
                   glossary_path: str = "") -> RetagSummary:
    """The retag work itself: read texts + glossaries, annotate, swap rows in one transaction."""
    from load.annotations import delete_annotations, insert_annotations, write_themes
    from transform.nlp.themes import load_taxonomy

    started = time.perf_counter()
    taxonomy = load_taxonomy(themes_path or None)  # a broken file fails before any change
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
        by_report = annotate_stored(texts, glossaries, themes_path, lexicon_path, glossary_path)
        con.execute("BEGIN TRANSACTION")
        try:
            delete_annotations(con)
            write_themes(con, taxonomy)
            insert_annotations(con, by_report)
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
    )
