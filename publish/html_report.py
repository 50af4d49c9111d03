"""A static HTML report of the database that opens from disk: no server, no CDN.

index.html has the summary tables and charts (inline SVG); themes/<theme>.html has each
theme's figures and quotes with citations; reports/<area-year>.html has each report's scores
and findings; search.html searches every finding (publish/search_page.py: its data and script
are inline, the only script in the site). CSS is inlined in every page, so any page can be mailed
or archived on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from publish.formatting import cell
from publish.outputs import PublishError, output_dir
from publish.query import run_named
from publish.themes import code_noun, theme_quotes, theme_summary

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #222;
       max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
nav { font-size: 0.9rem; margin-bottom: 1rem; }
nav a { margin-right: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.88rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0 2rem; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.85rem; color: #555; }
blockquote { margin: 0.8rem 0; padding: 0.4rem 0.8rem; border-left: 4px solid #ccc;
             background: #fafafa; }
blockquote.improvement { border-left-color: #d73027; }
blockquote.strength { border-left-color: #1a9850; }
.cite, .meta, .tag { font-size: 0.82rem; color: #555; }
mark { background: #fff2a8; }
li { margin-bottom: 0.5rem; }
.level-minimum { color: #1a7a40; } .level-moderate { color: #b36b00; }
.level-substantial { color: #c0392b; } .level-drastic { color: #8b0000; font-weight: bold; }
"""


@dataclass
class Site:
    index: Path
    theme_pages: int
    report_pages: int


def build_site(con, out: str | Path, db_name: str = "") -> Site:
    """Write index.html, themes/*.html and reports/*.html under `out`."""
    root = output_dir(out)
    (root / "themes").mkdir(exist_ok=True)
    (root / "reports").mkdir(exist_ok=True)
    reports = run_named(con, "reports_overview")
    if reports.empty:
        raise PublishError("the database has no reports: nothing to publish")
    summary = theme_summary(con)
    quotes = theme_quotes(con)
    report_pages = {row["report_id"]: report_slug(row) for _, row in reports.iterrows()}
    charts = _charts(con)
    _write(root / "index.html", _index_page(reports, summary, charts, report_pages, db_name))
    from publish.search_page import search_page_body

    _write(root / "search.html",
           _page("Search findings", search_page_body(con, report_pages, finding_anchor)))
    for _, theme in summary.iterrows():
        rows = quotes[quotes["theme"] == theme["theme"]]
        _write(root / "themes" / f"{theme['theme']}.html", _theme_page(theme, rows, report_pages))
    for _, report in reports.iterrows():
        rid = report["report_id"]
        scores = run_named(con, "report_scores", {"report_id": rid})
        findings = run_named(con, "report_findings", {"report_id": rid})
        if not str(report.get("template") or "").startswith("cci"):  # 2018+, generic layer
            scores = (run_named(con, "report_ratings", {"report_id": rid}),
                      run_named(con, "report_questions", {"report_id": rid}))
        _write(root / "reports" / report_pages[rid], _report_page(report, scores, findings))
    return Site(root / "index.html", len(summary), len(reports))


def report_slug(row) -> str:
    """'Stoke on Trent', 2011, 'd106...' -> 'stoke-on-trent-2011-d1062638.html'."""
    name = re.sub(r"[^a-z0-9]+", "-", (cell(row["area"]) or "report").lower()).strip("-")
    return f"{name}-{cell(row['year']) or 'unknown'}-{row['report_id'][:8]}.html"


