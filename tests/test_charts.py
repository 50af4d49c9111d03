"""Charts drawn offline with Agg: real PNG/SVG files whose labels carry the database's numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from typer.testing import CliRunner

from flows.cli import app
from publish import charts
from publish.outputs import PublishError
from tests.publish_data import gold_reports

runner = CliRunner()


def svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(el.itertext()).strip() for el in root.iter("{http://www.w3.org/2000/svg}text")]


def expected_year_shares(con, theme: str) -> dict[str, str]:
    """Share of reports per year with an improvement finding on `theme`, from the raw tables."""
    reports = con.execute("SELECT report_id, year FROM reports").fetchall()
    hits = {r for (r,) in con.execute(
        "SELECT DISTINCT f.report_id FROM text_themes t JOIN findings f "
        "ON f.finding_id = t.source_id WHERE t.source = 'finding' AND f.kind = 'improvement' "
        "AND t.theme = ?", [theme]).fetchall()}
    by_year: dict[int, list[bool]] = {}
    for report_id, year in reports:
        by_year.setdefault(year, []).append(report_id in hits)
    return {str(y): f"{sum(v) / len(v):.0%}" for y, v in by_year.items()}


def test_heatmap_by_year_png_and_svg(con, tmp_path):
    png = charts.save(charts.draw(con, "theme-heatmap", by="year"), tmp_path / "heat.png")
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width > 600 and image.height > 500
    svg = charts.save(charts.draw(con, "theme-heatmap", by="year"), tmp_path / "heat.svg")
    texts = svg_texts(svg)
    themes = [label for (label,) in con.execute("SELECT label FROM themes").fetchall()]
    assert all(label in texts for label in themes)
    years = sorted({str(g["year"]) for g in gold_reports()})
    for year in years:
        n = sum(1 for g in gold_reports() if str(g["year"]) == year)
        at = texts.index(year)  # the tick label's two lines are two text elements
        assert texts[at + 1] == f"(n={n})"
    # the Substance misuse row: one cell per year, in year order, as computed from raw rows
    expected = expected_year_shares(con, "substance_misuse")
    assert set(expected.values()) <= set(texts)


def test_headline_bands_show_every_area_and_its_scores(con, tmp_path):
    path = charts.save(charts.draw(con, "headline-bands"), tmp_path / "bands.svg")
    texts = svg_texts(path)
    for gold in gold_reports():
        assert f"{gold['area']} {gold['year']}" in texts
        for head in gold["headline"]:
            assert str(head["score"]) in texts
    assert {"Safeguarding", "Risk of Harm to others", "Likelihood of Reoffending"} <= set(texts)
    one = charts.save(charts.draw(con, "headline-bands", domain="risk_of_harm"),
                      tmp_path / "roh.png")
    with Image.open(one) as image:
        assert image.width < 1000  # one panel, not three


def test_theme_balance(con, tmp_path):
    path = charts.save(charts.draw(con, "theme-balance"), tmp_path / "balance.svg")
    texts = svg_texts(path)
    assert "strengths" in texts and "areas for improvement" in texts


def test_bad_names_and_paths(con, tmp_path):
    with pytest.raises(PublishError, match="no chart 'pie'"):
        charts.draw(con, "pie")
    with pytest.raises(PublishError, match="must end with .png or .svg"):
        charts.save(charts.draw(con, "theme-balance"), tmp_path / "chart.jpg")
    with pytest.raises(PublishError, match="--by must be region, year or template"):
        charts.draw(con, "theme-heatmap", by="month")


def test_cli_chart(db, tmp_path):
    out = tmp_path / "charts" / "heat.png"
    result = runner.invoke(app, ["chart", "theme-heatmap", "--out", str(out), "--by", "region",
                                 "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.format == "PNG"
    bad = runner.invoke(app, ["chart", "headline-bands", "--out", str(tmp_path / "x.gif"),
                              "--db", str(db)])
    assert bad.exit_code == 2 and "must end with .png or .svg" in bad.stderr
