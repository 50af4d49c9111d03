"""Turn a Report into table rows: pure data shaping, no database.

Kept apart from the writer so the mapping from the report model to the schema can be read (and
tested) on its own. Each table is returned column-wise, ready for a bulk insert.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from transform.model import (
    AreaContext,
    Box,
    Report,
    finding_id,
    good_practice_id,
    passage_id,
    recommendation_id,
)

Rows = list[dict[str, Any]]

# Scalar report fields whose page is kept in a `<field>_page` column of `reports`.
PAGED_FIELDS: tuple[str, ...] = (
    "title",
    "area",
    "year",
    "isbn",
    "chief_inspector",
    "published_month",
    "fieldwork_month",
    "lead_inspector",
    "service_name",
    "overall_rating",  # the Ratings table's page: the score is printed beside it
)


def boxes_json(boxes: Iterable[Box]) -> str | None:
    """Boxes as a JSON array of {page, x0, top, x1, bottom}; None when there are none."""
    items = [{"page": b.page, "x0": b.x0, "top": b.top, "x1": b.x1, "bottom": b.bottom}
             for b in boxes]  # dataclasses.asdict deep-copies each value: 10x slower
    return json.dumps(items) if items else None


def report_row(report: Report, ingested_at: datetime) -> dict[str, Any]:
    source = report.source
    row: dict[str, Any] = {
        "report_id": report.report_id,
        "file_name": source.file_name,
        "source_path": source.path,
        "size_bytes": source.size_bytes,
        "pages": source.pages,
        "template": report.template,
        "title": report.title,
        "area": report.area,
        "year": report.year,
        "isbn": report.isbn,
        "chief_inspector": report.chief_inspector,
        "published_month": report.published_month,
        "fieldwork_month": report.fieldwork_month,
        "lead_inspector": report.lead_inspector,
        "parser_version": report.parser_version,
        "warnings": list(report.warnings),
        "ingested_at": ingested_at,
        # area_key is set by the loader with the SQL macro normalise_area (one definition)
        "service_name": report.service_name,
        "overall_rating": report.overall_rating,
        "rating_score": report.rating_score,
        "rating_score_max": report.rating_score_max,
        "court_cases": report.court_cases,
        "out_of_court_cases": report.out_of_court_cases,
        "source_kind": source.kind,
        "publication": report.publication,
    }
    if source.kind == "html":
        row["pages"] = None
    for name in PAGED_FIELDS:
        row[f"{name}_page"] = report.field_pages.get(name)
    return row


def report_tables(report: Report, ingested_at: datetime) -> dict[str, Rows]:
    """Every row the report contributes, by table name (tables with no rows are left out)."""
    rid = report.report_id
    tables: dict[str, Rows] = {
        "reports": [report_row(report, ingested_at)],
        "headline_scores": [{"report_id": rid, **asdict(score)} for score in report.headline],
        "section_scores": [
            {"report_id": rid, "section": s.n, "title": s.title, "score": s.overall, "page": s.page}
            for s in report.sections
        ],
        "criterion_scores": [
            {
                "report_id": rid,
                "criterion": c.code,
                "section": c.section,
                "title": c.title,
                "general_criterion": c.general_criterion,
                "score": c.score,
                "improvement": c.improvement,
                "page": c.page,
            }
            for c in report.criteria
        ],
        # CCI criteria and 2018+ standards alike: `criterion` holds the code either way
        "findings": [
            {
                "finding_id": finding_id(rid, code, f.kind, f.seq),
                "report_id": rid,
                "criterion": code,
                "kind": f.kind,
                "seq": f.seq,
                "text": f.text,
                "page": f.page,
                "boxes": boxes_json(f.boxes),
            }
            for code, f in report.coded_findings()
        ],
        "recommendations": [
            {
                "recommendation_id": recommendation_id(rid, r.seq),
                "report_id": rid,
                "seq": r.seq,
                "text": r.text,
                "responsible": r.responsible,
                "page": r.page,
                "boxes": boxes_json(r.boxes),
            }
            for r in report.recommendations
        ],
        "good_practice": [
            {
                "good_practice_id": good_practice_id(rid, n),
                "report_id": rid,
                "seq": n,
                "section_title": g.section_title,
                "criterion": g.criterion,
                "text": g.text,
                "page": g.page,
                "boxes": boxes_json(g.boxes),
            }
            for n, g in enumerate(report.good_practice, start=1)
        ],
        "service_user_feedback": list(_feedback_rows(report)),
        # CCI only: the 2018+ framework states its context as `context_facts` instead, and
        # the generic layer reads no context at all
        "area_context": (
            [{"report_id": rid, **asdict(report.context)}]
            if report.template.startswith("cci") or report.context != AreaContext() else []
        ),
        "glossary": [
            {"report_id": rid, "term": e.term, "definition": e.definition, "page": e.page}
            for e in report.glossary
        ],
        "standard_ratings": [
            {
                "report_id": rid,
                "code": s.code,
                "title": s.title,
                "domain": s.domain,
                "rating": s.rating,
                "in_score": s.in_score,
                "page": s.page,
                "statement": s.statement,
                "section_rating": s.section_rating,
                "section_page": s.section_page,
            }
            for s in report.standards
        ],
        "inspection_questions": [
            {
                "report_id": rid,
                "question_id": q.question_id,
                "parent_id": q.parent_id,
                "standard": q.standard,
                "text": q.text,
                "percent_yes": q.percent_yes,
                "page": q.page,
                "body_percent": q.body_percent,
            }
            for q in report.questions
        ],
        "context_facts": [
            {"report_id": rid, "seq": n, **asdict(fact)}
            for n, fact in enumerate(report.context_facts, start=1)
        ],
    }
    tables["passages"] = [
        {
            "passage_id": passage_id(rid, p.seq),
            "report_id": rid,
            "section": p.section,
            "kind": p.kind,
            "seq": p.seq,
            "text": p.text,
            "page": p.page,
        }
        for p in report.passages
    ]
    tables["report_ratings"] = [
        {"report_id": rid, "seq": n, "name": r.name, "rating": r.rating, "section": r.section,
         "page": r.page}
        for n, r in enumerate(report.ratings, start=1)
    ]
    if report.source.kind == "html":
        _without_pages(tables)
    return {name: rows for name, rows in tables.items() if rows}


def _without_pages(tables: dict[str, Rows]) -> None:
    """A web page's values: no physical page and no box (the reader's pseudo-pages are only
    its sections laid out for the templates); `trace` finds them by their section instead."""
    for rows in tables.values():
        for row in rows:
            for column in row:
                if column == "page" or column.endswith("_page"):
                    row[column] = None
            if "boxes" in row:
                row["boxes"] = None


def _feedback_rows(report: Report) -> Iterable[dict[str, Any]]:
    """One row per point; a group that made no points still gets one row (seq and text NULL)."""
    for group in report.service_users:
        base = {
            "report_id": report.report_id,
            "respondent_group": group.group,
            "respondents": group.respondents,
            "page": group.page,
        }
        if not group.points:
            yield {**base, "seq": None, "text": None}
        for seq, text in enumerate(group.points, start=1):
            yield {**base, "seq": seq, "text": text}