def finding_anchor(finding_id: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", finding_id)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PublishError(f"cannot write {path}: {exc.strerror or exc}") from None


def _charts(con) -> list[tuple[str, str]]:
    """(caption, inline SVG) for every chart that can be drawn from this database."""
    from publish import charts

    wanted = [
        ("Share of reports with an area for improvement on each theme, by region",
         "theme-heatmap", {"by": "region"}),
        ("Share of reports with an area for improvement on each theme, by year",
         "theme-heatmap", {"by": "year"}),
        ("Strengths and areas for improvement per theme", "theme-balance", {}),
        ("Headline scores against the national lowest, average and highest of the time",
         "headline-bands", {}),
    ]
    result = []
    for caption, name, options in wanted:
        try:
            figure = charts.draw(con, name, **options)
        except PublishError:
            continue
        svg = charts.svg_text(figure)
        result.append((caption, svg[svg.index("<svg"):]))
    return result


def _page(title: str, body: str, depth: int = 0) -> str:
    up = "../" * depth
    nav = (f'<nav><a href="{up}index.html">Summary</a><a href="{up}index.html#themes">Themes</a>'
           f'<a href="{up}index.html#charts">Charts</a>'
           f'<a href="{up}index.html#reports">Reports</a>'
           f'<a href="{up}search.html">Search</a></nav>')
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"{nav}\n{body}\n</body>\n</html>\n")


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    """Cells are HTML already (escape before calling); `numeric` column indexes align right."""
    numeric = numeric or set()
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
                         for i, c in enumerate(row)) + "</tr>\n"
        for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def _level(value) -> str:
    text = cell(value)
    return f'<span class="level-{escape(text)}">{escape(text)}</span>' if text else ""


def _pct(value) -> str:
    return f"{value:.0%}" if value == value and value is not None else ""


def _index_page(reports, summary, charts, report_pages, db_name: str) -> str:
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    findings = int(reports["strengths"].sum() + reports["improvements"].sum())
    years = sorted({int(y) for y in reports["year"].dropna()})
    span = f"{years[0]}–{years[-1]}" if years else "unknown years"
    parts = [
        "<h1>Inspection findings</h1>",
        f'<p class="meta">{len(reports)} reports ({span}), {findings} findings, '
        f"{len(summary)} themes. Generated {generated}"
        f"{' from ' + escape(db_name) if db_name else ''}.</p>",
        '<h2 id="themes">Themes</h2>',
        "<p>How many reports mention each theme as a strength and as an area for improvement "
        "(share of all reports), and the proportion phrases its findings use most.</p>",
    ]
    rows = [
        [f'<a href="themes/{escape(t["theme"])}.html">{escape(t["label"])}</a>',
         str(t["reports_strength"]), _pct(t["share_reports_strength"]),
         str(t["reports_improvement"]), _pct(t["share_reports_improvement"]),
         str(t["areas_improvement"]), str(t["findings_improvement"]),
         escape(cell(t["typical_phrases_improvement"]))]
        for _, t in summary.iterrows()
    ]
    parts.append(_table(["theme", "reports: strength", "share", "reports: improvement", "share",
                         "areas: improvement", "findings: improvement",
                         "typical phrases (improvement)"], rows, {1, 2, 3, 4, 5, 6}))
    parts.append('<h2 id="charts">Charts</h2>')
    parts += [f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"
              for caption, svg in charts]
    parts.append('<h2 id="reports">Reports</h2>')
    rows = [
        [f'<a href="reports/{escape(report_pages[r["report_id"]])}">{escape(cell(r["area"]))}</a>',
         cell(r["year"]), escape(cell(r["region"])),
         f'{cell(r["safeguarding_score"])} {_level(r["safeguarding_improvement"])}',
         f'{cell(r["risk_of_harm_score"])} {_level(r["risk_of_harm_improvement"])}',
         f'{cell(r["likelihood_of_reoffending_score"])} '
         f'{_level(r["likelihood_of_reoffending_improvement"])}',
         cell(r["strengths"]), cell(r["improvements"]), cell(r["recommendations"]),
         escape(cell(r.get("template"))), _overall(r), escape(cell(r["file_name"]))]
        for _, r in reports.iterrows()
    ]
    parts.append("<p>CCI reports (2009–2012) have headline scores; 2018+ reports have an overall"
                 " rating and score out of 36 instead. The two frameworks measure differently."
                 "</p>")
    parts.append(_table(["area", "year", "region", "safeguarding", "risk of harm",
                         "likelihood of reoffending", "strengths", "areas for improvement",
                         "recommendations", "framework", "overall rating", "file"], rows,
                        {1, 6, 7, 8}))
    return _page("Inspection findings", "\n".join(parts))


def _highlight(text: str, matched: str) -> str:
    """`text` escaped, with the theme's matched words wrapped in <mark>."""
    words = sorted({m.strip() for m in cell(matched).split(";") if m.strip()}, key=len,
                   reverse=True)
    escaped = escape(text)
    if not words:
        return escaped
    pattern = re.compile("|".join(re.escape(escape(w)) for w in words), re.IGNORECASE)
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)


