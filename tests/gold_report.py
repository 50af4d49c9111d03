"""Build a Report from a gold JSON file, so the loader can be tested without any PDF parser.

Gold files hold the truth but no page numbers; every value gets the placeholder page `PAGE` so
provenance columns are filled and the loader's NOT NULL rules are exercised.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from transform.model import (
    AreaContext,
    ContextFact,
    Criterion,
    Finding,
    GlossaryEntry,
    GoodPractice,
    HeadlineScore,
    InspectionQuestion,
    Recommendation,
    Report,
    Section,
    ServiceUserGroup,
    SourceFile,
    StandardRating,
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


# ----------------------------------------------------------------------------- 2018+ framework
YJS_TEMPLATE = "yjs-2018"
YJS_CORPUS_DIR = "corpus-yjs"
COMPARATOR_SUFFIX = "_england_wales"


def yjs_report_from_gold(
    gold: dict, sha256: str, path: str | Path, *, pages: int = 60, size_bytes: int = 0
) -> Report:
    """The Report a perfect 2018+ parser would return for the PDF described by `gold`.

    The gold has one percentage per question: key questions get it both as the annex figure
    (`percent_yes`) and as the body's (`body_percent`), and every standard's section states the
    same rating as the Ratings table, as in a consistent report.
    """
    source = SourceFile(path=str(path), sha256=sha256, pages=pages, size_bytes=size_bytes)
    findings: dict[tuple[str, str], list[Finding]] = {}
    for f in gold.get("findings", []):
        findings.setdefault((f["code"], f["kind"]), []).append(
            Finding(f["kind"], f["n"], f["text"], PAGE)
        )
    standards = [
        StandardRating(
            code=r["code"],
            title=r["title"],
            rating=r.get("rating"),
            in_score=bool(r.get("in_score")),
            page=PAGE,
            statement=None,
            section_rating=r.get("rating"),
            section_page=PAGE,
            strengths=findings.get((r["code"], "strength"), []),
            improvements=findings.get((r["code"], "improvement"), []),
        )
        for r in gold.get("ratings", [])
    ]
    questions = [
        InspectionQuestion(
            question_id=q["id"],
            parent_id=q.get("parent"),
            standard=q["standard"],
            text=q["text"],
            percent_yes=q.get("percent"),
            page=PAGE,
            body_percent=q.get("percent") if q.get("parent") is None else None,
        )
        for q in gold.get("questions", [])
    ]
    cases = gold.get("cases", {})
    return Report(
        source=source,
        template=YJS_TEMPLATE,
        parser_version=GOLD_PARSER_VERSION,
        title=gold.get("title"),
        area=gold.get("area"),
        year=gold.get("year"),
        chief_inspector=gold.get("chief_inspector"),
        published_month=month(gold.get("published")),
        lead_inspector=gold.get("lead_inspector"),
        field_pages={"area": PAGE, "overall_rating": PAGE},
        recommendations=[
            Recommendation(r["n"], r["text"], r.get("responsible"), PAGE)
            for r in gold.get("recommendations", [])
        ],
        service_name=gold.get("service_name"),
        overall_rating=gold.get("overall_rating"),
        rating_score=gold.get("score"),
        rating_score_max=gold.get("score_max"),
        court_cases=cases.get("court"),
        out_of_court_cases=cases.get("out_of_court"),
        standards=standards,
        questions=questions,
        context_facts=context_facts(gold.get("context", {})),
    )


def context_facts(context: dict, prefix: str = "") -> list[ContextFact]:
    """The gold's context dict as facts: `x` with `x_england_wales` as its comparator."""
    facts: list[ContextFact] = []
    for key, value in context.items():
        if key.endswith(COMPARATOR_SUFFIX):
            continue
        if isinstance(value, dict):
            facts += context_facts(value, f"{prefix}{key} ")
            continue
        comparator = context.get(key + COMPARATOR_SUFFIX)
        label = f"{prefix}{key}".replace("_pct", "").replace("_", " ")
        facts.append(ContextFact(
            label=label[:1].upper() + label[1:],
            value=float(value) if value is not None else None,
            comparator_label="England and Wales" if comparator is not None else None,
            comparator_value=float(comparator) if comparator is not None else None,
            unit="%" if "pct" in key else None,
            page=PAGE,
        ))
    return facts
