"""Lay a 2018+ gold report out again with another tool (matplotlib's PDF backend).

Real archives hold reports from producers the corpus does not: this writes the same facts with
other fonts, other line breaks and other table habits than WeasyPrint or Chromium — a one-line
cover title, "Score" and "24/36" in cells of their own, standard headings without a trailing
dot, percentages aligned with the first line of a wrapped table row, square bullets, lettered
sub-questions in brackets, a running header and page numbers — so a test can check that the
parser reads structure, not one engine's layout.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

DOMAIN_NAMES = {
    "1": "Organisational delivery", "2": "Court disposals", "3": "Out-of-court disposals",
    "4": "Resettlement",
}
WIDTH, HEIGHT = 8.27, 11.69  # A4 in inches
LEFT, TOP, BOTTOM, STEP = 0.09, 0.93, 0.07, 0.0165


class _Writer:
    """Places lines top-down on A4 pages; a new page when the current one is full."""

    def __init__(self, pdf, header: str) -> None:
        self.pdf, self.header = pdf, header
        self.figure = None
        self.y = TOP
        self.pages = 0

    def new_page(self) -> None:
        import matplotlib.pyplot as plt

        if self.figure is not None:
            self.pdf.savefig(self.figure)
            plt.close(self.figure)
        self.figure = plt.figure(figsize=(WIDTH, HEIGHT))
        self.pages += 1
        self.figure.text(LEFT, 0.965, self.header, fontsize=7, color="grey")
        self.figure.text(0.5, 0.03, str(self.pages), fontsize=7, ha="center")
        self.y = TOP

    def line(self, text: str, x: float = LEFT, size: float = 10, bold: bool = False,
             right: str | None = None) -> None:
        if self.figure is None or self.y < BOTTOM:
            self.new_page()
        weight = "bold" if bold else "normal"
        self.figure.text(x, self.y, text, fontsize=size, weight=weight, family="DejaVu Serif")
        if right is not None:
            self.figure.text(0.86, self.y, right, fontsize=size, family="DejaVu Serif")
        self.y -= STEP * size / 10

    def para(self, text: str, x: float = LEFT, width: int = 88, **kw) -> None:
        for piece in textwrap.wrap(text, width):
            self.line(piece, x, **kw)
        self.y -= STEP / 2

    def row(self, text: str, right: str, x: float = LEFT, width: int = 70) -> None:
        """A table row: wrapped text, the right-hand cell level with its first line."""
        pieces = textwrap.wrap(text, width)
        for k, piece in enumerate(pieces):
            self.line(piece, x, size=9, right=right if k == 0 else None)

    def close(self) -> None:
        import matplotlib.pyplot as plt

        if self.figure is not None:
            self.pdf.savefig(self.figure)
            plt.close(self.figure)


def render(gold: dict, path: Path, variant: str = "a") -> Path:
    """Write `gold` (a corpus-yjs gold JSON) as a PDF at `path`.

    Variant "b" changes the habits again: the rating box before the standard's statement,
    "Overall rating:" with a colon, percentages on a line of their own under each question,
    dash bullets with continuation lines flush with the text, "1)" recommendation numbers,
    "a." sub-question letters and the cover's title and area on one line.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path) as pdf:
        write(gold, _Writer(pdf, header(gold)), variant)
    return path


def header(gold: dict) -> str:
    """The running header of a laid-out report."""
    return f"Inspection of youth services: {gold['area']}"


