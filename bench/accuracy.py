"""Field-by-field accuracy of parsed reports against hand-made gold JSON.

    python bench/accuracy.py DB GOLD_DIR_OR_FILES...          # compare a loaded DuckDB file
    python bench/accuracy.py --from-pdf PDFS_OR_DIRS...       # parse PDFs directly, no DB
    python bench/accuracy.py --from-pdf ../shared/web-pages   # web pages (.html) the same way
    python bench/accuracy.py --from-pdf --generic ../shared/corpus-yjs  # the generic layer

Both report families: CCI golds (../shared/corpus, ../shared/reports) and 2018+ golds
(../shared/corpus-yjs, `"template": "yjs_2018"`) are told apart by the gold's template and the
report's, and each is flattened into its own checks.

Gold values that the PDF itself never states (e.g. a YJB judgement date the synthetic corpus
dropped from the text) cannot be read by any parser: in --from-pdf mode they are listed as
"not stated" and left out of the accuracy, never silently. Every other gold value is one check
(each finding text, each score, each glossary row...); a missing
or an extra item is an error. Texts are compared after collapsing whitespace. `flatten_gold`,
`flatten_report` and `compare` are importable so tests use the same rules.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_HYPHEN_SPACE = re.compile(r"(?<=[A-Za-z])- (?=[a-z])")
MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        # a space after a hyphen ("well- being") is whitespace a line end may swallow
        return _HYPHEN_SPACE.sub("-", " ".join(value.split()))
    if isinstance(value, float) and value.is_integer():
        return value
    return value


def _month_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value[:10]
        year, month = int(value[:4]), int(value[5:7])
    else:
        year, month = value.year, value.month
    return f"{MONTH_NAMES[month - 1]} {year}"


def _upper(value: str | None) -> str | None:
    return value.upper() if isinstance(value, str) else value


YJS_META = (
    "title", "area", "service_name", "year", "lead_inspector", "chief_inspector",
    "overall_rating",
)


def flatten_gold(gold: dict) -> dict[str, Any]:
    """Gold JSON -> {check key: expected value}."""
    if str(gold.get("template", "")).startswith("yjs"):
        return flatten_yjs_gold(gold)
    facts: dict[str, Any] = {}
    for key in ("title", "area", "year", "isbn", "chief_inspector", "lead_inspector"):
        facts[f"meta.{key}"] = gold.get(key)
    facts["meta.published_month"] = gold.get("foreword_date")
    facts["meta.fieldwork_month"] = gold.get("fieldwork")
    for h in gold.get("headline", []):
        for key in ("score", "comment", "lowest", "highest", "average"):
            facts[f"headline.{h['domain']}.{key}"] = h.get(key)
    for s in gold.get("sections", []):
        facts[f"section.{s['n']}.title"] = s.get("title")
        facts[f"section.{s['n']}.overall"] = s.get("overall")
    for c in gold.get("criteria", []):
        code = c["code"]
        for key in ("title", "general_criterion", "score", "comment"):
            facts[f"criterion.{code}.{key}"] = c.get(key)
        for kind, key in (("strength", "strengths"), ("improvement", "improvements")):
            items = c.get(key, [])
            for item in items:
                facts[f"finding.{code}.{kind}.{item['n']}"] = item["text"]
    for rec in gold.get("recommendations", []):
        facts[f"recommendation.{rec['n']}.text"] = rec["text"]
        facts[f"recommendation.{rec['n']}.responsible"] = rec.get("responsible")
    for i, gp in enumerate(gold.get("good_practice", []), start=1):
        facts[f"good_practice.{i}.section_title"] = gp.get("area")
        facts[f"good_practice.{i}.criterion"] = gp.get("criterion")
        facts[f"good_practice.{i}.text"] = gp.get("text")
    for group, data in gold.get("service_users", {}).items():
        facts[f"service_users.{group}.respondents"] = data.get("respondents")
        for i, point in enumerate(data.get("points", []), start=1):
            facts[f"service_users.{group}.point.{i}"] = point
    for key, value in gold.get("context", {}).items():
        facts[f"context.{key}"] = value
    rows = gold.get("glossary", [])
    facts.update(_glossary_facts((row["term"], row["definition"]) for row in rows))
    return {k: _norm(v) for k, v in facts.items()}


def flatten_yjs_gold(gold: dict) -> dict[str, Any]:
    """A 2018+ gold JSON -> {check key: expected value}; `context` is not part of the truth."""
    facts: dict[str, Any] = {f"meta.{key}": gold.get(key) for key in YJS_META}
    facts["meta.published_month"] = gold.get("published")
    facts["meta.score"] = gold.get("score")
    facts["meta.score_max"] = gold.get("score_max")
    for key in ("court", "out_of_court"):
        facts[f"cases.{key}"] = gold.get("cases", {}).get(key)
    for rating in gold.get("ratings", []):
        for key in ("title", "rating", "in_score"):
            facts[f"rating.{rating['code']}.{key}"] = rating.get(key)
    for q in gold.get("questions", []):
        facts[f"question.{q['id']}.standard"] = q.get("standard")
        facts[f"question.{q['id']}.parent"] = q.get("parent")
        facts[f"question.{q['id']}.text"] = q.get("text")
        facts[f"question.{q['id']}.percent"] = q.get("percent")
    for f in gold.get("findings", []):
        facts[f"finding.{f['code']}.{f['kind']}.{f['n']}"] = f["text"]
    for rec in gold.get("recommendations", []):
        facts[f"recommendation.{rec['n']}.text"] = rec["text"]
        facts[f"recommendation.{rec['n']}.responsible"] = rec.get("responsible")
    return {k: _norm(v) for k, v in facts.items()}


def flatten_yjs_report(report) -> dict[str, Any]:
    """A 2018+ Report -> the keys of flatten_yjs_gold."""
    facts: dict[str, Any] = {f"meta.{key}": getattr(report, key) for key in YJS_META}
    facts["meta.published_month"] = _month_text(report.published_month)
    facts["meta.score"] = report.rating_score
    facts["meta.score_max"] = report.rating_score_max
    facts["cases.court"] = report.court_cases
    facts["cases.out_of_court"] = report.out_of_court_cases
    for s in report.standards:
        facts[f"rating.{s.code}.title"] = s.title
        facts[f"rating.{s.code}.rating"] = s.rating
        facts[f"rating.{s.code}.in_score"] = s.in_score
    for q in report.questions:
        facts[f"question.{q.question_id}.standard"] = q.standard
        facts[f"question.{q.question_id}.parent"] = q.parent_id
        facts[f"question.{q.question_id}.text"] = q.text
        facts[f"question.{q.question_id}.percent"] = q.percent_yes
    for code, f in report.coded_findings():
        facts[f"finding.{code}.{f.kind}.{f.seq}"] = f.text
    for rec in report.recommendations:
        facts[f"recommendation.{rec.seq}.text"] = rec.text
        facts[f"recommendation.{rec.seq}.responsible"] = rec.responsible
    return {k: _norm(v) for k, v in facts.items()}


def flatten_generic_gold(gold: dict) -> dict[str, Any]:
    """What the generic HMI Probation layer should read of a 2018+ gold: title, area, overall
    rating, every finding (by the standard whose heading it is listed under) and every
    recommendation's text."""
    facts: dict[str, Any] = {f"meta.{key}": gold.get(key)
                             for key in ("title", "area", "overall_rating")}
    for f in gold.get("findings", []):
        facts[f"finding.{f['code']}.{f['kind']}.{f['n']}"] = f["text"]
    for rec in gold.get("recommendations", []):
        facts[f"recommendation.{rec['n']}.text"] = rec["text"]
    return {k: _norm(v) for k, v in facts.items()}


