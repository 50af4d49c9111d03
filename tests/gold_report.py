"""Build a Report from a gold JSON file, so the loader can be tested without any PDF parser.

Gold files hold the truth but no page numbers; every value gets the placeholder page `PAGE` so
provenance columns are filled and the loader's NOT NULL rules are exercised.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from transform.model import (
    AreaContext,
    Criterion,
    Finding,
    GlossaryEntry,
    GoodPractice,
    HeadlineScore,
    Recommendation,
    Report,
    Section,
    ServiceUserGroup,
    SourceFile,
)

PAGE = 1
GOLD_PARSER_VERSION = "gold"


def month(text: str | None) -> date | None:
    """'March 2011' -> date(2011, 3, 1)."""
    if not text:
        return None
    return datetime.strptime(text.strip(), "%B %Y").date()


def level(comment: str | None) -> str | None:
    return comment.lower() if comment else None


def report_from_gold(
    gold: dict, sha256: str, path: str | Path, *, pages: int = 40, size_bytes: int = 0
) -> Report:
    """The Report a perfect parser would return for the PDF described by `gold`."""
    source = SourceFile(path=str(path), sha256=sha256, pages=pages, size_bytes=size_bytes)
    criteria = [
        Criterion(
            code=c["code"],
            section=int(c["code"].split(".")[0]),
            title=c["title"],
            general_criterion=c.get("general_criterion", ""),
            score=c.get("score"),
            improvement=level(c.get("comment")),
            page=PAGE,
            strengths=[
                Finding("strength", f["n"], f["text"], PAGE) for f in c.get("strengths", [])
            ],
            improvements=[
                Finding("improvement", f["n"], f["text"], PAGE) for f in c.get("improvements", [])
            ],
        )
        for c in gold.get("criteria", [])
    ]
    users = [
        ServiceUserGroup(
            group=name, respondents=g.get("respondents"), points=g.get("points", []), page=PAGE
        )
        for name, g in gold.get("service_users", {}).items()
    ]
    context_fields = set(AreaContext.__dataclass_fields__) - {"page"}
    context = AreaContext(
        **{k: v for k, v in gold.get("context", {}).items() if k in context_fields}, page=PAGE
    )
    return Report(
        source=source,
        template=gold["template"],
        parser_version=GOLD_PARSER_VERSION,
        title=gold.get("title"),
        area=gold.get("area"),
        year=gold.get("year"),
        isbn=gold.get("isbn"),
        chief_inspector=gold.get("chief_inspector"),
        published_month=month(gold.get("foreword_date")),
        fieldwork_month=month(gold.get("fieldwork")),
        lead_inspector=gold.get("lead_inspector"),
        field_pages={"area": PAGE, "isbn": PAGE},
        headline=[
            HeadlineScore(
                domain=h["domain"],
                score=h.get("score"),
                improvement=level(h.get("comment")),
                national_lowest=h.get("lowest"),
                national_highest=h.get("highest"),
                national_average=h.get("average"),
                page=PAGE,
            )
            for h in gold.get("headline", [])
        ],
        sections=[
            Section(n=s["n"], title=s["title"], overall=s.get("overall"), page=PAGE)
            for s in gold.get("sections", [])
        ],
        criteria=criteria,
        recommendations=[
            Recommendation(r["n"], r["text"], r.get("responsible"), PAGE)
            for r in gold.get("recommendations", [])
        ],
        good_practice=[
            GoodPractice(g.get("area", ""), g.get("criterion"), g["text"], PAGE)
            for g in gold.get("good_practice", [])
        ],
        service_users=users,
        context=context,
        glossary=[
            GlossaryEntry(e["term"], e["definition"], PAGE) for e in gold.get("glossary", [])
        ],
    )
