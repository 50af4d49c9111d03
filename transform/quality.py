"""Data-quality checks on a parsed Report: does what we read hang together?

A report that parses but fails a check is still loaded, flagged: each check becomes a row of
`data_quality` (report_id, check_name, passed, detail) and `findings status` lists the failures.
The checks only compare things the report itself states (the foreword's figures against the
scoring table, the items' own numbers), so a failure points at a misread, not at the report.
Plain functions over the model: no PDF, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from transform.model import DOMAINS, RATINGS, Report

# The eight criteria of the 2009-2012 Core Case Inspection framework, by section.
CCI_CRITERIA: tuple[str, ...] = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2")
CCI_SECTIONS: tuple[int, ...] = (1, 2, 3)
# Least share of the document's characters the parser must account for. Correct parses of the
# real report and the corpus sit near 0.7 (headings, contents, commentary prose and tables make
# up the rest); losing a whole part of the report (findings, glossary) drops well below this.
MIN_TEXT_COVERAGE = 0.5
# The 2018+ framework's published rules (HM Inspectorate of Probation, youth inspections):
# a key-question standard takes the band of its lowest key-question percentage; the score is
# the sum of the 12 scored standards' points, out of 36; the overall rating is the score's band.
# (lowest value of the band, rating), highest band first
YJS_PERCENT_BANDS: tuple[tuple[int, str], ...] = (
    (80, "Outstanding"), (65, "Good"), (50, "Requires improvement"), (0, "Inadequate"),
)
YJS_SCORE_BANDS: tuple[tuple[int, str], ...] = (
    (31, "Outstanding"), (19, "Good"), (7, "Requires improvement"), (0, "Inadequate"),
)
YJS_POINTS: dict[str, int] = {
    "Outstanding": 3, "Good": 2, "Requires improvement": 1, "Inadequate": 0,
}
YJS_SCORED_STANDARDS = 12
YJS_SCORE_MAX = 3 * YJS_SCORED_STANDARDS

_Key = TypeVar("_Key")


@dataclass(frozen=True)
class Check:
    """The outcome of one check: `detail` says what was compared, in a sentence."""

    name: str
    passed: bool
    detail: str


def check_report(report: Report) -> list[Check]:
    """Run every check for the report's template (unknown templates get only the generic ones)."""
    checks: list[Callable[[Report], Check]] = [_parser_warnings, _text_coverage]
    if report.template.startswith("cci"):
        checks = [
            _headline_scores,
            _foreword_matches_scoring,
            _criteria_complete,
            _findings_numbered,
            _recommendations_numbered,
            _section_scores,
            *checks,
        ]
    elif report.template == "yjs-2018":
        checks = [
            _standards_rated,
            _section_ratings_agree,
            _key_question_bands,
            _score_matches_ratings,
            _overall_rating_matches_score,
            _annex_matches_body,
            _findings_numbered,
            _recommendations_numbered,
            *checks,
        ]
    elif report.passages:  # the generic layer: only what every report of the Inspectorate has
        checks = [_generic_findings_numbered, *checks]
    return [check(report) for check in checks]


def _generic_findings_numbered(report: Report) -> Check:
    """Generic layer: each section's listed strengths and improvements run 1..n (no check
    that there are any: a thematic report may list none)."""
    by_list: dict[tuple[str, str], list[int]] = {}
    for section, finding in report.section_findings:
        by_list.setdefault((section, finding.kind), []).append(finding.seq)
    problems = [f"{section} {kind}: {problem}" for (section, kind), seqs in by_list.items()
                if (problem := _numbering_problem(seqs))]
    return _verdict("findings_numbered", problems,
                    f"{len(report.section_findings)} findings, each list numbered 1..n")


def failed(checks: Iterable[Check]) -> list[Check]:
    return [c for c in checks if not c.passed]


# ----------------------------------------------------------------------------- the checks
def _headline_scores(report: Report) -> Check:
    scores = {h.domain: h.score for h in report.headline}
    problems = [
        f"{d} {'missing' if scores.get(d) is None else f'{scores[d]}% out of range'}"
        for d in _not_percent(scores, DOMAINS)
    ]
    return _verdict("headline_scores", problems, "three headline scores, each 0..100%")


def _foreword_matches_scoring(report: Report) -> Check:
    """The foreword's "done well enough 64% of the time" must equal the scoring table's 64%."""
    said = report.foreword_scores
    table = {h.domain: h.score for h in report.headline}
    if not said:
        return Check("foreword_matches_scoring", False, "no headline figures found in the foreword")
    parts, ok = [], True
    for domain in DOMAINS:
        words, score = said.get(domain), table.get(domain)
        same = words is not None and words == score
        ok = ok and same
        parts.append(f"{domain}: foreword {_pct(words)}, scoring table {_pct(score)}")
    return Check("foreword_matches_scoring", ok, "; ".join(parts))