def flatten_generic_report(report) -> dict[str, Any]:
    """A generic-layer Report -> the keys of flatten_generic_gold (a finding's code is the
    number its section's last heading starts with: "2. Court disposals > 2.1. Assessment")."""
    facts: dict[str, Any] = {f"meta.{key}": getattr(report, key)
                             for key in ("title", "area", "overall_rating")}
    for section, f in report.section_findings:
        head = section.rsplit(" > ", 1)[-1]
        code = re.match(r"^(\d+(?:\.\d+)*)", head)
        facts[f"finding.{code.group(1) if code else head}.{f.kind}.{f.seq}"] = f.text
    for rec in report.recommendations:
        facts[f"recommendation.{rec.seq}.text"] = rec.text
    return {k: _norm(v) for k, v in facts.items()}


def flatten_report(report) -> dict[str, Any]:
    """A transform.model.Report -> {check key: value}, same keys as flatten_gold."""
    if report.template.startswith("yjs"):
        return flatten_yjs_report(report)
    facts: dict[str, Any] = {}
    for key in ("title", "area", "year", "isbn", "chief_inspector", "lead_inspector"):
        facts[f"meta.{key}"] = getattr(report, key)
    facts["meta.published_month"] = _month_text(report.published_month)
    facts["meta.fieldwork_month"] = _month_text(report.fieldwork_month)
    for h in report.headline:
        facts[f"headline.{h.domain}.score"] = h.score
        facts[f"headline.{h.domain}.comment"] = _upper(h.improvement)
        facts[f"headline.{h.domain}.lowest"] = h.national_lowest
        facts[f"headline.{h.domain}.highest"] = h.national_highest
        facts[f"headline.{h.domain}.average"] = h.national_average
    for s in report.sections:
        facts[f"section.{s.n}.title"] = s.title
        facts[f"section.{s.n}.overall"] = s.overall
    for c in report.criteria:
        facts[f"criterion.{c.code}.title"] = c.title
        facts[f"criterion.{c.code}.general_criterion"] = c.general_criterion
        facts[f"criterion.{c.code}.score"] = c.score
        facts[f"criterion.{c.code}.comment"] = _upper(c.improvement)
        for f in c.findings:
            facts[f"finding.{c.code}.{f.kind}.{f.seq}"] = f.text
    for rec in report.recommendations:
        facts[f"recommendation.{rec.seq}.text"] = rec.text
        facts[f"recommendation.{rec.seq}.responsible"] = rec.responsible
    for i, gp in enumerate(report.good_practice, start=1):
        facts[f"good_practice.{i}.section_title"] = gp.section_title
        facts[f"good_practice.{i}.criterion"] = gp.criterion
        facts[f"good_practice.{i}.text"] = gp.text
    for group in report.service_users:
        facts[f"service_users.{group.group}.respondents"] = group.respondents
        for i, point in enumerate(group.points, start=1):
            facts[f"service_users.{group.group}.point.{i}"] = point
    ctx = report.context
    for key in (
        "region", "population", "census_year", "pct_aged_10_17", "pct_aged_10_17_national",
        "pct_bme", "pct_bme_national", "pct_white_british", "offences_per_1000",
        "offences_per_1000_national", "yjb_score", "yjb_max", "yjb_judgement",
        "yjb_judgement_date",
    ):
        facts[f"context.{key}"] = getattr(ctx, key)
    facts.update(_glossary_facts((row.term, row.definition) for row in report.glossary))
    return {k: _norm(v) for k, v in facts.items()}


