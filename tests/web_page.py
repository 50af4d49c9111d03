"""Lay a 2018+ gold report out as the Inspectorate's web page (test data for extract/html.py).

`../shared/web-pages/` holds four such pages; this writes more from the corpus-yjs golds, in
the same manner (headings each followed by "(Back to top)", ratings and annex as HTML tables,
the site's banner, navigation and footer around the report) with variations a real site has
and those four pages do not: a cookie banner, the title as the page's heading, headings one
level lower, "Rating: Good" as a
paragraph, footnote markers "[1]" inside findings (linked superscripts or plain text) with the
notes at the end, table headers
in <thead>, unclosed <p> and <li> tags. Only what the gold states is written, so a parse of
the page can be compared with the gold field by field.
"""

from __future__ import annotations

import zlib
from html import escape
from pathlib import Path

DOMAIN_NAMES = {
    "1": "Organisational delivery", "2": "Court disposals", "3": "Out-of-court disposals",
    "4": "Resettlement",
}


def _variant(gold: dict) -> int:
    """0..3, fixed per area, so the golds spread over the variations."""
    return zlib.crc32(str(gold.get("area")).encode()) % 4


def render_html(gold: dict) -> str:
    v = _variant(gold)
    h_top, h_std = ("h1", "h2") if v % 2 == 0 else ("h2", "h3")
    unclosed = v == 3  # <p> and <li> left open, as hand-written pages do
    area = gold["area"]
    notes: list[str] = []
    out: list[str] = []
    w = out.append

    def head(tag: str, text: str, anchor: str = "") -> None:
        ident = f' id="{anchor}"' if anchor else ""
        w(f'<{tag}{ident}>{escape(text)} <a class="top" href="#top">(Back to top)</a></{tag}>')

    def para(text: str, cls: str = "") -> None:
        attr = f' class="{cls}"' if cls else ""
        w(f"<p{attr}>{escape(text)}" + ("" if unclosed else "</p>"))

    def items(texts: list[str], tag: str = "ul", start: int | None = None) -> None:
        attr = f' start="{start}"' if start is not None else ""
        w(f"<{tag}{attr}>")
        for text in texts:
            w(f"<li>{text}" + ("" if unclosed else "</li>"))
        w(f"</{tag}>")

    def footnoted(text: str) -> str:
        """Every third finding carries a footnote marker after its first clause."""
        notes.append(text)
        if len(notes) % 3:
            return escape(text)
        n = len(notes) // 3
        # as a linked superscript, or (every other one) as plain text in the sentence
        mark = f'<sup><a href="#fn{n}">[{n}]</a></sup>' if n % 2 else f"[{n}]"
        cut = text.find(", ")
        if cut < 0:
            return escape(text) + mark
        return escape(text[:cut]) + mark + escape(text[cut:])

    w('<!doctype html><html lang="en-GB"><head><meta charset="utf-8">')
    w(f"<title>{escape(gold['title'])} - HM Inspectorate of Probation</title></head><body>")
    if v in (1, 3):
        w('<div class="govuk-cookie-banner" role="region"><p>We use some essential cookies to '
          "make this website work.</p><button>Accept cookies</button></div>")
    w('<header id="top"><a href="#main">Skip to content</a><p>All content is available under '
      "the Open Government Licence v3.0, except where otherwise stated.</p><nav>"
      '<a href="/">Home</a> <a href="/inspections">Inspections</a></nav></header>')
    w('<main id="main">')
    if v == 2:  # the title as the page's one top heading, the date under it
        w(f"<h1>{escape(gold['title'])}</h1>")
        w(f"<p>HM Inspectorate of Probation, {escape(gold['published'])}</p>")
        para(gold.get("note", ""))
    else:
        lead = gold["title"][: -len(area)].strip()
        w(f'<div class="cover"><div>{escape(lead)}</div><div>{escape(area)}</div>')
        w(f"<div>HM Inspectorate of Probation, {escape(gold['published'])}</div>")
        w(f"<div>{escape(gold.get('note', ''))}</div></div>")
    head(h_top, "Acknowledgements")
    para(f"This inspection was led by HM Inspector {gold['lead_inspector']}, supported by a "
         "team of inspectors and colleagues from across the Inspectorate.")
    head(h_top, "Foreword", "foreword")
    para(f"Overall, the service was rated as ‘{gold['overall_rating']}’.")
    w(f'<p class="sign"><b>{escape(gold["chief_inspector"])}</b><br>'
      "HM Chief Inspector of Probation</p>")
    head(h_top, "Ratings", "ratings")
    w('<table class="rt">' + ("<thead>" if v >= 2 else ""))
    w(f"<tr><th>{escape(gold['service_name'])}</th><th>Score</th>"
      f"<th>{gold['score']}/{gold['score_max']}</th></tr>" + ("</thead><tbody>" if v >= 2 else ""))
    w(f'<tr><td><b>Overall rating</b></td><td colspan="2">{escape(gold["overall_rating"])}'
      "</td></tr>")
    domain = None
    for rating in gold["ratings"]:
        if rating["code"][0] != domain:
            domain = rating["code"][0]
            w(f'<tr><td colspan="3">{domain}. {DOMAIN_NAMES[domain]}</td></tr>')
        w(f"<tr><td>{rating['code']} {escape(rating['title'])}</td>"
          f'<td colspan="2">{escape(rating["rating"])}</td></tr>')
    w(("</tbody>" if v >= 2 else "") + "</table>")
    head(h_top, "Recommendations", "recs")
    para("As a result of our inspection findings, we have made the following recommendations.")
    groups: list[tuple[str | None, list[dict]]] = []
    for rec in gold["recommendations"]:
        if not groups or groups[-1][0] != rec.get("responsible"):
            groups.append((rec.get("responsible"), []))
        groups[-1][1].append(rec)
    for who, recs in groups:
        w(f'<div class="label">{escape(_group_heading(who, area))}</div>')
        items([escape(r["text"]) for r in recs], "ol", recs[0]["n"])
    cases = gold.get("cases", {})
    findings = gold.get("findings", [])
    questions = gold.get("questions", [])
    domain = None
    for rating in gold["ratings"]:
        code = rating["code"]
        if code[0] != domain:
            domain = code[0]
            head(h_top, f"{domain}. {DOMAIN_NAMES[domain]}", f"d{domain}")
            if domain == "2" and cases.get("court") is not None:
                para(f"We took a detailed look at {cases['court']} cases managed by the service.")
            if domain == "3" and cases.get("out_of_court") is not None:
                para(f"We inspected {cases['out_of_court']} cases managed by the service that "
                     "had received an out-of-court disposal.")
        head(h_std, f"{code}. {rating['title']}")
        para(f"The standard for {rating['title'].lower()} is set out in our framework.",
             "statement")
        if v in (2, 3):
            para(f"Rating: {rating['rating']}")
        else:
            w(f'<div class="rating">{escape(rating["rating"])}</div>')
        keys = [q for q in questions if q["standard"] == code and q["parent"] is None]
        if keys:
            w('<table class="kq"><tr><th>Our rating for this standard is based on the following'
              " key questions:</th><th>% ‘Yes’</th></tr>")
            for q in keys:
                w(f"<tr><td>{escape(q['text'])}</td><td>{q['percent']}%</td></tr>")
            w("</table>")
        for kind, label in (("strength", "Strengths:"), ("improvement", "Areas for improvement:")):
            listed = [f for f in findings if f["code"] == code and f["kind"] == kind]
            w(f'<div class="label">{label}</div>')
            if listed:
                items([footnoted(f["text"]) for f in sorted(listed, key=lambda f: f["n"])])
            else:
                para(f"There are no {label.rstrip(':').lower()}.")
    head(h_top, "Annexe 2: Inspection results", "annex2")
    w('<table class="an">')
    standard = None
    for q in questions:
        if q["standard"] != standard:
            standard = q["standard"]
            title = next((r["title"] for r in gold["ratings"] if r["code"] == standard), "")
            w(f'<tr><td colspan="3">{standard}. {escape(title)}</td></tr>')
        label = q["id"] if q["parent"] is None else q["id"][-1] + ")"
        w(f"<tr><td>{label}</td><td>{escape(q['text'])}</td><td>{q['percent']}%</td></tr>")
    w("</table>")
    if notes and len(notes) >= 3:
        head(h_top, "Endnotes", "notes")
        items([f"Note {k} to a finding." for k in range(1, len(notes) // 3 + 1)], "ol", 1)
    w('</main><footer><p>Cookies · Accessibility · Contact us</p><p class="licence">© Crown '
      "copyright. All content is available under the Open Government Licence v3.0.</p>"
      "</footer></body></html>")
    return "\n".join(out)


def _group_heading(responsible: str | None, area: str) -> str:
    """'The Management Board' -> 'The <Area> Management Board should:' (as printed)."""
    who = responsible or "The service"
    if who.startswith("The ") and who[4:5].isupper() and "Police" not in who:
        who = f"The {area} {who[4:]}"
    return f"{who} should:"


def write_html(gold: dict, path: Path) -> Path:
    path.write_text(render_html(gold), encoding="utf8")
    return path