def _criteria_complete(report: Report) -> Check:
    found = {c.code: c.score for c in report.criteria}
    missing = [code for code in CCI_CRITERIA if code not in found]
    unscored = [code for code in _not_percent(found, CCI_CRITERIA) if code in found]
    extra = sorted(set(found) - set(CCI_CRITERIA))
    problems = []
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    if unscored:
        problems.append(f"no score in 0..100 for {', '.join(unscored)}")
    if extra:
        problems.append(f"unexpected {', '.join(extra)}")
    return _verdict("criteria_complete", problems, "all eight criteria, each scored 0..100%")


def _findings_numbered(report: Report) -> Check:
    """Strengths and areas for improvement under each criterion (CCI) or standard (2018+) run
    1..n with no gap."""
    problems = []
    for heading in [*report.criteria, *report.standards]:
        for label, items in (("strengths", heading.strengths),
                             ("improvements", heading.improvements)):
            problem = _numbering_problem([f.seq for f in items])
            if problem:
                problems.append(f"{heading.code} {label}: {problem}")
    total = len(report.coded_findings())
    if total == 0:
        problems.append("no strengths or areas for improvement at all")
    return _verdict("findings_numbered", problems, f"{total} findings, each list numbered 1..n")


def _recommendations_numbered(report: Report) -> Check:
    seqs = [r.seq for r in report.recommendations]
    problem = "none found" if not seqs else _numbering_problem(seqs)
    return Check(
        "recommendations_numbered",
        problem is None,
        problem or f"{len(seqs)} recommendations numbered 1..{len(seqs)}",
    )


def _section_scores(report: Report) -> Check:
    scores = {s.n: s.overall for s in report.sections}
    problems = [
        f"section {n} {'missing' if n not in scores else 'has no overall score in 0..100'}"
        for n in _not_percent(scores, CCI_SECTIONS)
    ]
    return _verdict("section_scores", problems, "three sections, each with an OVERALL SCORE")


# ----------------------------------------------------------------------------- 2018+ checks
def _standards_rated(report: Report) -> Check:
    """Every standard in the Ratings table has one of the four ratings."""
    problems = [
        f"{s.code} {'not rated' if s.rating is None else f'rated {s.rating!r}'}"
        for s in report.standards if s.rating not in RATINGS
    ]
    if not report.standards:
        problems.append("no standards found")
    return _verdict("standards_rated", problems,
                    f"{len(report.standards)} standards, each rated")


def _section_ratings_agree(report: Report) -> Check:
    """The "Rating:" in each standard's own section equals the Ratings table's."""
    problems = [
        f"{s.code}: ratings table {s.rating or 'missing'}, section "
        f"{s.section_rating or 'missing'}"
        for s in report.standards if s.section_rating != s.rating
    ]
    return _verdict("section_ratings_agree", problems,
                    f"{len(report.standards)} section ratings equal the ratings table")


def _key_question_bands(report: Report) -> Check:
    """A standard judged on key questions has the band of its lowest key-question %."""
    key: dict[str, list[int | None]] = {}
    for q in report.questions:
        if q.parent_id is None:
            pct = q.percent_yes if q.percent_yes is not None else q.body_percent
            key.setdefault(q.standard, []).append(pct)
    ratings = {s.code: s.rating for s in report.standards}
    problems = []
    for code, percents in sorted(key.items(), key=lambda item: _code_order(item[0])):
        if any(not _is_percent(p) for p in percents):
            problems.append(f"{code}: a key question has no percentage in 0..100")
            continue
        lowest = min(p for p in percents if p is not None)
        band = yjs_percent_band(lowest)
        if ratings.get(code) != band:
            problems.append(f"{code}: lowest key question {lowest}% is {band}, rated "
                            f"{ratings.get(code) or 'missing'}")
    if not key:
        problems.append("no key questions found")
    return _verdict("key_question_bands", problems,
                    f"{len(key)} standards rated by the band of their lowest key question")


def _score_matches_ratings(report: Report) -> Check:
    """Score = points of the 12 scored standards (3/2/1/0), out of 36."""
    scored = [s for s in report.standards if s.in_score]
    points = sum(YJS_POINTS.get(s.rating or "", 0) for s in scored)
    problems = []
    if len(scored) != YJS_SCORED_STANDARDS:
        problems.append(f"{len(scored)} scored standards, not {YJS_SCORED_STANDARDS}")
    if report.rating_score_max != YJS_SCORE_MAX:
        problems.append(f"score out of {report.rating_score_max}, not {YJS_SCORE_MAX}")
    if report.rating_score != points:
        problems.append(f"score {report.rating_score}, the ratings give {points}")
    return _verdict("score_matches_ratings", problems,
                    f"score {points}/{YJS_SCORE_MAX} from {len(scored)} scored standards")