def _confidence(quote) -> str:
    """'Tagged with confidence 0.93 (rule: "victim")' for a quote on a theme page."""
    confidence = quote.get("confidence")
    sure = ("not scored" if confidence is None or confidence != confidence
            else f"confidence {confidence:.2f}")
    return f"Tagged with {sure} ({escape(cell(quote.get('evidence')))})"


def _theme_page(theme, quotes, report_pages) -> str:
    label = escape(theme["label"])
    parts = [
        f"<h1>{label}</h1>",
        f'<p class="meta">Theme id <code>{escape(theme["theme"])}</code>. '
        f"{escape(cell(theme['description']))}</p>",
        _table(["", "reports", "share of reports", "areas", "findings", "typical phrases",
                "median share stated"],
               [[kind_label, str(theme[f"reports_{k}"]), _pct(theme[f"share_reports_{k}"]),
                 str(theme[f"areas_{k}"]), str(theme[f"findings_{k}"]),
                 escape(cell(theme[f"typical_phrases_{k}"])),
                 _pct(theme[f"median_share_{k}"])]
                for k, kind_label in (("strength", "as a strength"),
                                      ("improvement", "as an area for improvement"))],
               {1, 2, 3, 4, 6}),
    ]
    for kind, heading in (("improvement", "Areas for improvement"), ("strength", "Strengths")):
        rows = quotes[quotes["kind"] == kind]
        parts.append(f"<h2>{heading} ({len(rows)})</h2>")
        if rows.empty:
            parts.append("<p>None.</p>")
        for _, q in rows.iterrows():
            link = (f"../reports/{escape(report_pages.get(q['report_id'], ''))}"
                    f"#{finding_anchor(q['finding_id'])}")
            kind_name = "Strength" if kind == "strength" else "Area for improvement"
            parts.append(
                f'<blockquote class="{kind}"><p>{_highlight(q["text"], q["matched_texts"])}</p>'
                f'<p class="cite"><a href="{link}">{escape(cell(q["area"]))} '
                f"{cell(q['year'])}</a>, {escape(cell(q['region']))} — "
                f"{code_noun(q.get('template'))} "
                f"{escape(q['criterion'])} {escape(cell(q['criterion_title']))}, "
                f"{kind_name} {cell(q['seq'])}, page {cell(q['page'])} of "
                f"{escape(cell(q['file_name']))}</p>"
                f'<p class="tag">{_confidence(q)}</p></blockquote>'
            )
    return _page(f"Theme: {theme['label']}", "\n".join(parts), depth=1)


def _overall(row) -> str:
    """'Good (24/36)' for a 2018+ report; empty for a CCI report."""
    rating = cell(row.get("overall_rating"))
    if not rating:
        return ""
    score = cell(row.get("rating_score"))
    return escape(rating + (f" ({score}/{cell(row.get('rating_score_max'))})" if score else ""))


def _ratings_part(ratings, questions) -> list[str]:
    """A 2018+ report's ratings table and its key questions (the figures the ratings rest on);
    a generic-layer report's overall rating and the ratings it states by name."""
    parts = ["<h2>Ratings</h2>"]
    overall = ratings[ratings["part"] == "overall"]
    for _, o in overall.iterrows():
        score = f", score {escape(cell(o['score']))}" if cell(o["score"]) else ""
        page = f" (page {cell(o['page'])})" if cell(o["page"]) else ""
        parts.append(f"<p>{escape(cell(o['title']) or 'The service')}: overall rating "
                     f"<strong>{escape(cell(o['rating']))}</strong>{score}{page}.</p>")
    named = ratings[ratings["part"] == "named"]
    if not named.empty:  # the generic layer: ratings by the names the report gives them
        parts.append(_table(["rated", "rating", "page"], [
            [escape(cell(n["title"])), escape(cell(n["rating"])), cell(n["page"])]
            for _, n in named.iterrows()], {2}))
        return parts
    standards = ratings[ratings["part"] == "standard"]
    parts.append(_table(
        ["standard", "title", "domain", "rating", "in score", "section says", "key questions",
         "page"],
        [[escape(cell(s["code"])), escape(cell(s["title"])),
          escape(cell(s["domain"]).replace("_", " ")), escape(cell(s["rating"])),
          "yes" if s["in_score"] is True else "no", escape(cell(s["section_rating"])),
          escape(cell(s["key_questions"])), cell(s["page"])] for _, s in standards.iterrows()],
        {7}))
    key = questions[questions["key_question"] == True]  # noqa: E712 - pandas column mask
    parts.append("<h2>Key questions</h2>")
    parts.append("<p>% of inspected cases answered 'Yes'. A standard judged on key questions"
                 " takes the band of its lowest: 80–100 Outstanding, 65–79 Good, 50–64 Requires"
                 " improvement, 0–49 Inadequate.</p>")
    parts.append(_table(
        ["question", "standard", "text", "% yes (annex)", "% yes (section)", "page"],
        [[escape(cell(q["question_id"])), escape(cell(q["standard"])), escape(cell(q["text"])),
          cell(q["percent_yes"]), cell(q["body_percent"]), cell(q["page"])]
         for _, q in key.iterrows()],
        {3, 4, 5}))
    return parts