def _glossary_facts(rows) -> dict[str, str]:
    """Glossary rows keyed by term, so one missing row costs one check, not every later one."""
    facts: dict[str, str] = {}
    for term, definition in rows:
        key = f"glossary.{' '.join(str(term).split())}"
        while key in facts:
            key += "'"
        facts[key] = f"{term} = {definition}"
    return facts


_LIST_KEY = re.compile(
    r"^(finding|recommendation|good_practice|glossary|section|criterion|rating|question"
    r"|service_users\.\w+\.point)\."
)


@dataclass
class Score:
    """Checks and errors, overall and per part (the key's first segment)."""

    checks: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    mismatches: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    unstated: list[tuple[str, str, Any]] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.checks.update(other.checks)
        self.errors.update(other.errors)
        self.mismatches.extend(other.mismatches)
        self.unstated.extend(other.unstated)

    @property
    def total(self) -> int:
        return sum(self.checks.values())

    @property
    def wrong(self) -> int:
        return sum(self.errors.values())

    @property
    def accuracy(self) -> float:
        return 1.0 - self.wrong / self.total if self.total else 0.0


def compare(
    gold: dict[str, Any], got: dict[str, Any], name: str = "", source_text: str | None = None
) -> Score:
    """Each gold key is one check; each extra list item in `got` is one more failed check.

    With `source_text`, a gold context/metadata string that occurs nowhere in the source is
    recorded in `unstated` instead of being checked.
    """
    score = Score()
    flat = " ".join(source_text.split()) if source_text is not None else None
    for key, expected in gold.items():
        part = key.split(".", 1)[0]
        if (
            flat is not None
            and part in ("context", "meta")
            and isinstance(expected, str)
            and expected not in flat
            and got.get(key) is None
        ):
            score.unstated.append((name, key, expected))
            continue
        score.checks[part] += 1
        actual = got.get(key)
        if not _equal(expected, actual):
            score.errors[part] += 1
            score.mismatches.append((name, key, expected, actual))
    for key, actual in got.items():
        if key in gold or not _LIST_KEY.match(key):
            continue
        if key.startswith(("section.", "criterion.")) and actual is None:
            continue
        part = key.split(".", 1)[0]
        score.checks[part] += 1
        score.errors[part] += 1
        score.mismatches.append((name, key, None, actual))
    return score


