"""Show a finding where it stands in its PDF: the page rendered, the finding's boxes highlighted.

Every stored finding keeps its report's sha256 and the boxes it was read from, so a reader can
check any number against the source. The PDF is looked up at the path it was ingested from
(or one given with --pdf) and must still have the same bytes. A report read from a web page
has no pages: its file is read again and the finding's section (the heading path above it)
is shown instead of a page image.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from publish.outputs import PublishError, output_file, usage_error
from publish.query import run_named

HIGHLIGHT_FILL = (255, 220, 0, 90)
HIGHLIGHT_STROKE = (220, 0, 0)
PAD = 1.5  # points around each box, so the outline does not cut through the letters


@dataclass
class FindingSource:
    finding_id: str
    report_id: str
    source_path: str
    file_name: str
    area: str | None
    year: int | None
    criterion: str
    kind: str
    seq: int
    page: int | None
    text: str
    template: str | None = None
    source_kind: str | None = None
    boxes: list[dict] = field(default_factory=list)
    themes: list[dict] = field(default_factory=list)  # theme, confidence, evidence

    @property
    def caption(self) -> str:
        kind = "Strength" if self.kind == "strength" else "Area for improvement"
        template = str(self.template or "")
        heading = ("section" if template in ("hmip-generic", "yjs-2025")
                   else "standard" if template.startswith("yjs") else "criterion")
        where = "web page" if self.source_kind == "html" else f"page {self.page} of"
        return (f"{self.area} {self.year} - {heading} {self.criterion}, {kind} {self.seq}, "
                f"{where} {self.file_name}  [{self.finding_id}]")


@dataclass
class TraceResult:
    path: Path
    pages: list[int]
    highlighted: int  # boxes drawn
    note: str = ""
    section: str | None = None  # a web page's finding: the heading path it sits under


def finding_source(con, finding_id: str) -> FindingSource:
    rows = run_named(con, "finding_source", {"finding_id": finding_id})
    if rows.empty:
        hint = con.execute("SELECT finding_id FROM findings ORDER BY finding_id LIMIT 1").fetchone()
        example = f" (ids look like {hint[0]})" if hint else " (the database has no findings)"
        raise usage_error(f"no finding {finding_id!r} in the database{example}")
    row = rows.iloc[0].to_dict()
    raw = row.pop("boxes")
    boxes = json.loads(raw) if isinstance(raw, str) and raw else []
    themes = run_named(con, "finding_theme_evidence", {"finding_id": finding_id})
    return FindingSource(**{k: (None if v != v else v) for k, v in row.items()}, boxes=boxes,
                         themes=themes.to_dict("records"))


def theme_lines(source: FindingSource) -> list[str]:
    """'victims 0.93 - rule: "victim"' per theme of the finding, most confident first."""
    lines = []
    for t in source.themes:
        confidence = t.get("confidence")
        sure = "unscored" if confidence is None or confidence != confidence else f"{confidence:.2f}"
        lines.append(f"{t['theme']} {sure} - {t.get('evidence') or t.get('matched_text')}")
    return lines


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def locate_pdf(source: FindingSource, pdf: str | Path | None = None) -> Path:
    """The file the finding was read from (a PDF or a web page): `pdf` if given, else the
    ingest path; bytes checked."""
    path = Path(pdf) if pdf else Path(source.source_path)
    what = "web page" if source.source_kind == "html" else "PDF"
    if not path.is_file():
        if pdf:
            raise usage_error(f"no {what} at {path}")
        raise PublishError(f"the report's {what} is no longer at {path}; "
                           "pass --pdf PATH to say where it is now")
    actual = sha256_file(path)
    if actual != source.report_id:
        raise PublishError(f"{path} is not the file this finding was read from "
                           f"(sha256 {actual[:16]}... expected {source.report_id[:16]}...)")
    return path


def web_page_section(source: FindingSource, page_path: Path) -> str | None:
    """The heading path of the block holding the finding's text in the web page, or None."""
    from extract.html import read_html

    wanted = " ".join(source.text.split())
    blocks = read_html(str(page_path), sha256=source.report_id).blocks
    exact = (b for b in blocks if b.kind == "list_item" and b.text == wanted)
    found = next(exact, None) or next((b for b in blocks if wanted[:80] in b.text), None)
    return found.section if found else None


def render_trace(source: FindingSource, pdf_path: Path, out: str | Path,
                 resolution: int = 110) -> TraceResult:
    """Render every page the finding touches, boxes highlighted, stacked into one PNG; for a
    web page, a card with the section the finding sits in and its text."""
    if source.source_kind == "html":
        return _render_section(source, pdf_path, out)
    import pdfplumber
    from PIL import Image, ImageDraw, ImageFont

    target = output_file(out, (".png",))
    pages = sorted({int(b["page"]) for b in source.boxes}) or [int(source.page)]
    images = []
    drawn = 0
    with pdfplumber.open(pdf_path) as pdf:
        for number in pages:
            if not 1 <= number <= len(pdf.pages):
                raise PublishError(f"page {number} is not in {pdf_path} ({len(pdf.pages)} pages)")
            image = pdf.pages[number - 1].to_image(resolution=resolution)
            rects = [(b["x0"] - PAD, b["top"] - PAD, b["x1"] + PAD, b["bottom"] + PAD)
                     for b in source.boxes if int(b["page"]) == number]
            if rects:
                image.draw_rects(rects, fill=HIGHLIGHT_FILL, stroke=HIGHLIGHT_STROKE,
                                 stroke_width=1)
                drawn += len(rects)
            images.append(image.annotated.convert("RGB"))
    caption_height = 34
    width = max(im.width for im in images)
    sheet = Image.new("RGB", (width, caption_height + sum(im.height for im in images)), "white")
    font = ImageFont.load_default(size=15)
    ImageDraw.Draw(sheet).text((8, 8), source.caption, fill=(0, 0, 0), font=font)
    y = caption_height
    for im in images:
        sheet.paste(im, (0, y))
        y += im.height
    try:
        sheet.save(target, format="PNG")
    except OSError as exc:
        raise PublishError(f"cannot write {target}: {exc.strerror or exc}") from None
    note = "" if drawn else "the finding has no stored boxes: page shown without highlight"
    return TraceResult(target, pages, drawn, note)


def _render_section(source: FindingSource, page_path: Path, out: str | Path) -> TraceResult:
    import textwrap

    from PIL import Image, ImageDraw, ImageFont

    target = output_file(out, (".png",))
    section = web_page_section(source, page_path)
    lines = [source.caption, "", f"Section: {section or '(not found in the page)'}", ""]
    lines += textwrap.wrap(source.text, 100)
    font = ImageFont.load_default(size=15)
    sheet = Image.new("RGB", (1000, 20 + 22 * len(lines)), "white")
    draw = ImageDraw.Draw(sheet)
    for k, line in enumerate(lines):
        draw.text((8, 8 + 22 * k), line, fill=(0, 0, 0), font=font)
    try:
        sheet.save(target, format="PNG")
    except OSError as exc:
        raise PublishError(f"cannot write {target}: {exc.strerror or exc}") from None
    note = "" if section else "the finding's text was not found in the web page"
    return TraceResult(target, [], 0, note, section)
