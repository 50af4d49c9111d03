"""Our own reports for the generic HMI Probation layer, as web pages and as PDFs.

No published report of these kinds is in ../shared, so these are written here, in the manner
the Inspectorate publishes them (synthetic: invented areas and findings, each says so): a 2025
youth framework report, a Probation Delivery Unit inspection, a thematic inspection, and two
pages that are not reports (a news page, a council paper). Each is one list of parts, laid out
as a web page (the site's header, navigation, "(Back to top)" links, footnote markers, footer)
or as a PDF (matplotlib's PDF backend, the producer tests/alt_layout.py uses), so a test can
check that both give the same rows.
"""

from __future__ import annotations

import textwrap
from html import escape
from pathlib import Path

Part = tuple  # ("title"|"meta"|"h1"|"h2"|"p"|"label", text) | ("ul", [..]) | ("ol", n, [..])
#              | ("table", [[cells]]) (web page only: a PDF states the same in its prose)

NOTE = "Synthetic test document: invented area details, ratings and findings."

YOUTH_2025: list[Part] = [
    ("title", "An inspection of youth justice work with children and victims in Northmoor"),
    ("meta", "HM Inspectorate of Probation, July 2025"),
    ("meta", NOTE),
    ("h1", "Foreword"),
    ("p", "We have inspected and rated Northmoor YJS across two broad areas: the quality of "
          "work done with children, and the quality of work done with victims."),
    ("p", "Overall, Northmoor YJS was rated as ‘Good’. The quality of work with children was "
          "rated as ‘Outstanding’ and the quality of work with victims as ‘Good’."),
    ("p", "We rated Appropriate Adult arrangements as ‘Requires improvement’."),
    ("h1", "Ratings"),
    ("table", [["Northmoor Youth Justice Service", ""], ["Overall rating", "Good"],
               ["Quality of work with children", "Outstanding"],
               ["Quality of work with victims", "Good"],
               ["Appropriate Adult arrangements", "Requires improvement"]]),
    ("h1", "Recommendations"),
    ("label", "The Northmoor Youth Justice Service should:"),
    ("ol", 1, ["make sure that plans to keep the child and the community safe are reviewed "
               "when the child’s circumstances change.",
               "improve the recording of contact with victims, so that their wishes are known "
               "to everyone working with the child."]),
    ("label", "The Northmoor Management Board should:"),
    ("ol", 3, ["make sure that Appropriate Adult arrangements are available at all times, "
               "including at night and at weekends."]),
    ("h1", "Work with children"),
    ("h2", "Assessing to achieve positive change"),
    ("p", "We inspected 24 cases. Assessment drew well on information from partner agencies."),
    ("label", "Strengths:"),
    ("ul", ["Case managers understood the child’s strengths and protective factors, and "
            "assessments reflected what the child wanted to achieve.",
            "Management oversight of assessments was effective, with clear actions recorded "
            "for case managers."]),
    ("label", "Areas for improvement:"),
    ("ul", ["Assessments did not always consider the risk of harm the child presented to "
            "others, including in the community."]),
    ("h1", "Work with victims"),
    ("label", "Strengths:"),
    ("ul", ["Victims were contacted promptly and their views informed restorative justice "
            "work with the child."]),
    ("label", "Areas for improvement:"),
    ("ul", ["Safety planning for victims was not recorded in too many cases, so their needs "
            "were not known to the whole partnership."]),
    ("h1", "Organisational delivery"),
    ("p", "The revised standards include Appropriate Adult arrangements, which were not "
          "available at night in a small number of cases."),
]

PDU: list[Part] = [
    ("title", "An inspection of probation services in Eastfield PDU"),
    ("meta", "HM Inspectorate of Probation, March 2024"),
    ("meta", NOTE),
    ("h1", "Foreword"),
    ("p", "This inspection is part of our programme of Probation Delivery Unit inspections. "
          "Overall, Eastfield PDU was rated as ‘Requires improvement’."),
    ("p", "We rated leadership as ‘Good’, staffing as ‘Inadequate’, and services as ‘Good’."),
    ("h1", "Ratings"),
    ("table", [["Eastfield PDU", "Score 9/27"], ["Overall rating", "Requires improvement"],
               ["Leadership", "Good"], ["Staffing", "Inadequate"], ["Services", "Good"]]),
    ("h1", "Recommendations"),
    ("label", "The Eastfield PDU should:"),
    ("ol", 1, ["make sure that management oversight of cases where there are domestic abuse "
               "concerns is effective.",
               "improve the quality of risk of harm assessments."]),
    ("label", "The Probation Service North East region should:"),
    ("ol", 3, ["reduce vacancies for probation officers so that workloads are manageable."]),
    ("h1", "1. Organisational delivery"),
    ("h2", "Leadership"),
    ("p", "Leaders have a clear vision for the PDU and communicate it well to staff."),
    ("label", "Strengths:"),
    ("ul", ["Leaders understand the risks to service delivery and have plans to address them.",
            "Staff feel supported by their managers and value the opportunities for "
            "professional development."]),
    ("label", "Areas for improvement:"),
    ("ul", ["Management oversight did not identify weaknesses in work to keep victims safe.",
            "The PDU has not analysed whether its services meet the needs of women and of "
            "people from minority ethnic groups."]),
    ("h1", "2. Case supervision"),
    ("p", "We inspected 80 cases. Work to address the risk of harm was not good enough."),
    ("label", "Areas for improvement:"),
    ("ul", ["Domestic abuse and child safeguarding enquiries were not made in too many cases."]),
]