def _equal(expected: Any, actual: Any) -> bool:
    if isinstance(expected, float) or isinstance(actual, float):
        try:
            return abs(float(expected) - float(actual)) < 1e-6
        except (TypeError, ValueError):
            return False
    return expected == actual


# ----------------------------------------------------------------------------- finding the gold
def gold_for(pdf_name: str, gold_files: dict[str, Path]) -> Path | None:
    """x.pdf / x.chromium.pdf / x.html -> x.gold.json by file name stem."""
    stem = Path(pdf_name).name
    stem = re.sub(r"\.(pdf|html?)$", "", stem, flags=re.I)
    stem = re.sub(r"\.(chromium|weasyprint)$", "", stem)
    return gold_files.get(stem)


def collect_gold(paths: list[str]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw)
        candidates = path.glob("*.gold.json") if path.is_dir() else [path]
        for gold in candidates:
            if gold.name.endswith(".gold.json"):
                files[gold.name[: -len(".gold.json")]] = gold
    return files


def score_pdf(pdf: str | Path, gold_path: str | Path, generic: bool = False) -> Score:
    """Parse one PDF or web page and compare it with its gold (what tests call); `generic`:
    read it with the generic HMI Probation layer instead of its template."""
    from extract import read_document
    from transform.templates import parse_document

    document = read_document(str(pdf))
    gold = json.loads(Path(gold_path).read_text(encoding="utf8"))
    if generic:
        from transform import hmip

        return compare(flatten_generic_gold(gold), flatten_generic_report(hmip.parse(document)),
                       Path(pdf).name)
    report = parse_document(document)
    return compare(flatten_gold(gold), flatten_report(report), Path(pdf).name, document.text)