def _region(report) -> str:
    """'Region West Midlands. ' where the report states one (2018+ reports do not)."""
    region = cell(report["region"])
    return f"Region {escape(region)}. " if region else ""


def _report_page(report, scores, findings) -> str:
    name = cell(report["area"]) or cell(report.get("publication")) or "Report"
    title = f"{name} {cell(report['year'])}"
    parts = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{_region(report)}Framework '
        f'{escape(cell(report.get("template")))}. File '
        f'{escape(cell(report["file_name"]))}, sha256 <code>{escape(report["report_id"])}</code>.'
        f" Check any finding against its page with <code>findings trace FINDING_ID --out "
        f"page.png</code>.</p>",
    ]
    if isinstance(scores, tuple):  # a 2018+ report: (ratings, questions)
        parts += _ratings_part(*scores)
        _findings_part(parts, findings)
        return _page(f"Report: {title}", "\n".join(parts), depth=1)
    parts.append("<h2>Headline scores</h2>")
    head = scores[scores["part"] == "headline"]
    parts.append(_table(
        ["domain", "score", "improvement required", "national lowest", "national average",
         "national highest", "page"],
        [[escape(s["title"]), cell(s["score"]), _level(s["improvement"]),
          cell(s["national_lowest"]), cell(s["national_average"]), cell(s["national_highest"]),
          cell(s["page"])] for _, s in head.iterrows()],
        {1, 3, 4, 5, 6}))
    parts.append("<h2>Section and criterion scores</h2>")
    rest = scores[scores["part"] != "headline"]
    parts.append(_table(
        ["", "code", "title", "score", "improvement required", "page"],
        [[s["part"], escape(cell(s["code"])), escape(cell(s["title"])), cell(s["score"]),
          _level(s["improvement"]), cell(s["page"])] for _, s in rest.iterrows()],
        {3, 5}))
    _findings_part(parts, findings)
    return _page(f"Report: {title}", "\n".join(parts), depth=1)


def _findings_part(parts: list[str], findings) -> None:
    """Each criterion's (or standard's) strengths and areas for improvement, numbered."""
    parts.append("<h2>Findings</h2>")
    for criterion, group in findings.groupby("criterion", sort=True):
        parts.append(f"<h3>{escape(criterion)} {escape(cell(group['criterion_title'].iloc[0]))}"
                     "</h3>")
        for kind, heading in (("strength", "Strengths"), ("improvement", "Areas for improvement")):
            items = group[group["kind"] == kind]
            if items.empty:
                continue
            parts.append(f"<h4>{heading}</h4>\n<ol>")
            parts += [
                f'<li value="{cell(f["seq"])}" id="{finding_anchor(f["finding_id"])}">'
                f"{escape(f['text'])}<br><span class=\"meta\">page {cell(f['page'])}"
                f"{' · themes: ' + escape(cell(f['themes'])) if cell(f['themes']) else ''}"
                f"{' · proportions: ' + escape(cell(f['proportion_phrases'])) if cell(f['proportion_phrases']) else ''}"  # noqa: E501
                f" · <code>{escape(f['finding_id'])}</code></span></li>"
                for _, f in items.iterrows()
            ]
            parts.append("</ol>")
