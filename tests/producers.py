"""Other producers' PDFs of the same reports, made by the tests themselves (issue 19).

Published reports come from Word or InDesign, often through Acrobat; the corpora only from
WeasyPrint and Chromium. These make the same facts with other tools, so tests and benchmarks
check that values (and the reader that gives them) do not change with the producer:

- `libreoffice(gold, path)`: a 2018+ gold laid out as a LibreOffice Writer document (flat ODT,
  tests/alt_layout.py's layout: its lines, tab-aligned right-hand cells, a running header and
  page numbers in the page style) and printed with `soffice --headless --convert-to pdf`;
- `ghostscript(pdf, path)`: any PDF re-distilled with `gs -sDEVICE=pdfwrite` (CID fonts,
  Identity-H);
- `cairo(pdf, path)`: any PDF re-written with `pdftocairo -pdf` (poppler; the same face as a
  simple and a CID font, widths of unused codes 0).

Each needs its program (Debian: libreoffice-writer-nogui, ghostscript, poppler-utils; .ci/run
installs them); `require(tool)` skips a test with the package to install when it is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path
from xml.sax.saxutils import escape

PACKAGES = {"soffice": "libreoffice-writer-nogui", "gs": "ghostscript",
            "pdftocairo": "poppler-utils"}
PAGE_WIDTH_MM, MARGIN_MM = 210.0, 19.0


def available(tool: str) -> bool:
    return shutil.which(tool) is not None


def require(tool: str) -> None:
    """Skip the calling test when `tool` is not installed."""
    import pytest

    if not available(tool):
        pytest.skip(f"{tool} is not installed (apt-get install {PACKAGES[tool]})")


def ghostscript(source: Path, path: Path) -> Path:
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                    f"-sOutputFile={path}", str(source)], check=True, timeout=300)
    return path


def cairo(source: Path, path: Path) -> Path:
    subprocess.run(["pdftocairo", "-pdf", str(source), str(path)], check=True, timeout=300)
    return path


def libreoffice(gold: dict, path: Path, variant: str = "a") -> Path:
    """`gold` (a corpus-yjs gold) laid out by LibreOffice Writer, as the PDF `path`."""
    from tests.alt_layout import header, write

    document = _Document(header(gold))
    write(gold, document, variant)
    return convert(document.xml(), path)


def convert(fodt: str, path: Path) -> Path:
    """A flat ODT document printed to PDF by LibreOffice (its own profile, so runs in
    parallel and a user's settings do not interfere)."""
    with tempfile.TemporaryDirectory(prefix="soffice-") as work:
        source = Path(work) / (path.stem + ".fodt")
        source.write_text(fodt, encoding="utf-8")
        profile = Path(work) / "profile"
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf:writer_pdf_Export", "--outdir", work, str(source)],
            check=True, timeout=300, capture_output=True,
            env={**os.environ, "HOME": work},
        )
        shutil.move(Path(work) / (path.stem + ".pdf"), path)
    return path


class _Document:
    """tests/alt_layout.py's writer interface, collecting Writer paragraphs: one per line,
    its indent from the line's x, a right tab stop for the right-hand cell."""

    def __init__(self, header: str) -> None:
        self.header = header
        self.paragraphs: list[str] = []
        self.styles: dict[tuple, str] = {}
        self.break_next = False

    def new_page(self) -> None:
        self.break_next = bool(self.paragraphs)

    def line(self, text: str, x: float = 0.09, size: float = 10, bold: bool = False,
             right: str | None = None) -> None:
        indent = round(max(x - 0.09, 0.0) * PAGE_WIDTH_MM, 1)
        key = (size, bold, indent, self.break_next)
        self.break_next = False
        style = self.styles.setdefault(key, f"P{len(self.styles) + 1}")
        body = escape(text)
        if right is not None:
            body += "<text:tab/>" + escape(right)
        self.paragraphs.append(f'<text:p text:style-name="{style}">{body}</text:p>')

    def para(self, text: str, x: float = 0.09, width: int = 88, **kw) -> None:
        for piece in textwrap.wrap(text, width):
            self.line(piece, x, **kw)

    def row(self, text: str, right: str, x: float = 0.09, width: int = 70) -> None:
        for k, piece in enumerate(textwrap.wrap(text, width)):
            self.line(piece, x, size=9, right=right if k == 0 else None)

    def close(self) -> None:
        pass

    def xml(self) -> str:
        right_tab = 0.86 * PAGE_WIDTH_MM - MARGIN_MM
        styles = []
        for (size, bold, indent, page_break), name in self.styles.items():
            weight = ' fo:font-weight="bold"' if bold else ""
            brk = ' fo:break-before="page"' if page_break else ""
            styles.append(
                f'<style:style style:name="{name}" style:family="paragraph">'
                f'<style:paragraph-properties fo:margin-left="{indent}mm"{brk}>'
                f'<style:tab-stops><style:tab-stop style:position="{right_tab - indent:.1f}mm"/>'
                f"</style:tab-stops></style:paragraph-properties>"
                f'<style:text-properties fo:font-size="{size}pt"{weight}/></style:style>'
            )
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:margin-top="0mm" fo:margin-bottom="0.6mm"/>
  <style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt"/>
 </style:default-style>
 <style:style style:name="Header" style:family="paragraph">
  <style:text-properties fo:font-size="7pt" fo:color="#808080"/></style:style>
 <style:style style:name="Footer" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center"/>
  <style:text-properties fo:font-size="7pt"/></style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="A4">
  <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm"
   fo:margin-top="10mm" fo:margin-bottom="10mm" fo:margin-left="{MARGIN_MM}mm"
   fo:margin-right="{MARGIN_MM}mm"/>
  <style:header-style/><style:footer-style/>
 </style:page-layout>
 {"".join(styles)}
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="A4">
  <style:header><text:p text:style-name="Header">{escape(self.header)}</text:p></style:header>
  <style:footer><text:p text:style-name="Footer"><text:page-number
   text:select-page="current"/></text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
{chr(10).join(self.paragraphs)}
</office:text></office:body>
</office:document>
"""