# ----------------------------------------------------------------------------- DB mode
def flatten_db(con, report_id: str) -> dict[str, Any]:
    """Rows of one report in the DuckDB contract tables -> {check key: value}."""

    rows = _rows_of(con, report_id)

    template = rows("SELECT template FROM reports WHERE report_id = ?")
    if template and str(template[0][0]).startswith("yjs"):
        return flatten_yjs_db(con, report_id)
    facts: dict[str, Any] = {}
    meta = rows(
        "SELECT title, area, year, isbn, chief_inspector, lead_inspector, published_month,"
        " fieldwork_month FROM reports WHERE report_id = ?"
    )
    if meta:
        title, area, year, isbn, chief, lead, published, fieldwork = meta[0]
        facts.update({
            "meta.title": title, "meta.area": area, "meta.year": year, "meta.isbn": isbn,
            "meta.chief_inspector": chief, "meta.lead_inspector": lead,
            "meta.published_month": _month_text(published),
            "meta.fieldwork_month": _month_text(fieldwork),
        })
    for domain, sc, imp, low, high, avg in rows(
        "SELECT domain, score, improvement, national_lowest, national_highest, national_average"
        " FROM headline_scores WHERE report_id = ?"
    ):
        facts[f"headline.{domain}.score"] = sc
        facts[f"headline.{domain}.comment"] = _upper(imp)
        facts[f"headline.{domain}.lowest"] = low
        facts[f"headline.{domain}.highest"] = high
        facts[f"headline.{domain}.average"] = avg
    sections = rows("SELECT section, title, score FROM section_scores WHERE report_id = ?")
    for n, title, sc in sections:
        facts[f"section.{n}.title"] = title
        facts[f"section.{n}.overall"] = sc
    for code, title, sc, imp, general in rows(
        "SELECT criterion, title, score, improvement, general_criterion"
        " FROM criterion_scores WHERE report_id = ?"
    ):
        facts[f"criterion.{code}.title"] = title
        facts[f"criterion.{code}.general_criterion"] = general
        facts[f"criterion.{code}.score"] = sc
        facts[f"criterion.{code}.comment"] = _upper(imp)
    facts.update(_db_findings_and_recommendations(rows))
    for seq, area, criterion, text in rows(
        "SELECT seq, section_title, criterion, text FROM good_practice WHERE report_id = ?"
        " ORDER BY seq"
    ):
        facts[f"good_practice.{seq}.section_title"] = area
        facts[f"good_practice.{seq}.criterion"] = criterion
        facts[f"good_practice.{seq}.text"] = text
    for group, respondents, seq, text in rows(
        "SELECT respondent_group, respondents, seq, text FROM service_user_feedback"
        " WHERE report_id = ?"
    ):
        facts[f"service_users.{group}.respondents"] = respondents
        if seq is not None:
            facts[f"service_users.{group}.point.{seq}"] = text
    ctx_cols = (
        "region, population, census_year, pct_aged_10_17, pct_aged_10_17_national, pct_bme,"
        " pct_bme_national, pct_white_british, offences_per_1000, offences_per_1000_national,"
        " yjb_score, yjb_max, yjb_judgement, yjb_judgement_date"
    )
    ctx = rows(f"SELECT {ctx_cols} FROM area_context WHERE report_id = ?")
    if ctx:
        for key, value in zip(ctx_cols.replace(" ", "").split(","), ctx[0], strict=True):
            facts[f"context.{key}"] = value
    glossary = rows(
        "SELECT term, definition FROM glossary WHERE report_id = ? ORDER BY page, rowid"
    )
    facts.update(_glossary_facts(glossary))
    return {k: _norm(v) for k, v in facts.items()}


def _rows_of(con, report_id: str):
    """rows(sql): the rows of a query with one `?`, bound to `report_id`."""

    def rows(sql: str) -> list[tuple]:
        return con.execute(sql, [report_id]).fetchall()

    return rows


def _db_findings_and_recommendations(rows) -> dict[str, Any]:
    """The tables both report families share, as check keys."""
    facts: dict[str, Any] = {}
    for code, kind, seq, text in rows(
        "SELECT criterion, kind, seq, text FROM findings WHERE report_id = ?"
    ):
        facts[f"finding.{code}.{kind}.{seq}"] = text
    for seq, text, responsible in rows(
        "SELECT seq, text, responsible FROM recommendations WHERE report_id = ?"
    ):
        facts[f"recommendation.{seq}.text"] = text
        facts[f"recommendation.{seq}.responsible"] = responsible
    return facts


def flatten_yjs_db(con, report_id: str) -> dict[str, Any]:
    """Rows of one 2018+ report in the contract tables -> the keys of flatten_yjs_gold."""

    rows = _rows_of(con, report_id)

    columns = ("title", "area", "service_name", "year", "lead_inspector", "chief_inspector",
               "overall_rating", "published_month", "rating_score", "rating_score_max",
               "court_cases", "out_of_court_cases")
    meta = rows(f"SELECT {', '.join(columns)} FROM reports WHERE report_id = ?")
    facts: dict[str, Any] = {}
    if meta:
        values = dict(zip(columns, meta[0], strict=True))
        facts.update({f"meta.{key}": values[key] for key in YJS_META})
        facts["meta.published_month"] = _month_text(values["published_month"])
        facts["meta.score"] = values["rating_score"]
        facts["meta.score_max"] = values["rating_score_max"]
        facts["cases.court"] = values["court_cases"]
        facts["cases.out_of_court"] = values["out_of_court_cases"]
    for code, title, rating, in_score in rows(
        "SELECT code, title, rating, in_score FROM standard_ratings WHERE report_id = ?"
    ):
        facts[f"rating.{code}.title"] = title
        facts[f"rating.{code}.rating"] = rating
        facts[f"rating.{code}.in_score"] = in_score
    for qid, parent, standard, text, percent in rows(
        "SELECT question_id, parent_id, standard, text, percent_yes FROM inspection_questions"
        " WHERE report_id = ?"
    ):
        facts[f"question.{qid}.standard"] = standard
        facts[f"question.{qid}.parent"] = parent
        facts[f"question.{qid}.text"] = text
        facts[f"question.{qid}.percent"] = percent
    facts.update(_db_findings_and_recommendations(rows))
    return {k: _norm(v) for k, v in facts.items()}


