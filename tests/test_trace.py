"""`findings trace`: the bundled example PDF ingested for real, a finding's page rendered with
its stored boxes highlighted; the highlight must sit on the finding's own words."""

from __future__ import annotations

import re
import shutil

import duckdb
import pdfplumber
import pytest
from PIL import Image
from typer.testing import CliRunner

from flows.cli import app
from publish.outputs import PublishError
from publish.query import open_readonly
from publish.trace import HIGHLIGHT_FILL, finding_source, locate_pdf, render_trace
from tests.publish_data import EXAMPLE_PDF

RESOLUTION = 72  # one pixel per PDF point, so boxes map to pixels directly
CAPTION = 34  # pixels above the first page in the output image
runner = CliRunner()


@pytest.fixture(scope="module")
def db(example_db_path):
    return example_db_path


@pytest.fixture()
def con(db):
    connection = open_readonly(db)
    yield connection
    connection.close()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def first_improvement(con, criterion: str) -> str:
    return con.execute("SELECT finding_id FROM findings WHERE criterion = ? AND kind = "
                       "'improvement' ORDER BY seq LIMIT 1", [criterion]).fetchone()[0]


def test_boxes_cover_the_findings_words_in_the_pdf(con):
    source = finding_source(con, first_improvement(con, "2.1"))
    assert source.boxes, "ingest stores the finding's boxes"
    with pdfplumber.open(EXAMPLE_PDF) as pdf:
        boxed = " ".join(
            pdf.pages[b["page"] - 1].crop((b["x0"], b["top"], b["x1"], b["bottom"]))
            .extract_text() for b in source.boxes)
    # the words inside the boxes are the finding's words (hyphenation aside)
    inside, stored = words(boxed), words(source.text)
    assert inside[:6] == stored[:6]
    assert len(set(stored) - set(inside)) <= 3


def test_rendered_page_is_highlighted_exactly_on_the_boxes(con, tmp_path):
    source = finding_source(con, first_improvement(con, "2.1"))
    result = render_trace(source, locate_pdf(source), tmp_path / "trace.png", RESOLUTION)
    assert result.pages == sorted({b["page"] for b in source.boxes})
    assert result.highlighted == len(source.boxes)
    with Image.open(result.path) as image:
        rgb = image.convert("RGB")
        box = source.boxes[0]
        inside = rgb.getpixel((int((box["x0"] + box["x1"]) / 2) + 1,
                               CAPTION + int(box["top"]) + 2))
        # between two words or lines of the box: white paper tinted by the yellow fill
        tinted = [rgb.getpixel((x, CAPTION + int(box["top"]) + 1))
                  for x in range(int(box["x0"]) + 2, int(box["x1"]) - 2, 7)]
        assert any(p[2] < 200 and p[0] > 230 and p[1] > 200 for p in tinted), inside
        above = rgb.getpixel((int(box["x0"]) + 5, CAPTION + int(box["top"]) - 8))
        assert above == (255, 255, 255) or above[2] > 230  # outside the box: untouched
    assert HIGHLIGHT_FILL[3] < 255  # translucent: the text stays readable


def test_moved_or_different_pdf_is_refused_clearly(db, tmp_path):
    moved = tmp_path / "moved.duckdb"
    shutil.copy(db, moved)
    writer = duckdb.connect(str(moved))
    writer.execute("UPDATE reports SET source_path = '/nowhere/stoke.pdf'")
    writer.close()
    con = open_readonly(moved)
    try:
        source = finding_source(con, first_improvement(con, "1.1"))
    finally:
        con.close()
    with pytest.raises(PublishError, match="no longer at /nowhere/stoke.pdf; pass --pdf"):
        locate_pdf(source)
    copy = tmp_path / "copy.pdf"
    shutil.copy(EXAMPLE_PDF, copy)
    assert locate_pdf(source, copy) == copy
    other = EXAMPLE_PDF.with_name("stoke-on-trent-2011.chromium.pdf")
    with pytest.raises(PublishError, match="is not the file this finding was read from"):
        locate_pdf(source, other)


def test_unknown_finding(con):
    with pytest.raises(PublishError, match="no finding 'nope' in the database"):
        finding_source(con, "nope")


def test_cli_trace(db, tmp_path):
    con = open_readonly(db)
    try:
        finding = first_improvement(con, "3.1")
    finally:
        con.close()
    out = tmp_path / "t.png"
    result = runner.invoke(app, ["trace", finding, "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "boxes highlighted" in result.stdout and "criterion 3.1" in result.stdout
    con = open_readonly(db)
    try:
        stored = con.execute("SELECT theme, evidence FROM text_themes WHERE source_id = ?",
                             [finding]).fetchall()
    finally:
        con.close()
    assert stored, "the finding has themes"
    lines = [line.strip() for line in result.stdout.splitlines() if "theme:" in line]
    # every theme with its confidence and evidence, as stored
    assert len(lines) == len(stored)
    for theme, evidence in stored:
        assert any(line.startswith(f"theme: {theme} 0.") or line.startswith(f"theme: {theme} 1.")
                   for line in lines)
        assert any(evidence in line for line in lines)
    with Image.open(out) as image:
        assert image.format == "PNG" and image.height > 1000
    bad = runner.invoke(app, ["trace", finding, "--out", str(out), "--db", str(db),
                              "--pdf", str(EXAMPLE_PDF.with_name(
                                  "stoke-on-trent-2011.chromium.pdf"))])
    assert bad.exit_code == 1 and "is not the file" in bad.stderr


def test_caption_names_a_standard_for_2018_reports_and_a_criterion_for_cci():
    from publish.trace import FindingSource

    common = dict(finding_id="x:2.1:I1", report_id="x", source_path="/a.pdf", file_name="a.pdf",
                  area="Brent", year=2021, criterion="2.1", kind="improvement", seq=1, page=14,
                  text="t")
    assert "standard 2.1, Area for improvement 1, page 14" in FindingSource(
        **common, template="yjs-2018").caption
    assert "criterion 2.1" in FindingSource(**common, template="cci-2009").caption