def write(gold: dict, w, variant: str = "a") -> None:
    """Lay `gold` out through writer `w` (new_page, line, para, row, close; `_Writer` here,
    tests/producers.py's LibreOffice document too)."""
    b = variant == "b"
    area = gold["area"]
    w.new_page()
    if b:
        w.line("HM Inspectorate of Probation", size=11)
        w.line(f"{gold['title']}", size=14, bold=True)
        w.line(gold["published"], size=11)
    else:
        w.line(f"{gold['title']}", size=14, bold=True)
        w.line(f"HM Inspectorate of Probation, {gold['published']}", size=11)
    w.new_page()
    w.line("Acknowledgements", size=14, bold=True)
    w.para(f"This inspection was led by HM Inspector {gold['lead_inspector']}, supported "
           "by a team of inspectors and colleagues from across the Inspectorate.")
    w.line("Foreword", size=14, bold=True)
    w.para(f"We have inspected and rated the service in {area}.")
    w.line(gold["chief_inspector"], bold=True)
    w.line("HM Chief Inspector of Probation")
    w.new_page()
    w.line("Ratings", size=14, bold=True)
    w.line(gold["service_name"], bold=True, right="Score")
    w.line("", right=f"{gold['score']}/{gold['score_max']}")
    w.line("Overall rating:" if b else "Overall rating", bold=True,
           right=gold["overall_rating"])
    domain = ""
    for rating in gold["ratings"]:
        if rating["code"][0] != domain:
            domain = rating["code"][0]
            w.line(f"{domain}. {DOMAIN_NAMES[domain]}", bold=True)
        w.line(f"{rating['code']} {rating['title']}", x=LEFT + 0.02, right=rating["rating"])
    w.new_page()
    w.line("Recommendations", size=14, bold=True)
    w.para("As a result of our inspection findings, we have made recommendations.")
    group = None
    for rec in gold["recommendations"]:
        if rec["responsible"] != group:
            group = rec["responsible"]
            name = group if "Police" in group or "Constab" in group or group.startswith(
                "The local") else group.replace("The ", f"The {area} ", 1)
            w.para(f"{name} should:", width=30, bold=True)
        pieces = textwrap.wrap(rec["text"], 80)
        w.line(f"{rec['n']}{')' if b else '.'} {pieces[0]}", x=LEFT + 0.01)
        for piece in pieces[1:]:
            w.line(piece, x=LEFT + 0.035)
    w.new_page()
    w.line("Contextual facts", size=12, bold=True)
    w.line(f"1,234 Youth population (10–17 years) in {area}")
    questions = gold["questions"]
    for domain_code in sorted({r["code"][0] for r in gold["ratings"]}):
        w.new_page()
        w.line(f"{domain_code}. {DOMAIN_NAMES[domain_code]}", size=14, bold=True)
        if domain_code == "2":
            w.para(f"We inspected {gold['cases']['court']} cases managed by the service.")
        elif domain_code == "3":
            w.para(f"We inspected {gold['cases']['out_of_court']} cases that had received "
                   "an out-of-court disposal.")
        for rating in [r for r in gold["ratings"] if r["code"][0] == domain_code]:
            code = rating["code"]
            w.line(f"{code} {rating['title']}", size=12, bold=True)
            if b:
                w.line(rating["rating"], bold=True)
            w.para("The standard is met when the service works well with every child.",
                   x=LEFT + 0.02)
            if not b:
                w.line(f"Rating: {rating['rating']}", bold=True)
            keys = [q for q in questions if q["standard"] == code and not q["parent"]]
            if keys:
                w.line("Key questions", bold=True, right="% ‘Yes’")
                for q in keys:
                    if b:
                        w.para(q["text"], width=70, size=9)
                        w.line(f"{q['percent']}%", x=0.8, size=9)
                    else:
                        w.row(q["text"], f"{q['percent']}%")
            else:
                w.line("We take into account the answers to the following questions:")
                w.line("▪ Is there a clear local vision and strategy?", x=LEFT + 0.01)
            w.para("Inspectors read case records and spoke with staff and children.")
            for kind, heading in (("strength", "Strengths:"),
                                  ("improvement", "Areas for improvement:")):
                items = [f for f in gold["findings"] if f["code"] == code and f["kind"] == kind]
                if not items:
                    continue
                w.line(heading, bold=True)
                for f in items:
                    pieces = textwrap.wrap(f["text"], 82)
                    w.line(f"{'–' if b else '▪'} {pieces[0]}", x=LEFT + 0.01)
                    for piece in pieces[1:]:
                        w.line(piece, x=LEFT + (0.01 if b else 0.03))
    w.new_page()
    w.line("Annexe 1: Methodology", size=14, bold=True)
    w.para("The inspection was carried out over three weeks.")
    w.new_page()
    w.line("Annexe 2: Inspection results", size=14, bold=True)
    standard = ""
    for q in questions:
        if q["standard"] != standard:
            standard = q["standard"]
            title = next(r["title"] for r in gold["ratings"] if r["code"] == standard)
            w.line(f"{standard} {title}", bold=True)
        letter = f"{q['id'][-1]}." if b else f"({q['id'][-1]})"
        label = (q["id"] + ("." if b else "")) if not q["parent"] else letter
        x = LEFT + (0.03 if q["parent"] else 0)
        if b:  # the figure on a line of its own under the question
            w.para(f"{label} {q['text']}", x=x, width=75, size=9)
            w.line(f"{q['percent']}%", x=0.8, size=9)
        else:
            w.row(f"{label} {q['text']}", f"{q['percent']}%", x=x, width=75)
    w.close()
