"""Web pages as a second source: the same Document and the same rows as a report's PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.accuracy import Score, compare, flatten_gold, flatten_report, score_pdf
from extract import read_document, read_html
from extract.errors import UnreadablePDF
from tests.web_page import render_html, write_html
from transform.templates import parse_document

REQUIRED = 0.995


def _web_pages(shared_dir: Path) -> list[Path]:
    pages = sorted((shared_dir / "web-pages").glob("*.html"))
    if not pages:
        pytest.skip("../shared/web-pages is not available")
    return pages


def _yjs_golds(shared_dir: Path) -> list[Path]:
    golds = sorted((shared_dir / "corpus-yjs").glob("*.gold.json"))
    if not golds:
        pytest.skip("../shared/corpus-yjs is not available")
    return golds


def test_shared_web_pages_read_as_their_gold(shared_dir):
    total = Score()
    for page in _web_pages(shared_dir):
        score = score_pdf(page, page.with_name(page.name[:-5] + ".gold.json"))
        assert score.total > 400, page.name
        total.add(score)
    assert total.accuracy >= REQUIRED, total.mismatches[:5]


def test_pages_rendered_from_corpus_golds_read_as_their_gold(shared_dir, tmp_path):
    """Pages the parser was not written against: every corpus-yjs gold laid out as a web page
    with a cookie banner, other heading levels, footnote markers, unclosed tags."""
    total = Score()
    for gold_path in _yjs_golds(shared_dir):
        gold = json.loads(gold_path.read_text(encoding="utf8"))
        page = write_html(gold, tmp_path / (gold_path.name[: -len(".gold.json")] + ".html"))
        document = read_document(str(page))
        total.add(compare(flatten_gold(gold), flatten_report(parse_document(document))))
    assert total.total > 15000
    assert total.accuracy >= REQUIRED, total.mismatches[:5]


def test_site_furniture_is_dropped(shared_dir, tmp_path):
    gold = json.loads(_yjs_golds(shared_dir)[1].read_text(encoding="utf8"))
    html = render_html(gold)
    assert "[3]" in html and "[2]" in html and "(Back to top)" in html
    assert "Skip to content" in html
    document = read_html(str(write_html(gold, tmp_path / "page.html")))
    text = "\n".join(b.text for b in document.blocks)
    for furniture in ("Back to top", "Skip to content", "Open Government Licence v3.0",
                      "Accessibility", "[3]", "[2]", "essential cookies", "Accept cookies"):
        assert furniture not in text
    assert not {"Home", "Home Inspections"} & {b.text for b in document.blocks}
    assert document.kind == "html" and document.sha256 and document.size_bytes == len(
        html.encode("utf8")
    )


def test_blocks_keep_kind_and_heading_path(shared_dir):
    document = read_html(str(_web_pages(shared_dir)[0]))
    kinds = {b.kind for b in document.blocks}
    assert kinds == {"heading", "paragraph", "list_item", "table_row"}
    strength = next(b for b in document.blocks if b.kind == "list_item" and "2.1." in b.section)
    assert strength.section.startswith("2. Court disposals > 2.1. Assessment")
    assert strength.marker == "•"
    rows = [b for b in document.blocks if b.kind == "table_row" and b.section == "Ratings"]
    assert rows[1].cells[0] == "Overall rating"
    numbered = [b.marker for b in document.blocks if b.section == "Recommendations" and b.marker]
    assert numbered[:3] == ["1.", "2.", "3."]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty_file"),
        (b"<!doctype html><html><head><title>x</title></head><body>  </body></html>",
         "empty_html"),
        (b"\x00\x01\x02<html>" + bytes(range(256)) * 4, "malformed_html"),
        (b"just some words, no markup at all", "malformed_html"),
    ],
    ids=["empty-file", "empty-body", "binary", "plain-text"],
)
def test_bad_html_gets_a_specific_reason(tmp_path, content, reason):
    path = tmp_path / "page.html"
    path.write_bytes(content)
    with pytest.raises(UnreadablePDF) as caught:
        read_document(str(path))
    assert caught.value.reason == reason


def test_oversized_html_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.htm"
    path.write_bytes(b"<html><body>" + b"<p>words</p>" * 1000 + b"</body></html>")
    with pytest.raises(UnreadablePDF) as caught:
        read_html(str(path), max_bytes=4000)
    assert caught.value.reason == "html_too_large"


def test_a_nameless_download_is_told_by_its_first_bytes(shared_dir, tmp_path):
    page = _web_pages(shared_dir)[0]
    copy = tmp_path / "download"
    copy.write_bytes(page.read_bytes())
    assert read_document(str(copy)).kind == "html"


def test_a_web_page_is_loaded_without_pages_and_traced_by_section(shared_dir, tmp_path):
    """Through the CLI: ingest a saved page, its rows carry no page or box, provenance is the
    path and the sha256, and `trace` names the finding's section instead of a page."""
    import duckdb
    from typer.testing import CliRunner

    from flows.cli import app
    from flows.discover import sha256_file

    page = _web_pages(shared_dir)[0]
    db = tmp_path / "w.duckdb"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(page), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT report_id, source_kind, pages, overall_rating_page FROM reports"
                       ).fetchall() == [(sha256_file(page), "html", None, None)]
    assert con.execute("SELECT path FROM report_files").fetchall() == [(str(page.resolve()),)]
    for table in ("findings", "recommendations", "inspection_questions", "standard_ratings"):
        assert con.execute(f"SELECT count(*) FILTER (WHERE page IS NOT NULL), count(*)"
                           f" FROM {table}").fetchone()[0] == 0, table
    assert con.execute("SELECT count(boxes) FROM findings").fetchone() == (0,)
    finding, text = con.execute("SELECT finding_id, text FROM findings WHERE criterion = '2.1'"
                                " AND kind = 'strength' AND seq = 1").fetchone()
    con.close()
    out = tmp_path / "t.png"
    traced = runner.invoke(app, ["trace", finding, "--out", str(out), "--db", str(db)])
    assert traced.exit_code == 0, traced.output
    assert "section: 2. Court disposals > 2.1. Assessment" in " ".join(traced.stdout.split())
    assert out.stat().st_size > 0