def _db_reports(con) -> list[tuple[str, str, str | None, int | None]]:
    return con.execute("SELECT report_id, file_name, area, year FROM reports").fetchall()


# ----------------------------------------------------------------------------- CLI
def _print(score: Score, n_reports: int, show: int) -> None:
    print(f"{'part':<16}{'checks':>8}{'errors':>8}{'accuracy':>11}")
    for part in sorted(score.checks):
        checks, errors = score.checks[part], score.errors[part]
        print(f"{part:<16}{checks:>8}{errors:>8}{1 - errors / checks:>10.3%}")
    print(f"{'OVERALL':<16}{score.total:>8}{score.wrong:>8}{score.accuracy:>10.3%}"
          f"   ({n_reports} reports)")
    if score.unstated:
        keys = Counter(key for _, key, _ in score.unstated)
        listed = ", ".join(f"{k} x{n}" for k, n in keys.most_common())
        print(f"not stated in the PDFs, not counted: {len(score.unstated)} gold values ({listed})")
    for name, key, expected, actual in score.mismatches[:show]:
        print(f"- {name} {key}\n    gold: {str(expected)[:300]!r}\n    got:  {str(actual)[:300]!r}")
    if len(score.mismatches) > show:
        print(f"... and {len(score.mismatches) - show} more mismatches")


def _safe_score(pair: tuple[Path, Path, bool]) -> Score:
    """score_pdf, but a file that fails counts as one failed check (the run goes on)."""
    pdf, gold, generic = pair
    try:
        return score_pdf(pdf, gold, generic)
    except Exception as error:
        failed = Score()
        failed.checks["unparsed"] += 1
        failed.errors["unparsed"] += 1
        failed.mismatches.append((pdf.name, "unparsed", None, f"{type(error).__name__}: {error}"))
        return failed


SOURCES = (".pdf", ".html", ".htm")


def _pdfs(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*") if p.suffix.lower() in SOURCES))
        else:
            found.append(path)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--from-pdf", action="store_true", help="parse PDFs and web pages, no database"
    )
    parser.add_argument("--generic", action="store_true",
                        help="with --from-pdf: read 2018+ reports with the generic layer")
    parser.add_argument("--gold", action="append", default=[], help="gold dir/file (--from-pdf)")
    parser.add_argument("--show", type=int, default=40, help="mismatches to list")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (--from-pdf)")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    total = Score()
    n = 0
    if args.from_pdf:
        pdfs = _pdfs(args.paths)
        gold_files = collect_gold(args.gold or sorted({str(p.parent) for p in pdfs}))
        started = time.perf_counter()
        pairs = [(p, g, args.generic) for p in pdfs
                 if (g := gold_for(p.name, gold_files)) is not None]
        with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for score in pool.map(_safe_score, pairs):
                total.add(score)
                n += 1
        print(f"parsed {n} PDFs in {time.perf_counter() - started:.1f}s")
    else:
        import duckdb

        gold_files = collect_gold(args.paths[1:])
        by_area = {}
        for path in gold_files.values():
            data = json.loads(path.read_text(encoding="utf8"))
            by_area.setdefault((data.get("area"), data.get("year")), path)
        con = duckdb.connect(args.paths[0], read_only=True)
        for report_id, file_name, area, year in _db_reports(con):
            gold = gold_for(file_name, gold_files) or by_area.get((area, year))
            if gold is None:
                continue
            data = json.loads(Path(gold).read_text(encoding="utf8"))
            total.add(compare(flatten_gold(data), flatten_db(con, report_id), file_name))
            n += 1
    _print(total, n, args.show)
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main())