def _overall_rating_matches_score(report: Report) -> Check:
    score = report.rating_score
    if score is None or not 0 <= score <= YJS_SCORE_MAX:
        return Check("overall_rating_matches_score", False, f"no score in 0..{YJS_SCORE_MAX}")
    band = yjs_score_band(score)
    return Check(
        "overall_rating_matches_score",
        report.overall_rating == band,
        f"score {score} is {band}; overall rating {report.overall_rating or 'missing'}",
    )


def _annex_matches_body(report: Report) -> Check:
    """Key questions printed twice (standard's table, annex) carry the same percentage."""
    both = [q for q in report.questions if q.parent_id is None
            and q.percent_yes is not None and q.body_percent is not None]
    problems = [f"{q.question_id}: annex {q.percent_yes}%, body {q.body_percent}%"
                for q in both if q.percent_yes != q.body_percent]
    return _verdict("annex_matches_body", problems,
                    f"{len(both)} key questions with both figures agree")


def yjs_percent_band(percent: int) -> str:
    """80-100 Outstanding, 65-79 Good, 50-64 Requires improvement, 0-49 Inadequate."""
    return next(rating for low, rating in YJS_PERCENT_BANDS if percent >= low)


def yjs_score_band(score: int) -> str:
    """31-36 Outstanding, 19-30 Good, 7-18 Requires improvement, 0-6 Inadequate."""
    return next(rating for low, rating in YJS_SCORE_BANDS if score >= low)


def _code_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split(".") if part.isdigit())


def _parser_warnings(report: Report) -> Check:
    return _verdict("parser_warnings", report.warnings, "the parser read every part")


def _text_coverage(report: Report) -> Check:
    """How much of the document's text ended up in a field of the Report."""
    total = report.text_chars
    if not total:
        return Check("text_coverage", False, "the parser did not say how much text it saw")
    share = accounted_chars(report) / total
    return Check(
        "text_coverage",
        share >= MIN_TEXT_COVERAGE,
        f"{share:.0%} of {total} characters accounted for (at least {MIN_TEXT_COVERAGE:.0%})",
    )


# ----------------------------------------------------------------------------- helpers
def _verdict(name: str, problems: list[str], all_good: str) -> Check:
    """Passed when nothing is wrong; the detail lists the problems, or says what was fine."""
    return Check(name, not problems, "; ".join(problems) if problems else all_good)


def _not_percent(scores: Mapping[_Key, int | None], expected: Iterable[_Key]) -> list[_Key]:
    """The expected keys without a 0..100 score (absent, None or out of range), in order."""
    return [key for key in expected if not _is_percent(scores.get(key))]


def accounted_chars(report: Report) -> int:
    """Characters of the document's text the Report holds as values."""
    texts: list[str | None] = [
        report.title, report.area, report.isbn, report.chief_inspector, report.lead_inspector,
    ]
    for criterion in report.criteria:
        texts += [criterion.title, criterion.general_criterion]
        texts += [f.text for f in criterion.findings]
    texts += [s.title for s in report.sections]
    texts += [t for r in report.recommendations for t in (r.text, r.responsible)]
    texts += [t for g in report.good_practice for t in (g.text, g.section_title)]
    texts += [p for group in report.service_users for p in group.points]
    texts += [e.term for e in report.glossary] + [e.definition for e in report.glossary]
    # the 2018+ framework (empty for CCI reports)
    texts += [report.service_name, report.overall_rating]
    for standard in report.standards:
        texts += [standard.title, standard.statement, standard.rating]
        texts += [f.text for f in standard.findings]
    texts += [q.text for q in report.questions]
    texts += [t for fact in report.context_facts for t in (fact.label, fact.comparator_label)]
    # the generic layer keeps the whole body as passages
    texts += [p.text for p in report.passages]
    return sum(len(t) for t in texts if t)


def _numbering_problem(seqs: list[int]) -> str | None:
    """None when `seqs` is exactly 1..n (or empty); else what is wrong with it."""
    if not seqs or seqs == list(range(1, len(seqs) + 1)):
        return None
    expected = set(range(1, max(seqs) + 1))
    gaps = sorted(expected - set(seqs))
    dupes = sorted({s for s in seqs if seqs.count(s) > 1})
    parts = [f"numbered {', '.join(map(str, seqs))}"]
    if gaps:
        parts.append(f"missing {', '.join(map(str, gaps))}")
    if dupes:
        parts.append(f"repeated {', '.join(map(str, dupes))}")
    return " ".join(parts)


def _is_percent(value: int | None) -> bool:
    return value is not None and 0 <= value <= 100


def _pct(value: int | None) -> str:
    return "missing" if value is None else f"{value}%"
