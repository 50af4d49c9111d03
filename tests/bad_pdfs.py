"""Generators of hostile and broken input files, built fresh in a test's tmp_path.

Each function writes one file and returns its path. The PDFs are written by a tiny PDF writer
below (objects + cross-reference table), so every byte of a hostile structure is visible here
instead of hidden in a binary fixture. Only the encrypted file needs a library (pypdf, dev extra).
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOOD_PDF = EXAMPLES / "stoke-on-trent-2011.pdf"
YJS_EXAMPLE = EXAMPLES / "brent-2021.pdf"  # a report of the 2018+ framework
# real downloads that are not inspection reports (three Word files, one Business Objects)
REALWORLD = Path(__file__).resolve().parent / "data" / "realworld"


# ----------------------------------------------------------------------------- tiny PDF writer
def pdf_bytes(objects: list[bytes]) -> bytes:
    """A well-formed PDF from object bodies; object 1 must be the /Catalog."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


# a composite font with no /ToUnicode and no font program: its two-byte codes are glyph ids
# of a font that is not there, so no tool can map them to characters
_UNMAPPED_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /Unknown /Encoding /Identity-H /DescendantFonts"
    b" [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Unknown /CIDSystemInfo << /Registry"
    b" (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>] >>"
)


def text_pages_pdf(pages: list[list[str]], placements: list[bytes] | None = None,
                   font: bytes = _FONT, two_byte: bool = False) -> bytes:
    """A plain PDF whose pages carry the given lines of Helvetica text; `placements`: each
    page's operator placing its first line (default `72 770 Td`; a `Tm` may turn the text)."""
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        font,
    ]
    for i, lines in enumerate(pages):
        placement = placements[i] if placements else b"72 770 Td"
        ops = [b"BT /F1 11 Tf %s 14 TL" % placement]
        for line in lines:
            if two_byte:  # glyph ids, as a hex string
                ops.append(b"<%s> '" % "".join(f"{ord(c) - 29:04x}" for c in line).encode())
                continue
            safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(b"(%s) '" % safe.encode("latin-1"))
        ops.append(b"ET")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(stream(b"\n".join(ops)))
    return pdf_bytes(objects)


# ----------------------------------------------------------------------------- the bad files
def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def empty_file(path: Path) -> Path:
    return write(path, b"")


def text_as_pdf(path: Path) -> Path:
    """A plain-text note someone saved with a .pdf name."""
    return write(path, b"Minutes of the meeting\n\nNothing to report.\n" * 20)


def html_as_pdf(path: Path) -> Path:
    """What a web server hands out instead of the PDF: an HTML error page named .pdf."""
    page = b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
    return write(path, page + b"<body><h1>Not Found</h1></body></html>\n")


def truncated_pdf(path: Path, source: Path = GOOD_PDF, keep: float = 0.4) -> Path:
    """The first `keep` share of a real PDF: an interrupted download."""
    data = source.read_bytes()
    return write(path, data[: int(len(data) * keep)])


def corrupt_pdf(path: Path) -> Path:
    """A PDF signature followed by garbage: no objects, no cross-reference table."""
    garbage = bytes((i * 151 + 7) % 256 for i in range(20_000))
    return write(path, b"%PDF-1.7\n" + garbage + b"\n%%EOF\n")


def encrypted_pdf(path: Path, source: Path = GOOD_PDF, password: str = "s3cret") -> Path:
    """A real report, password-protected (needs pypdf, a dev extra)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return write(path, buffer.getvalue())


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A scan: every page is a raster image, no text layer at all."""
    from PIL import Image, ImageDraw

    images = []
    for n in range(pages):
        image = Image.new("L", (620, 877), color=255)
        draw = ImageDraw.Draw(image)
        draw.text((60, 60), "Core Case Inspection of youth offending work", fill=0)
        draw.text((60, 90), f"scanned page {n + 1}", fill=0)
        for y in range(140, 800, 18):
            draw.line((60, y, 560, y), fill=96)
        images.append(image)
    images[0].save(path, "PDF", resolution=72.0, save_all=True, append_images=images[1:])
    return path


def many_pages_pdf(path: Path, pages: int) -> Path:
    """A valid PDF with `pages` pages of text: absurdly long for an inspection report."""
    lines = [[f"Page {n + 1} of a very long file."] for n in range(pages)]
    return write(path, text_pages_pdf(lines))


def pathological_page_pdf(path: Path, calls: int = 20_000, ops_per_form: int = 50_000) -> Path:
    """One page that would take hours to interpret, in a file of a few kilobytes.

    The page draws a form XObject `calls` times and each form holds `ops_per_form` no-op
    save/restore pairs: calls x ops_per_form operators (10^9 by default), with flat memory
    use. A reader must stop it by a time limit; nothing about its size gives it away.
    """
    form = stream(b"q Q\n" * ops_per_form, b" /Type /XObject /Subtype /Form /BBox [0 0 10 10]")
    page_ops = b"BT /F1 11 Tf 72 770 Td (A page that never ends) Tj ET\n" + b"/X Do\n" * calls
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        _FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 3 0 R >> /XObject << /X 6 0 R >> >> /Contents 5 0 R >>",
        stream(page_ops),
        form,
    ]
    return write(path, pdf_bytes(objects))


def undecodable_pdf(path: Path) -> Path:
    """A report's first lines drawn with a font whose codes map to no character (no
    /ToUnicode, glyph names of its own): the text layer is there, but no tool can decode it."""
    lines = ["Core Case Inspection of youth offending work in", "Testborough",
             "HM Inspectorate of Probation", "Foreword", "This inspection took place in 2010."]
    return write(path, text_pages_pdf([lines, lines[3:]], font=_UNMAPPED_FONT, two_byte=True))


def not_a_report_pdf(path: Path) -> Path:
    """A readable, text-bearing PDF that is some other document (an agenda)."""
    lines = ["Parish Council", "Agenda for the meeting of 4 March 2011", "1. Apologies",
             "2. Minutes of the previous meeting", "3. Any other business"]
    return write(path, text_pages_pdf([lines]))


def copy_of(path: Path, source: Path = GOOD_PDF) -> Path:
    """The same bytes under another name (a re-download, a renamed copy)."""
    return write(path, source.read_bytes())


def relaid_report_pdf(
    path: Path, source: Path = GOOD_PDF, replace: dict[str, str] | None = None
) -> Path:
    """A real report's text laid out again as plain lines (no rules, one font), with edits.

    `replace` maps a text to its replacement, applied line by line: a report whose foreword
    figure disagrees with its scoring table is `{"64% of the time": "46% of the time"}`.
    """
    from extract import read_pdf

    pages = []
    for page in read_pdf(str(source)).pages:
        lines = []
        for line in page.lines:
            text = line.text
            for old, new in (replace or {}).items():
                text = text.replace(old, new)
            lines.append(text.encode("latin-1", "replace").decode("latin-1"))
        pages.append(lines)
    return write(path, text_pages_pdf(pages))


def inconsistent_report_pdf(path: Path, source: Path = GOOD_PDF) -> Path:
    """A CCI report (another area, another ISBN) whose foreword says 46% where its scoring
    table says 64%: it parses, but must be loaded flagged by the data-quality checks."""
    return relaid_report_pdf(path, source, {
        "64% of the time": "46% of the time",
        "Stoke on Trent": "Testborough",
        "978-1-84099-420-9": "978-1-84099-999-7",
    })