THEMATIC: list[Part] = [
    ("title", "A thematic inspection of work with victims of domestic abuse in probation"),
    ("meta", "HM Inspectorate of Probation, October 2023"),
    ("meta", NOTE),
    ("h1", "Foreword"),
    ("p", "This thematic inspection looked at how well the Probation Service works with "
          "victims of domestic abuse. We did not rate the services we inspected."),
    ("h1", "Executive summary"),
    ("p", "We found that work with victims was too often an afterthought."),
    ("label", "Strengths:"),
    ("ul", ["Victim liaison officers were skilled and committed to the victims they "
            "supported."]),
    ("label", "Areas for improvement:"),
    ("ul", ["Information about victims was not shared between teams, so risk of harm "
            "assessments were incomplete.",
            "Management oversight of domestic abuse cases was not effective in most regions."]),
    ("h1", "Recommendations"),
    ("label", "HM Prison and Probation Service should:"),
    ("ol", 1, ["make sure that every practitioner has training on domestic abuse.",
               "review the recording of victims’ wishes in case management systems."]),
]

NEWS_PAGE: list[Part] = [
    ("title", "Youth justice services in Northmoor rated ‘Good’ by inspectors"),
    ("meta", "News story, 12 July 2025"),
    ("p", "HM Inspectorate of Probation has published its inspection of youth justice work "
          "with children and victims in Northmoor. Overall, Northmoor YJS was rated as ‘Good’."),
    ("h2", "Media enquiries"),
    ("p", "Contact the press office."),
]

COUNCIL_PAPER: list[Part] = [
    ("title", "Northmoor Council Cabinet: response to the HM Inspectorate of Probation report"),
    ("meta", "Report of the Director of Children’s Services, September 2025"),
    ("h1", "Contents"),
    ("h1", "Recommendations"),
    ("ol", 1, ["That Cabinet notes the inspection of youth justice work in Northmoor."]),
    ("h1", "Background"),
    ("p", "The inspection rated the service as ‘Good’ overall."),
]

REPORTS = {
    "youth-2025-northmoor": YOUTH_2025,
    "pdu-eastfield-2024": PDU,
    "thematic-victims-2023": THEMATIC,
    "news-northmoor": NEWS_PAGE,
    "council-northmoor": COUNCIL_PAPER,
}


def render_html(parts: list[Part]) -> str:
    out = ['<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>'
           f"{escape(parts[0][1])}</title></head><body>"
           '<div class="cookie-banner"><p>We use cookies on this site.</p></div>'
           '<header id="top"><a href="#main">Skip to content</a><nav><a href="/">Home</a> '
           '<a href="/news">News</a></nav></header><main id="main">']
    top = ' <a class="top" href="#top">(Back to top)</a>'
    footnotes = 0
    for part in parts:
        kind = part[0]
        if kind == "title":
            out.append(f"<h1>{escape(part[1])}</h1>")
        elif kind in ("meta", "p"):
            out.append(f"<p>{escape(part[1])}</p>")
        elif kind in ("h1", "h2"):
            tag = "h2" if kind == "h1" else "h3"
            out.append(f"<{tag}>{escape(part[1])}{top}</{tag}>")
        elif kind == "label":
            out.append(f"<p><strong>{escape(part[1])}</strong></p>")
        elif kind == "ul":
            items = []
            for text in part[1]:
                footnotes += 1
                items.append(f'<li>{escape(text)}<sup><a href="#fn{footnotes}">[{footnotes}]'
                             "</a></sup></li>")
            out.append("<ul>" + "".join(items) + "</ul>")
        elif kind == "ol":
            items = "".join(f"<li>{escape(t)}</li>" for t in part[2])
            out.append(f'<ol start="{part[1]}">{items}</ol>')
        elif kind == "table":
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                for row in part[1]
            )
            out.append(f"<table><tbody>{rows}</tbody></table>")
    out.append("</main><footer><p>All content is available under the Open Government Licence "
               "v3.0, except where otherwise stated.</p></footer></body></html>")
    return "\n".join(out)


def render_pdf(parts: list[Part], path: Path) -> Path:
    """The same parts as an A4 PDF: headings larger and bold, bullets and numbers hanging."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages

    from tests.alt_layout import LEFT, _Writer

    with PdfPages(path) as pdf:
        w = _Writer(pdf, "HM Inspectorate of Probation")
        w.new_page()
        for part in parts:
            kind = part[0]
            if kind == "title":
                w.para(part[1], width=48, size=16, bold=True)
            elif kind == "meta":
                w.para(part[1], size=11)
            elif kind == "h1":
                w.new_page()
                w.para(part[1], width=60, size=14, bold=True)
            elif kind == "h2":
                w.para(part[1], width=70, size=12, bold=True)
            elif kind == "label":
                w.line(part[1], bold=True)
            elif kind == "p":
                w.para(part[1])
            elif kind in ("ul", "ol"):
                texts = part[1] if kind == "ul" else part[2]
                for k, text in enumerate(texts):
                    mark = "•" if kind == "ul" else f"{part[1] + k}."
                    pieces = textwrap.wrap(text, 80)
                    w.line(f"{mark} {pieces[0]}", x=LEFT + 0.01)
                    for piece in pieces[1:]:
                        w.line(piece, x=LEFT + 0.035)
                    w.y -= 0.008
        w.close()
    return path


def write_reports(folder: Path, names: tuple[str, ...] | None = None) -> dict[str, Path]:
    """{name.html / name.pdf: path} for each report (the two non-reports as web pages only)."""
    written: dict[str, Path] = {}
    for name, parts in REPORTS.items():
        if names and name not in names:
            continue
        page = folder / f"{name}.html"
        page.write_text(render_html(parts), encoding="utf8")
        written[page.name] = page
        if not name.startswith(("news", "council")):
            written[f"{name}.pdf"] = render_pdf(parts, folder / f"{name}.pdf")
    return written
